import { describe, expect, it } from 'vitest';
import { normalise } from '../../../src/conversation/keywords/normalise.ts';
import { correctTypo, editDistance } from '../../../src/conversation/keywords/typos.ts';

const norm = (text: string) => normalise(text).text;

describe('normalise', () => {
  it('lower-cases and folds accents', () => {
    expect(norm('MUÉSTRAME el Catálogo, ¿sí?')).toBe('muestra el catalogo si');
    expect(norm('mañana')).toBe('manana');
  });
  it('squeezes letters repeated for emphasis, keeping real double letters', () => {
    expect(norm('holaaaa')).toBe('hola');
    expect(norm('graciasss')).toBe('gracias');
    expect(norm('chaoo')).toBe('chao');
    expect(norm('carro')).toBe('carro');
  });
  it('expands WhatsApp shorthand and slang', () => {
    expect(norm('q mas parce')).toBe('que mas parce');
    expect(norm('k tienen')).toBe('que tienen');
    expect(norm('porfa xfa')).toBe('por favor por favor');
    expect(norm('xq pq')).toBe('porque porque');
    expect(norm('grax grx')).toBe('gracias gracias');
    expect(norm('tmb dnd cdo')).toBe('tambien donde cuando');
    expect(norm('kiubo')).toBe('quiubo');
    expect(norm('bn okis')).toBe('bien ok');
    expect(norm('regalame el precio')).toBe('me regala el precio');
  });
  it('keeps the meaning of a few emoji and drops the rest', () => {
    expect(norm('👋')).toBe('hola');
    expect(norm('👍')).toBe('ok');
    expect(norm('buenos días 😊❤️')).toBe('buenos dias');
  });
  it('keeps the customer\'s spelling beside the normalised word', () => {
    const [token] = normalise('Audífonos').tokens;
    expect(token).toEqual({ raw: 'Audífonos', norm: 'audifonos', breakBefore: false });
    expect(normalise('hola, tienen?').tokens[1].breakBefore).toBe(true);
  });
  it('survives empty and emoji-only input', () => {
    expect(normalise('')).toEqual({ tokens: [], text: '' });
    expect(norm('🎉🎉')).toBe('');
  });
});

describe('typo tolerance', () => {
  it('corrects a misspelt trigger word within one or two edits', () => {
    expect(correctTypo('sapatos')).toBe('zapatos');
    expect(correctTypo('licuadra')).toBe('licuadora');
    expect(correctTypo('carito')).toBe('carrito');
    expect(correctTypo('pagr')).toBe('pagar');
    expect(correctTypo('catalgo')).toBe('catalogo');
    expect(correctTypo('cateogrias')).toBe('categorias');
  });
  it('leaves short words, known words and numbers alone', () => {
    expect(correctTypo('paga')).toBe('paga');
    expect(correctTypo('cargo')).toBe('cargo');
    expect(correctTypo('escribir')).toBe('escribir');
    expect(correctTypo('ver')).toBe('ver');
    expect(correctTypo('12345')).toBe('12345');
    expect(correctTypo('ladra')).toBe('ladra');
  });
  it('counts edits including adjacent swaps', () => {
    expect(editDistance('carrito', 'carrito', 2)).toBe(0);
    expect(editDistance('carito', 'carrito', 2)).toBe(1);
    expect(editDistance('catlaogo', 'catalogo', 2)).toBe(1);
    expect(editDistance('abc', 'xyzxyz', 2)).toBe(3);
  });
});
