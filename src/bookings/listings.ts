import type { Queryable } from '../db/client.ts';
import { addDays, type IsoDate } from './calendar.ts';

// The host's apartments and which are free for a stay. A listing is free when no live booking
// (held or confirmed) shares a night with the stay: the ranges are [check-in, check-out), so a guest
// leaving on the 18th and one arriving on the 18th do not overlap. The GiST index of the exclusion
// constraint on listing_bookings serves the overlap test.

export interface Listing {
  id: number;
  slug: string;
  name: string;
  city: string;
  zone: string;
  capacity: number;
  /** Pesos per night, to the cent. */
  pricePerNight: number;
  /** Charged once per stay. */
  cleaningFee: number;
  minNights: number;
  rules: string | null;
  isActive: boolean;
}

export interface ListingInput {
  slug: string;
  name: string;
  city: string;
  zone: string;
  capacity: number;
  pricePerNight: number;
  cleaningFee?: number;
  minNights?: number;
  rules?: string | null;
  isActive?: boolean;
  /** The facts guests ask about (migration 010), answered by src/facts; unset means "the host has not said". */
  checkInFrom?: string | null;
  checkOutUntil?: string | null;
  petsAllowed?: boolean | null;
  partiesAllowed?: boolean | null;
  smokingAllowed?: boolean | null;
  amenities?: string[];
}

/** Where the guest wants to stay: a city, or a neighbourhood of one, as the listings name them. */
export interface Area {
  city: string;
  zone?: string;
}

export interface StayQuery {
  checkIn: IsoDate;
  checkOut: IsoDate;
  guests: number;
  area?: Area;
  /** At most this many listings, cheapest first (default 10, what one WhatsApp list shows). */
  limit?: number;
}

// numeric(12,2) is read as float8: exact for every price below ten billion, and JSON-friendly.
const COLUMNS = `l.id, l.slug, l.name, l.city, l.zone, l.capacity, l.price_per_night::float8 AS "pricePerNight",
  l.cleaning_fee::float8 AS "cleaningFee", l.min_nights AS "minNights", l.rules, l.is_active AS "isActive"`;

// A listing a guest may be offered for the stay $1..$2 (dates) with $3 guests in area $4 (city) / $5 (zone).
const OFFERABLE = `l.is_active AND l.capacity >= $3 AND ($4::text IS NULL OR l.city = $4) AND ($5::text IS NULL OR l.zone = $5)`;
const FREE = (checkIn: string, checkOut: string) => `NOT EXISTS (
  SELECT 1 FROM listing_bookings b
   WHERE b.listing_id = l.id AND b.status <> 'cancelled' AND b.stay && daterange(${checkIn}, ${checkOut}))`;

/** Insert or update a listing by slug (the seed and the host's edits); returns its id. */
export async function upsertListing(db: Queryable, l: ListingInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO listings (slug, name, city, zone, capacity, price_per_night, cleaning_fee, min_nights, rules, is_active,
                          check_in_from, check_out_until, pets_allowed, parties_allowed, smoking_allowed, amenities)
    VALUES (${l.slug}, ${l.name}, ${l.city}, ${l.zone}, ${l.capacity}, ${l.pricePerNight}, ${l.cleaningFee ?? 0},
            ${l.minNights ?? 1}, ${l.rules ?? null}, ${l.isActive ?? true},
            ${l.checkInFrom ?? null}::time, ${l.checkOutUntil ?? null}::time, ${l.petsAllowed ?? null}::boolean,
            ${l.partiesAllowed ?? null}::boolean, ${l.smokingAllowed ?? null}::boolean, ${l.amenities ?? []}::text[])
    ON CONFLICT (slug) DO UPDATE SET
      name = EXCLUDED.name, city = EXCLUDED.city, zone = EXCLUDED.zone, capacity = EXCLUDED.capacity,
      price_per_night = EXCLUDED.price_per_night, cleaning_fee = EXCLUDED.cleaning_fee, min_nights = EXCLUDED.min_nights,
      rules = EXCLUDED.rules, is_active = EXCLUDED.is_active, check_in_from = EXCLUDED.check_in_from,
      check_out_until = EXCLUDED.check_out_until, pets_allowed = EXCLUDED.pets_allowed, parties_allowed = EXCLUDED.parties_allowed,
      smoking_allowed = EXCLUDED.smoking_allowed, amenities = EXCLUDED.amenities, updated_at = now()
    RETURNING id`;
  return row.id;
}

export async function listingBySlug(db: Queryable, slug: string): Promise<Listing | undefined> {
  const [row] = await db.unsafe<Listing[]>(`SELECT ${COLUMNS} FROM listings l WHERE l.slug = $1`, [slug]);
  return row;
}

/** The cities and neighbourhoods the host has listings in: what a guest's "en Cartagena" can name. */
export async function listingAreas(db: Queryable): Promise<Required<Area>[]> {
  return db<Required<Area>[]>`SELECT DISTINCT city, zone FROM listings WHERE is_active ORDER BY city, zone`;
}

/**
 * Listings that fit the guests and are free for the whole stay, cheapest first. Listings whose minimum
 * stay is longer than this one are left out: they cannot be booked for it.
 */
export async function findFreeListings(db: Queryable, q: StayQuery): Promise<Listing[]> {
  return db.unsafe<Listing[]>(
    `SELECT ${COLUMNS} FROM listings l
      WHERE ${OFFERABLE} AND l.min_nights <= ($2::date - $1::date) AND ${FREE('$1::date', '$2::date')}
      ORDER BY l.price_per_night, l.name, l.id
      LIMIT $6`,
    [q.checkIn, q.checkOut, q.guests, q.area?.city ?? null, q.area?.zone ?? null, q.limit ?? 10],
  );
}

/**
 * The same stay moved the fewest days (up to `maxShift` either way, never before `earliest`) for which
 * something fits: the listings free then, cheapest first, or undefined when nothing is free in that window.
 * One statement: every shift and listing is tried against the bookings index at once.
 */
export async function nearestFreeStay(
  db: Queryable,
  q: StayQuery & { earliest: IsoDate; maxShift?: number },
): Promise<{ checkIn: IsoDate; checkOut: IsoDate; listings: Listing[] } | undefined> {
  const rows = await db.unsafe<(Listing & { shift: number })[]>(
    `SELECT s.shift, ${COLUMNS}
       FROM generate_series(-$7::int, $7::int) AS s(shift) CROSS JOIN listings l
      WHERE s.shift <> 0 AND $1::date + s.shift >= $8::date AND ${OFFERABLE} AND l.min_nights <= ($2::date - $1::date)
        AND ${FREE('$1::date + s.shift', '$2::date + s.shift')}
      -- the closest shift first; on a tie, later rather than earlier (the guest already planned to be there by then)
      ORDER BY abs(s.shift), s.shift DESC, l.price_per_night, l.name, l.id
      LIMIT $6`,
    [q.checkIn, q.checkOut, q.guests, q.area?.city ?? null, q.area?.zone ?? null, q.limit ?? 10, q.maxShift ?? 7, q.earliest],
  );
  if (!rows.length) return undefined;
  const shift = rows[0].shift;
  const listings = rows.filter((r) => r.shift === shift).map(({ shift: _, ...l }) => l);
  return { checkIn: addDays(q.checkIn, shift), checkOut: addDays(q.checkOut, shift), listings };
}

/** Whether one listing is free for the stay (a tapped option is checked again: someone may have taken it). */
export async function isListingFree(db: Queryable, listingId: number, checkIn: IsoDate, checkOut: IsoDate): Promise<boolean> {
  const [row] = await db.unsafe<{ free: boolean }[]>(
    `SELECT ${FREE('$2::date', '$3::date')} AS free FROM listings l WHERE l.id = $1 AND l.is_active`,
    [listingId, checkIn, checkOut],
  );
  return row?.free ?? false;
}

/** The most guests one active listing takes (in the area, when given); 0 when there is none. */
export async function largestCapacity(db: Queryable, area?: Area): Promise<number> {
  const [row] = await db<{ max: number | null }[]>`
    SELECT max(capacity) AS max FROM listings
     WHERE is_active AND (${area?.city ?? null}::text IS NULL OR city = ${area?.city ?? null})
       AND (${area?.zone ?? null}::text IS NULL OR zone = ${area?.zone ?? null})`;
  return row.max ?? 0;
}
