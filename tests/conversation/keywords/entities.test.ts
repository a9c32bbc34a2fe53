import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/conversation/keywords/classify.ts';
import { normalise } from '../../../src/conversation/keywords/normalise.ts';
import { findOrderNumber } from '../../../src/conversation/keywords/order-number.ts';
import { findQuantity } from '../../../src/conversation/keywords/quantity.ts';

const quantity = (text: string) => findQuantity(normalise(text).tokens)?.value;

describe('quantities', () => {
  it('reads digits and Spanish number words', () => {
    expect(quantity('quiero 3 camisetas')).toBe(3);
    expect(quantity('dos camisas')).toBe(2);
    expect(quantity('una gorra')).toBe(1);
    expect(quantity('me llevo diez')).toBe(10);
  });
  it('reads dozens and pairs', () => {
    expect(quantity('una docena de medias')).toBe(12);
    expect(quantity('media docena de huevos')).toBe(6);
    expect(quantity('dos docenas')).toBe(24);
    expect(quantity('un par de tenis')).toBe(2);
  });
  it('does not take a size or a reference for a count', () => {
    expect(quantity('zapatos talla 40')).toBeUndefined();
    expect(quantity('pedido 1043')).toBeUndefined();
  });
  it('defaults to one when adding, and gives none when removing without a number', () => {
    expect(classify('agrega la gorra azul').entities).toEqual({ query: 'gorra azul', quantity: 1 });
    expect(classify('echale una docena de medias al carrito').entities).toEqual({ query: 'medias', quantity: 12 });
    expect(classify('quita las medias').entities).toEqual({ query: 'medias' });
    expect(classify('quitale 2 camisetas').entities).toEqual({ query: 'camisetas', quantity: 2 });
  });
});

describe('order numbers', () => {
  it('reads "#1043", "orden 1043", "pedido 1043", "pedido No. 1043"', () => {
    expect(findOrderNumber('ya enviaron mi orden #1043?')).toBe('1043');
    expect(findOrderNumber('como va la orden 2231')).toBe('2231');
    expect(findOrderNumber('el pedido 5567 no llega')).toBe('5567');
    expect(findOrderNumber('Pedido No. 889')).toBe('889');
    expect(findOrderNumber('# 77')).toBe('77');
  });
  it('ignores counts and sizes', () => {
    expect(findOrderNumber('quiero 2 camisetas talla 40')).toBeUndefined();
  });
  it('reaches the classification', () => {
    expect(classify('pedido #5567 ya salio?')).toMatchObject({ intent: 'order_status', entities: { order: '5567' } });
  });
});

describe('product query', () => {
  it('keeps the product words in the customer\'s spelling and drops triggers and fillers', () => {
    expect(classify('tienen camisas de hombre talla M?').entities).toEqual({ query: 'camisas de hombre talla M' });
    expect(classify('hola parce, tienen tenis Nike talla 40 porfa?').entities).toEqual({ query: 'tenis Nike talla 40' });
    expect(classify('me regala el precio de la chaqueta negra').entities).toEqual({ query: 'chaqueta negra' });
    expect(classify('hay sapatos para niña?').entities).toEqual({ query: 'sapatos para niña' });
    expect(classify('a como la gorra?').entities).toEqual({ query: 'gorra' });
  });
  it('gives no query when the product is only pointed at', () => {
    expect(classify('me llevo tres de esas').entities).toEqual({ quantity: 3, reference: 'it' });
  });
  it('keeps ordinary product words beside an added thing', () => {
    expect(classify('también unas medias tobilleras')).toMatchObject({ intent: 'add_to_cart', entities: { query: 'medias tobilleras', quantity: 1 } });
    expect(classify('tendrán cobijas?').entities).toEqual({ query: 'cobijas' });
  });
});

describe('references to what the bot just showed', () => {
  it.each([
    ['la quiero', 'add_to_cart', { quantity: 1, reference: 'it' }],
    ['me la llevo', 'add_to_cart', { quantity: 1, reference: 'it' }],
    ['dame dos pares', 'add_to_cart', { quantity: 2, reference: 'it' }],
    ['mándame dos', 'add_to_cart', { quantity: 2, reference: 'it' }],
    ['dame otra igual', 'add_to_cart', { quantity: 1, reference: 'it' }],
    ['esa', 'add_to_cart', { quantity: 1, reference: 'it' }],
    ['quita una', 'remove_from_cart', { quantity: 1, reference: 'it' }],
    ['quítale uno', 'remove_from_cart', { quantity: 1, reference: 'it' }],
    ['saca una', 'remove_from_cart', { quantity: 1, reference: 'it' }],
    ['sacala', 'remove_from_cart', { reference: 'it' }],
    ['la segunda', 'search_products', { ordinal: 2 }],
    ['muéstrame la segunda', 'search_products', { ordinal: 2 }],
    ['el primero', 'search_products', { ordinal: 1 }],
    ['la última', 'search_products', { ordinal: -1 }],
    ['la opcion 3', 'search_products', { ordinal: 3 }],
    ['me llevo la primera', 'add_to_cart', { quantity: 1, ordinal: 1 }],
    ['quiero 2 de la tercera', 'add_to_cart', { quantity: 2, ordinal: 3 }],
    ['quita el último', 'remove_from_cart', { ordinal: -1 }],
  ])('%s → %s %j', (text, intent, entities) => {
    expect(classify(text)).toMatchObject({ intent, entities });
    expect(classify(text).entities.query).toBeUndefined();
  });
  it('keeps refining words beside the pointer, and names no pointer when a product is named', () => {
    expect(classify('la quiero en talla M').entities).toEqual({ query: 'talla M', quantity: 1, reference: 'it' });
    expect(classify('agrega la gorra azul').entities.reference).toBeUndefined();
    expect(classify('elimina las medias').entities).toEqual({ query: 'medias' });
  });
  it('reads "primero" as an adverb unless it follows an article', () => {
    expect(classify('primero quiero saber el precio de la gorra').entities.ordinal).toBeUndefined();
  });
});

describe('complaints', () => {
  it.each([
    'quiero poner un reclamo', 'quiero poner una queja, el pedido llego roto', 'me llegó dañado', 'pésimo servicio',
    'me cobraron doble', 'el pedido llegó incompleto', 'me mandaron la talla equivocada', 'quiero que me devuelvan la plata',
  ])('%s → human_agent, reason complaint', (text) => {
    expect(classify(text)).toMatchObject({ intent: 'human_agent', entities: { reason: 'complaint' } });
  });
  it('gives a plain request for a person no reason', () => {
    expect(classify('me puede atender una persona porfa')).toEqual({ intent: 'human_agent', entities: {}, confidence: 0.95 });
  });
  it('does not take shop or opening-hours words for damage', () => {
    expect(classify('a que hora esta abierto?').intent).toBe('unknown');
    expect(classify('no me molesta esperar').intent).not.toBe('human_agent');
  });
});
