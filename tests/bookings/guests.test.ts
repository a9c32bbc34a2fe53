import { describe, expect, it } from 'vitest';
import { readGuests } from '../../src/bookings/guests.ts';

describe('number of guests', () => {
  it.each([
    ['somos 4', 4],
    ['somos cuatro', 4],
    ['para 2 personas', 2],
    ['apartamento para 6', 6],
    ['para 4 por favor', 4],
    ['dos adultos y un niño', 3],
    ['2 adultos + 2 niños', 4],
    ['somos 2 adultos con 2 niños', 4],
    ['una pareja', 2],
    ['somos una pareja y un bebé', 3],
    ['dos parejas', 4],
    ['en pareja', 2],
    ['mi esposa y yo', 2],
    ['mi esposo y yo con 2 niños', 4],
    ['voy con mis 2 hijos', 3],
    ['viajo sola', 1],
    ['solo yo', 1],
    ['una familia de 5', 5],
    ['somos 4: 2 adultos y 2 niños', 4],
    ['6 huéspedes', 6],
    ['3 pax', 3],
  ])('%s → %i', (text, guests) => {
    expect(readGuests(text)).toBe(guests);
  });

  it.each([
    'del 15 al 18 de diciembre',
    'para 3 noches',
    'para 4 de enero',
    'para el 4',
    'quiero 2 camisas',
    'hola',
    'somos 99',
  ])('finds none in "%s"', (text) => {
    expect(readGuests(text)).toBeUndefined();
  });
});
