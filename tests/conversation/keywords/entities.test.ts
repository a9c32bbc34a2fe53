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
    expect(classify('me llevo tres de esas').entities).toEqual({ quantity: 3 });
  });
});
