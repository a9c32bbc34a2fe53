import type { Queryable } from '../db/client.ts';
import type { IsoDate } from './calendar.ts';

// The nights taken on each listing. The database, not this code, guarantees that two live bookings of
// one listing never share a night (the exclusion constraint of migration 007), so two guests confirmed
// at the same moment cannot both get the apartment: the second insert fails and is reported as taken.

export type BookingStatus = 'held' | 'confirmed' | 'cancelled';

export interface NewBooking {
  listingId: number;
  checkIn: IsoDate;
  /** Exclusive: the departure day. */
  checkOut: IsoDate;
  status?: Exclude<BookingStatus, 'cancelled'>;
  guestPhone?: string | null;
}

/** PostgreSQL's exclusion_violation: the stay shares a night with a live booking of the same listing. */
const EXCLUSION_VIOLATION = '23P01';

/** Take the nights for a guest: the booking's id, or `taken` when some night is already booked. */
export async function bookStay(db: Queryable, b: NewBooking): Promise<{ booked: true; id: number } | { booked: false; reason: 'taken' }> {
  try {
    // a savepoint inside a transaction, so a refused insert does not abort the caller's transaction
    const insert = (q: Queryable) => q<{ id: number }[]>`
      INSERT INTO listing_bookings (listing_id, stay, status, guest_phone)
      VALUES (${b.listingId}, daterange(${b.checkIn}::date, ${b.checkOut}::date), ${b.status ?? 'held'}, ${b.guestPhone ?? null})
      RETURNING id`;
    const [row] = 'savepoint' in db ? await db.savepoint(insert) : await insert(db);
    return { booked: true, id: row.id };
  } catch (error) {
    if ((error as { code?: string }).code === EXCLUSION_VIOLATION) return { booked: false, reason: 'taken' };
    throw error;
  }
}

/** Free the nights again (the row stays, for the history). True when a live booking was cancelled. */
export async function cancelBooking(db: Queryable, id: number): Promise<boolean> {
  const rows = await db`UPDATE listing_bookings SET status = 'cancelled', updated_at = now() WHERE id = ${id} AND status <> 'cancelled' RETURNING id`;
  return rows.length > 0;
}
