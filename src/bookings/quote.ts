import type { Listing } from './listings.ts';

// What a stay costs: nights × price per night, plus the cleaning fee once. Counted in cents, so
// $99.999,99 × 3 is exact however the floats would have rounded it.

export interface Quote {
  nights: number;
  pricePerNight: number;
  /** nights × price per night */
  lodging: number;
  cleaningFee: number;
  total: number;
}

export class StayTooShortError extends Error {
  readonly minNights: number;
  constructor(listing: Pick<Listing, 'name' | 'minNights'>, nights: number) {
    super(`${listing.name} takes stays of ${listing.minNights} nights or more, not ${nights}: quote a longer stay or another listing`);
    this.name = 'StayTooShortError';
    this.minNights = listing.minNights;
  }
}

const cents = (amount: number) => Math.round(amount * 100);

/** The price of `nights` nights at `listing`; a stay shorter than its minimum is refused, never quoted. */
export function quoteStay(listing: Pick<Listing, 'name' | 'pricePerNight' | 'cleaningFee' | 'minNights'>, nights: number): Quote {
  if (!Number.isInteger(nights) || nights < 1) throw new RangeError(`a stay is a whole number of nights, at least 1 (got ${nights})`);
  if (nights < listing.minNights) throw new StayTooShortError(listing, nights);
  const lodging = cents(listing.pricePerNight) * nights;
  const fee = cents(listing.cleaningFee);
  return { nights, pricePerNight: listing.pricePerNight, lodging: lodging / 100, cleaningFee: fee / 100, total: (lodging + fee) / 100 };
}
