// The old bot's JSON files (tmp/threads.json, tmp/guest_profiles.json), read and checked record by record.
// Pure: no I/O. A bad record becomes a rejection with its position and reason; it never stops the others.

export interface Rejection {
  file: string;
  /** 1-based index in the pairs array, or in the object's key order. */
  position: number;
  /** The phone as normalised, or as written when it could not be. */
  phone?: string;
  reason: string;
}

export interface WhapiLabel {
  id?: string;
  name: string;
  color?: string;
}

export interface LegacyThread {
  phone: string;
  threadId: string | null;
  chatId: string | null;
  /** `name` if the thread has one, else `userName`. */
  name: string | null;
  labels: string[];
  first: Date;
  last: Date;
}

export interface LegacyProfile {
  phone: string;
  id: string | null;
  name: string | null;
  /** `label` followed by the whapiLabels' names, de-duplicated. */
  labels: string[];
  whapiLabels: WhapiLabel[];
  first: Date;
  last: Date;
}

export interface Parsed<T> {
  records: T[];
  rejections: Rejection[];
  /** Entries seen, good and bad. */
  read: number;
}

/** The file as a whole is unusable (not an array of pairs, not an object): nothing in it can be imported. */
export class LegacyFormatError extends Error {
  constructor(file: string, got: string) {
    super(`${file}: expected an array of [phone, record] pairs or an object keyed by phone, got ${got}`);
    this.name = 'LegacyFormatError';
  }
}

/** Thrown inside one record's check and turned into its rejection; never escapes this module. */
class BadRecord extends Error {}

type Json = Record<string, unknown>;

// WhatsApp launched in 2009; anything earlier is a unit mistake. A day of slack for clock skew: a future
// last_interaction would pin the guest as "active" forever, since imports never move it backwards.
const EARLIEST = Date.UTC(2009, 0, 1);
const FUTURE_SLACK_MS = 24 * 3600 * 1000;

export function parseThreads(data: unknown, file: string, now = Date.now()): Parsed<LegacyThread> {
  return parseEntries(data, file, (phone, r) => {
    const [first, last] = span(readDate(r, 'createdAt', now), readDate(r, 'lastActivity', now), 'createdAt', 'lastActivity');
    return {
      phone,
      threadId: readText(r, 'threadId'),
      chatId: readText(r, 'chatId'),
      name: readText(r, 'name') ?? readText(r, 'userName'),
      labels: uniqueLabels(readLabelList(r, 'labels')),
      first,
      last,
    };
  });
}

export function parseProfiles(data: unknown, file: string, now = Date.now()): Parsed<LegacyProfile> {
  return parseEntries(data, file, (phone, r) => {
    const [first, last] = span(readDate(r, 'firstInteraction', now), readDate(r, 'lastInteraction', now), 'firstInteraction', 'lastInteraction');
    const whapiLabels = readWhapiLabels(r);
    const label = readText(r, 'label');
    return {
      phone,
      id: readId(r, 'id'),
      name: readText(r, 'name'),
      labels: uniqueLabels([...(label ? [label] : []), ...whapiLabels.map((l) => l.name)]),
      whapiLabels,
      first,
      last,
    };
  }, (r) => r.phone);
}

/** 5–20 digits, from `+57 300 123-4567`, a number, or a personal WhatsApp id `573001234567@s.whatsapp.net`. */
export function normalisePhone(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) raw = String(raw);
  if (typeof raw !== 'string') return undefined;
  const m = /^\s*(\+?[\d\s().-]+?)\s*(?:@(?:s\.whatsapp\.net|c\.us))?\s*$/.exec(raw);
  const digits = m?.[1].replace(/\D/g, '');
  return digits && digits.length >= 5 && digits.length <= 20 ? digits : undefined;
}

/** Trimmed, blanks dropped, one per case-insensitive spelling (the first one seen wins). */
export function uniqueLabels(labels: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const raw of labels) {
    const label = raw.trim();
    if (label && !seen.has(label.toLowerCase())) seen.set(label.toLowerCase(), label);
  }
  return [...seen.values()];
}

/** ISO strings, or epoch milliseconds / seconds (numbers or digit strings). Blank means unknown; anything else is an error. */
export function parseLegacyDate(value: unknown): Date | null | 'unreadable' {
  if (value === undefined || value === null || value === '') return null;
  let ms: number;
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))) {
    const n = Number(value);
    // Epoch seconds stay below 1e11 until the year 5138; epoch ms pass 1e11 in 1973.
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string' && /^\s*\d{4}-\d{2}-\d{2}/.test(value)) {
    ms = Date.parse(value.trim());
  } else {
    return 'unreadable';
  }
  return Number.isFinite(ms) ? new Date(ms) : 'unreadable';
}

function parseEntries<T>(data: unknown, file: string, read: (phone: string, record: Json) => T, fallbackPhone?: (r: Json) => unknown): Parsed<T> {
  const entries = entriesOf(data, file);
  const out: Parsed<T> = { records: [], rejections: [], read: entries.length };
  entries.forEach(([key, record], i) => {
    const position = i + 1;
    let phone: string | undefined;
    try {
      if (key === undefined) throw new BadRecord('expected a [phone, record] pair');
      if (!isObject(record)) throw new BadRecord(`record is ${describe(record)}, not an object`);
      // The map key is what the old bot looked guests up by; the record's own phone only fills in for a broken key.
      phone = normalisePhone(key) ?? (fallbackPhone ? normalisePhone(fallbackPhone(record)) : undefined);
      if (!phone) throw new BadRecord(`phone ${show(key)} is not a phone number (5–20 digits)`);
      out.records.push(read(phone, record));
    } catch (error) {
      if (!(error instanceof BadRecord)) throw error;
      const known = phone ?? (typeof key === 'string' || typeof key === 'number' ? String(key) : undefined);
      out.rejections.push({ file, position, ...(known ? { phone: known } : {}), reason: error.message });
    }
  });
  return out;
}

/** `[[phone, record], …]` (a serialised Map) or `{phone: record}`. A pair that is not one has an undefined key. */
function entriesOf(data: unknown, file: string): [unknown, unknown][] {
  if (Array.isArray(data)) return data.map((e) => (Array.isArray(e) && e.length === 2 ? [e[0], e[1]] : [undefined, e]));
  if (isObject(data)) return Object.entries(data);
  throw new LegacyFormatError(file, describe(data));
}

function readText(r: Json, field: string): string | null {
  const v = r[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new BadRecord(`${field} is ${describe(v)}, not text`);
  return v.trim() || null;
}

function readId(r: Json, field: string): string | null {
  const v = r[field];
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : readText(r, field);
}

function readDate(r: Json, field: string, now: number): Date | null {
  const d = parseLegacyDate(r[field]);
  if (d === 'unreadable') throw new BadRecord(`${field} ${show(r[field])} is not a date (ISO text or epoch seconds/milliseconds)`);
  if (d && d.getTime() < EARLIEST) throw new BadRecord(`${field} ${show(r[field])} is before 2009`);
  if (d && d.getTime() > now + FUTURE_SLACK_MS) throw new BadRecord(`${field} ${show(r[field])} is in the future`);
  return d;
}

/** One known date stands in for the other; none at all is a record we cannot place in time. */
function span(a: Date | null, b: Date | null, fa: string, fb: string): [Date, Date] {
  if (!a && !b) throw new BadRecord(`no date: ${fa} and ${fb} are both missing`);
  const x = a ?? b!;
  const y = b ?? a!;
  return x <= y ? [x, y] : [y, x];
}

/** Thread labels: strings, or label objects with a name (as Whapi returns them). */
function readLabelList(r: Json, field: string): string[] {
  const v = r[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadRecord(`${field} is ${describe(v)}, not a list`);
  return v.map((l, i) => {
    if (typeof l === 'string') return l;
    if (isObject(l) && typeof l.name === 'string') return l.name;
    throw new BadRecord(`${field}[${i}] is ${describe(l)}, not a label`);
  });
}

function readWhapiLabels(r: Json): WhapiLabel[] {
  const v = r.whapiLabels;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadRecord(`whapiLabels is ${describe(v)}, not a list`);
  const byName = new Map<string, WhapiLabel>();
  v.forEach((l, i) => {
    if (!isObject(l)) throw new BadRecord(`whapiLabels[${i}] is ${describe(l)}, not a label`);
    const name = typeof l.name === 'string' ? l.name.trim() : '';
    if (!name) throw new BadRecord(`whapiLabels[${i}] has no name`);
    const id = readId(l, 'id');
    const color = readText(l, 'color');
    if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), { ...(id ? { id } : {}), name, ...(color ? { color } : {}) });
  });
  return [...byName.values()];
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v === 'string' ? 'text' : typeof v} ${show(v)}`;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}
