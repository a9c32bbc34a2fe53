import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookStay, cancelBooking } from '../../src/bookings/listing-bookings.ts';
import { findFreeListings, isListingFree, largestCapacity, listingAreas, listingBySlug, nearestFreeStay, upsertListing } from '../../src/bookings/listings.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let db: TestDatabase;
const ids: Record<string, number> = {};
beforeAll(async () => {
  db = await createTestDatabase();
  ids.loft = await upsertListing(db.sql, { slug: 'loft', name: 'Loft', city: 'Medellín', zone: 'El Poblado', capacity: 2, pricePerNight: 200_000, cleaningFee: 50_000 });
  ids.casa = await upsertListing(db.sql, { slug: 'casa', name: 'Casa', city: 'Medellín', zone: 'Laureles', capacity: 6, pricePerNight: 400_000, minNights: 3 });
  ids.playa = await upsertListing(db.sql, { slug: 'playa', name: 'Playa', city: 'Santa Marta', zone: 'El Rodadero', capacity: 4, pricePerNight: 300_000 });
  ids.cerrado = await upsertListing(db.sql, { slug: 'cerrado', name: 'Cerrado', city: 'Medellín', zone: 'El Poblado', capacity: 10, pricePerNight: 100_000, isActive: false });
  await bookStay(db.sql, { listingId: ids.loft, checkIn: '2025-12-15', checkOut: '2025-12-18', status: 'confirmed' });
});
afterAll(async () => { await db?.drop(); });

const free = async (checkIn: string, checkOut: string, guests = 1, area?: { city: string; zone?: string }) =>
  (await findFreeListings(db.sql, { checkIn, checkOut, guests, area })).map((l) => l.slug);

describe('migration 007', () => {
  it('is applied in the template every test database is cloned from', async () => {
    const [row] = await db.sql`SELECT count(*)::int AS n FROM schema_migrations WHERE version = 7 AND name = 'listings'`;
    expect(row.n).toBe(1);
  });
});

describe('listings', () => {
  it('are upserted by slug: a second write changes the row, not the count', async () => {
    const again = await upsertListing(db.sql, { slug: 'playa', name: 'Apto Playa', city: 'Santa Marta', zone: 'El Rodadero', capacity: 4, pricePerNight: 310_000 });
    expect(again).toBe(ids.playa);
    expect(await listingBySlug(db.sql, 'playa')).toMatchObject({ name: 'Apto Playa', pricePerNight: 310_000, cleaningFee: 0, minNights: 1, isActive: true });
    await upsertListing(db.sql, { slug: 'playa', name: 'Playa', city: 'Santa Marta', zone: 'El Rodadero', capacity: 4, pricePerNight: 300_000 });
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM listings`;
    expect(n).toBe(4);
  });

  it('refuse a capacity below one', async () => {
    await expect(upsertListing(db.sql, { slug: 'nadie', name: 'Nadie', city: 'Cali', zone: 'Centro', capacity: 0, pricePerNight: 1 })).rejects.toMatchObject({ code: '23514' });
  });

  it('name the areas guests can ask for (active listings only)', async () => {
    expect(await listingAreas(db.sql)).toEqual([
      { city: 'Medellín', zone: 'El Poblado' },
      { city: 'Medellín', zone: 'Laureles' },
      { city: 'Santa Marta', zone: 'El Rodadero' },
    ]);
    expect(await largestCapacity(db.sql)).toBe(6); // the inactive one for 10 does not count
    expect(await largestCapacity(db.sql, { city: 'Santa Marta' })).toBe(4);
  });
});

describe('availability', () => {
  it('leaves out a listing booked on any night of the stay', async () => {
    expect(await free('2025-12-16', '2025-12-17')).not.toContain('loft'); // inside
    expect(await free('2025-12-17', '2025-12-19')).not.toContain('loft'); // overlaps the end
    expect(await free('2025-12-14', '2025-12-16')).not.toContain('loft'); // overlaps the start
    expect(await free('2025-12-10', '2025-12-25')).not.toContain('loft'); // contains it
    expect(await isListingFree(db.sql, ids.loft, '2025-12-17', '2025-12-19')).toBe(false);
  });

  it('offers the check-out day to the next guest, and the stay that ends on the booked check-in', async () => {
    expect(await free('2025-12-18', '2025-12-20')).toEqual(['loft', 'playa']);
    expect(await free('2025-12-13', '2025-12-15')).toEqual(['loft', 'playa']);
    expect(await isListingFree(db.sql, ids.loft, '2025-12-18', '2025-12-19')).toBe(true);
  });

  it('fits the guests, the area, the minimum stay and the host switch', async () => {
    expect(await free('2026-02-01', '2026-02-04', 3)).toEqual(['playa', 'casa']); // cheapest first; the loft takes 2
    expect(await free('2026-02-01', '2026-02-03', 3)).toEqual(['playa']); // casa needs 3 nights
    expect(await free('2026-02-01', '2026-02-04', 1, { city: 'Medellín' })).toEqual(['loft', 'casa']);
    expect(await free('2026-02-01', '2026-02-04', 1, { city: 'Medellín', zone: 'El Poblado' })).toEqual(['loft']);
    expect(await free('2026-02-01', '2026-02-04', 7)).toEqual([]); // only the switched-off listing takes 7
  });

  it('frees the nights of a cancelled booking', async () => {
    const held = await bookStay(db.sql, { listingId: ids.playa, checkIn: '2026-03-01', checkOut: '2026-03-05', guestPhone: '573001112233' });
    expect(held.booked).toBe(true);
    expect(await free('2026-03-02', '2026-03-03')).not.toContain('playa');
    expect(await cancelBooking(db.sql, held.booked ? held.id : -1)).toBe(true);
    expect(await cancelBooking(db.sql, held.booked ? held.id : -1)).toBe(false);
    expect(await free('2026-03-02', '2026-03-03')).toContain('playa');
  });

  it('finds the nearest shifted stay when the dates asked are full', async () => {
    await bookStay(db.sql, { listingId: ids.playa, checkIn: '2026-04-01', checkOut: '2026-04-06' });
    const area = { city: 'Santa Marta' };
    // 3 nights from 2 April: the earliest free start is the 6th (+4); before, the 29th of March ends on the 1st (−4); later wins the tie
    expect(await nearestFreeStay(db.sql, { checkIn: '2026-04-02', checkOut: '2026-04-05', guests: 2, area, earliest: '2026-01-01' }))
      .toMatchObject({ checkIn: '2026-04-06', checkOut: '2026-04-09', listings: [{ slug: 'playa' }] });
    // never before today: with today the 2nd of April, only later dates are offered
    expect(await nearestFreeStay(db.sql, { checkIn: '2026-04-02', checkOut: '2026-04-05', guests: 2, area, earliest: '2026-04-02' }))
      .toMatchObject({ checkIn: '2026-04-06' });
    expect(await nearestFreeStay(db.sql, { checkIn: '2026-04-02', checkOut: '2026-04-05', guests: 2, area, earliest: '2026-01-01', maxShift: 3 })).toBeUndefined();
  });
});

describe('the exclusion constraint', () => {
  it('refuses a second live booking that shares a night, in SQL and through bookStay', async () => {
    await expect(db.sql`INSERT INTO listing_bookings (listing_id, stay) VALUES (${ids.loft}, daterange('2025-12-17', '2025-12-19'))`)
      .rejects.toMatchObject({ code: '23P01', constraint_name: 'listing_bookings_no_overlap' });
    expect(await bookStay(db.sql, { listingId: ids.loft, checkIn: '2025-12-16', checkOut: '2025-12-17' })).toEqual({ booked: false, reason: 'taken' });
  });

  it('accepts back-to-back stays, other listings on the same nights, and a stay over a cancelled one', async () => {
    expect(await bookStay(db.sql, { listingId: ids.loft, checkIn: '2025-12-18', checkOut: '2025-12-20' })).toMatchObject({ booked: true });
    expect(await bookStay(db.sql, { listingId: ids.loft, checkIn: '2025-12-12', checkOut: '2025-12-15' })).toMatchObject({ booked: true });
    expect(await bookStay(db.sql, { listingId: ids.casa, checkIn: '2025-12-15', checkOut: '2025-12-18' })).toMatchObject({ booked: true });
    await db.sql`INSERT INTO listing_bookings (listing_id, stay, status) VALUES (${ids.casa}, daterange('2026-05-01', '2026-05-04'), 'cancelled')`;
    expect(await bookStay(db.sql, { listingId: ids.casa, checkIn: '2026-05-02', checkOut: '2026-05-03' })).toMatchObject({ booked: true });
  });

  it('refuses empty and open-ended stays and unknown statuses', async () => {
    await expect(db.sql`INSERT INTO listing_bookings (listing_id, stay) VALUES (${ids.playa}, daterange('2026-06-02', '2026-06-02'))`).rejects.toMatchObject({ code: '23514' });
    await expect(db.sql`INSERT INTO listing_bookings (listing_id, stay) VALUES (${ids.playa}, daterange('2026-06-02', NULL))`).rejects.toMatchObject({ code: '23514' });
    await expect(db.sql`INSERT INTO listing_bookings (listing_id, stay, status) VALUES (${ids.playa}, daterange('2026-06-02', '2026-06-04'), 'pending')`).rejects.toMatchObject({ code: '23514' });
  });

  it('lets exactly one of many concurrent bookings of the same nights through', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => bookStay(db.sql, { listingId: ids.playa, checkIn: '2026-07-10', checkOut: `2026-07-${12 + (i % 3)}`, guestPhone: `57300000000${i}` })),
    );
    expect(attempts.filter((a) => a.booked)).toHaveLength(1);
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM listing_bookings WHERE listing_id = ${ids.playa} AND stay && daterange('2026-07-10', '2026-07-15')`;
    expect(n).toBe(1);
  });

  it('keeps a refused booking from aborting the caller\'s transaction', async () => {
    const result = await db.sql.begin(async (tx) => {
      const refused = await bookStay(tx, { listingId: ids.loft, checkIn: '2025-12-16', checkOut: '2025-12-17' });
      const [{ one }] = await tx`SELECT 1 AS one`;
      return { refused, one };
    });
    expect(result).toEqual({ refused: { booked: false, reason: 'taken' }, one: 1 });
  });
});
