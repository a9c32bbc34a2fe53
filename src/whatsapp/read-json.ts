// Reading provider JSON that may be any shape at all: these never throw, they answer undefined.

export type Json = Record<string, unknown>;

export const asRecord = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The elements of an array that are objects; anything else in it is passed over. */
export const asRecords = (v: unknown): Json[] => asArray(v).map(asRecord).filter((x): x is Json => x !== undefined);

/** A non-empty string (numbers are ids too); an empty string is as good as absent. */
export const asString = (v: unknown): string | undefined => {
  const s = typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  return s === '' ? undefined : s;
};

export const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Error codes land in an `integer` column: anything that would not fit is dropped, not a failed insert. */
export const asInt32 = (v: unknown): number | undefined => {
  const n = asNumber(v);
  return n !== undefined && Number.isInteger(n) && Math.abs(n) <= 2_147_483_647 ? n : undefined;
};

/**
 * Unix seconds (number or numeric string) → Date. Missing, zero or unreadable is "now": a made-up 1970
 * would mark the message too old to answer. Values too big to be seconds (after year 5138) are taken as
 * milliseconds, which some bridges send.
 */
export function dateFromUnixSeconds(v: unknown): Date {
  const n = asNumber(v);
  if (n === undefined || n <= 0) return new Date();
  const date = new Date(n > 1e11 ? n : n * 1000);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

const PERSON_DOMAINS = new Set(['s.whatsapp.net', 'c.us']);

/**
 * A person's WhatsApp number, digits only, from "573001234567", "+57 300 123 4567" or
 * "573001234567@s.whatsapp.net" (a ":device" suffix is dropped). Anything else is undefined: groups
 * (@g.us), channels, linked ids (@lid) and business-scoped ids ("US.1349…") are not phone numbers.
 */
export function phoneDigits(v: unknown): string | undefined {
  const s = asString(v);
  if (!s) return undefined;
  const at = s.indexOf('@');
  if (at >= 0 && !PERSON_DOMAINS.has(s.slice(at + 1))) return undefined;
  const local = (at >= 0 ? s.slice(0, at) : s).replace(/:\d+$/, '');
  if (!/^\+?[\d\s().-]+$/.test(local)) return undefined;
  const digits = local.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? digits : undefined; // E.164 has at most 15 digits
}

/** Drop undefined fields so stored details stay small and comparable. */
export function compact<T extends object>(o: T): T {
  const record = o as Json;
  for (const k of Object.keys(record)) if (record[k] === undefined) delete record[k];
  return o;
}

/**
 * A copy safe to store: U+0000 removed from every string and key (PostgreSQL text and jsonb refuse it,
 * and a refused insert means a non-200 the provider retries for days), nesting cut at `depth` (a hostile
 * body cannot overflow the stack), and only JSON values kept. Dates pass through untouched.
 */
export function storable(v: unknown, depth = 8): unknown {
  if (typeof v === 'string') return v.includes('\u0000') ? v.replaceAll('\u0000', '') : v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean' || v === null || v instanceof Date) return v;
  if (depth <= 0) return undefined;
  if (Array.isArray(v)) return v.map((x) => storable(x, depth - 1) ?? null);
  const record = asRecord(v);
  if (!record) return undefined;
  const out: Json = {};
  for (const [k, x] of Object.entries(record)) {
    if (k === '__proto__') continue; // assigning it would swap the copy's prototype, not add a field
    const clean = storable(x, depth - 1);
    if (clean !== undefined) out[storable(k) as string] = clean;
  }
  return out;
}

/** `storable` for a shape we built ourselves, whose fields sit well within the depth limit. */
export const storableCopy = <T extends object>(v: T): T => storable(v) as T;

/** A provider's value quoted in a skip reason: short, so a junk body cannot flood the log. */
export const quote = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : v === undefined ? 'missing' : typeof v);
