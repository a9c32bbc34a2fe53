// Reading provider JSON that may be any shape at all: these never throw, they answer undefined.

export type Json = Record<string, unknown>;

export const asRecord = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
export const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Unix seconds (number or numeric string) → Date; anything unreadable is "now" rather than a crash. */
export function dateFromUnixSeconds(v: unknown): Date {
  const n = asNumber(v);
  return n === undefined ? new Date() : new Date(n * 1000);
}

/** WhatsApp ids of people are their numbers; keep digits only ("+57 300…" and "573…@s.whatsapp.net" alike). */
export const digitsOnly = (v: string | undefined): string | undefined => {
  const d = v?.split('@')[0].replace(/\D/g, '');
  return d && d.length >= 5 && d.length <= 20 ? d : undefined;
};

/** Drop undefined fields so stored details stay small and comparable. */
export function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
