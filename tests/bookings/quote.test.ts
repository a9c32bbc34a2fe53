import { describe, expect, it } from 'vitest';
import { quoteStay, StayTooShortError } from '../../src/bookings/quote.ts';

const apto = { name: 'Apto Vista Verde', pricePerNight: 250_000, cleaningFee: 80_000, minNights: 2 };

describe('quote', () => {
  it('is nights × price per night plus the cleaning fee once', () => {
    expect(quoteStay(apto, 3)).toEqual({ nights: 3, pricePerNight: 250_000, lodging: 750_000, cleaningFee: 80_000, total: 830_000 });
    expect(quoteStay(apto, 10).total).toBe(2_580_000);
    expect(quoteStay({ ...apto, cleaningFee: 0, minNights: 1 }, 1)).toMatchObject({ lodging: 250_000, total: 250_000 });
  });

  it('adds cents exactly', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; in cents it is 30
    expect(quoteStay({ name: 'x', pricePerNight: 0.1, cleaningFee: 0.2, minNights: 1 }, 1).total).toBe(0.3);
    expect(quoteStay({ name: 'x', pricePerNight: 99_999.99, cleaningFee: 0.01, minNights: 1 }, 3)).toMatchObject({ lodging: 299_999.97, total: 299_999.98 });
  });

  it('refuses a stay shorter than the minimum, and nonsense lengths', () => {
    expect(() => quoteStay(apto, 1)).toThrow(StayTooShortError);
    expect(() => quoteStay(apto, 1)).toThrow(/2 nights or more/);
    expect(() => quoteStay(apto, 0)).toThrow(RangeError);
    expect(() => quoteStay(apto, 2.5)).toThrow(RangeError);
    expect(quoteStay(apto, 2).total).toBe(580_000);
  });
});
