import type { Queryable } from '../db/client.ts';
import { formatMoney } from '../lib/money.ts';
import type { Passage } from './retrieve.ts';

// A rental listing's facts as passages: its structured attributes (migration 010) said as sentences,
// and the sentences of the host's own rules. A fact the host left NULL is not said at all: "¿aceptan
// mascotas?" about a place whose host never said is a question for a person, not a guess.

export const LISTING_SOURCE = 'listing';

export interface ListingFacts {
  id: number;
  slug: string;
  name: string;
  capacity: number;
  minNights: number;
  cleaningFee: number;
  rules: string | null;
  /** "15:00", or null when the host has not said. */
  checkInFrom: string | null;
  checkOutUntil: string | null;
  petsAllowed: boolean | null;
  partiesAllowed: boolean | null;
  smokingAllowed: boolean | null;
  amenities: string[];
}

const COLUMNS = `id, slug, name, capacity, min_nights AS "minNights", cleaning_fee::float8 AS "cleaningFee", rules,
  to_char(check_in_from, 'HH24:MI') AS "checkInFrom", to_char(check_out_until, 'HH24:MI') AS "checkOutUntil",
  pets_allowed AS "petsAllowed", parties_allowed AS "partiesAllowed", smoking_allowed AS "smokingAllowed", amenities`;

/**
 * The listings a question is about: those named (the ones just quoted to the guest); with none named,
 * the host's only active listing when there is just one (with several, "¿tiene parqueadero?" is about
 * none in particular).
 */
export async function listingFacts(db: Queryable, which: { ids?: readonly number[]; slugs?: readonly string[] } = {}): Promise<ListingFacts[]> {
  const ids = [...(which.ids ?? [])];
  const slugs = [...(which.slugs ?? [])];
  if (ids.length || slugs.length) {
    return db.unsafe<ListingFacts[]>(`SELECT ${COLUMNS} FROM listings WHERE id = ANY($1::int[]) OR slug = ANY($2::text[]) ORDER BY array_position($2::text[], slug), id`, [ids, slugs]);
  }
  const rows = await db.unsafe<ListingFacts[]>(`SELECT ${COLUMNS} FROM listings WHERE is_active ORDER BY id LIMIT 2`);
  return rows.length === 1 ? rows : [];
}

/** "15:00" → "3 p. m.", "09:30" → "9:30 a. m.", as people here write it. */
export function spokenTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''} ${h < 12 ? 'a. m.' : 'p. m.'}`;
}

const yesNo = (v: boolean | null, yes: string, no: string) => (v === null ? [] : [v ? yes : no]);

/** The sentences a listing's facts are found by. Rules' check-in sentences give way to the stated times. */
export function listingPassages(l: ListingFacts): Passage[] {
  const said = [
    `Capacidad: hasta ${l.capacity} ${l.capacity === 1 ? 'persona' : 'personas'} (huéspedes).`,
    ...(l.checkInFrom ? [`Check-in (llegada) desde las ${spokenTime(l.checkInFrom)}`] : []),
    ...(l.checkOutUntil ? [`Check-out (salida) hasta las ${spokenTime(l.checkOutUntil)}`] : []),
    ...yesNo(l.petsAllowed, 'Se aceptan mascotas.', 'No se aceptan mascotas.'),
    ...yesNo(l.partiesAllowed, 'Se permiten fiestas y eventos.', 'No se permiten fiestas ni eventos.'),
    ...yesNo(l.smokingAllowed, 'Se puede fumar.', 'No se permite fumar.'),
    ...l.amenities.map((a) => `Tiene ${a}.`),
    `Estadía mínima: ${l.minNights} ${l.minNights === 1 ? 'noche' : 'noches'}.`,
    ...(l.cleaningFee > 0 ? [`Tarifa de limpieza: ${formatMoney(l.cleaningFee)} por estadía.`] : []),
  ];
  const timesStated = Boolean(l.checkInFrom || l.checkOutUntil);
  const rules = sentences(l.rules ?? '').filter((s) => !(timesStated && /check-?\s?(in|out)/i.test(s)));
  return [...said, ...rules].map((content, i) => ({ source: LISTING_SOURCE, topic: l.name, ordinal: i + 1, content, sortOrder: l.id }));
}

/** The same cut as fact_sentences() in SQL: at . ! ? before a capital, and at line breaks. */
export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[\p{Lu}¿¡"«])|\s*\n\s*/u).map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
}
