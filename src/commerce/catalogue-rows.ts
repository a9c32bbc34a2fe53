// One catalogue record (a CSV row or a JSON object) checked field by field with zod. Pure: a bad record
// becomes a rejection with its line and every reason, and never stops the others.
import { z } from 'zod';
import { slugify } from './categories.ts';
import type { ProductInput } from './products.ts';

/** The columns of the file format, in the order the README shows them. */
export const CATALOGUE_COLUMNS = ['sku', 'name', 'description', 'category', 'price', 'stock', 'featured', 'offer_price', 'image_url'] as const;
/** Accepted too, though not in the documented format: a shop's own popularity figure and on/off switch. */
export const EXTRA_COLUMNS = ['popularity_score', 'is_available'] as const;
export const REQUIRED_COLUMNS = ['sku', 'name', 'category', 'price', 'stock'] as const;

/** A record as read from the file: its fields and where it starts. */
export interface CatalogueRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: unknown;
  /** Why the reader could not even make fields of it (a CSV row with too few cells). */
  problem?: string;
}

export interface Rejection {
  line: number;
  sku?: string;
  reason: string;
}

export type CatalogueRow = ProductInput & { line: number };

const MAX_PRICE = 9_999_999_999.99; // numeric(12,2)

// CSV gives strings, JSON numbers, booleans or null; an empty cell and a missing field mean "not given".
const given = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

const text = (max: number) => z.preprocess(trimmed, z.string({ error: 'must be text' }).min(1, 'is empty').max(max, `is longer than ${max} characters`));
const optionalText = (max: number) => z.preprocess((v) => (given(v) ? trimmed(v) : undefined), z.string({ error: 'must be text' }).max(max, `is longer than ${max} characters`).optional());

// "129900", "129900.50", "$129900", "129900,5" (a decimal comma, as Spanish-language spreadsheets write it).
// "129.900" or "1,299,000" are refused rather than guessed: with thousands separators a dot and a comma
// mean opposite things in Colombia and in the US, and a price wrong by a factor of 1,000 must not get in.
const AMOUNT = /^\$?\s*(\d+)(?:[.,](\d{1,2}))?$/;
const amount =
  z.unknown().transform((v, ctx) => {
    let n: number;
    if (!given(v)) {
      ctx.addIssue({ code: 'custom', message: 'is missing' });
      return z.NEVER;
    }
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && AMOUNT.test(v.trim())) n = Number(v.trim().replace(/^\$\s*/, '').replace(',', '.'));
    else {
      ctx.addIssue({ code: 'custom', message: `must be a number like 129900 or 129900.50, without thousands separators (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    if (!Number.isFinite(n) || n < 0) ctx.addIssue({ code: 'custom', message: `must be 0 or more (got ${v})` });
    else if (n > MAX_PRICE) ctx.addIssue({ code: 'custom', message: `is above ${MAX_PRICE}` });
    else if (Math.abs(Math.round(n * 100) - n * 100) > 1e-6) ctx.addIssue({ code: 'custom', message: `has more than 2 decimals (got ${v})` });
    return n;
  });
const optionalAmount = z.preprocess((v) => (given(v) ? v : undefined), amount.optional());

const count = z.unknown().transform((v, ctx) => {
  const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
  if (!given(v)) ctx.addIssue({ code: 'custom', message: 'is missing' });
  else if (typeof n !== 'number' || !Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: `must be a whole number (got ${JSON.stringify(v)})` });
  else if (n < 0) ctx.addIssue({ code: 'custom', message: `must be 0 or more (got ${n})` });
  else if (n > 2_147_483_647) ctx.addIssue({ code: 'custom', message: 'is too large' });
  return n as number;
});

const YES = new Set(['true', '1', 'si', 'sí', 'yes', 'y', 'x', 's']);
const NO = new Set(['false', '0', 'no', 'n']);
const flag = z.preprocess((v) => (given(v) ? v : undefined), z.unknown().transform((v, ctx) => {
  if (v === undefined || typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (also sí/no, 1/0; got ${JSON.stringify(v)})` });
  return z.NEVER;
}));

const imageUrl = z.preprocess((v) => (given(v) ? trimmed(v) : undefined), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000).optional());

const recordSchema = z
  .object({
    sku: text(100),
    name: text(200),
    description: optionalText(2000),
    category: text(80).refine((c) => slugify(c) !== '', 'needs a letter or a digit'),
    price: amount,
    stock: count,
    featured: flag,
    offer_price: optionalAmount,
    image_url: imageUrl,
    popularity_score: optionalAmount,
    is_available: flag,
  })
  .strict()
  .refine((r) => r.offer_price === undefined || r.offer_price < r.price, {
    path: ['offer_price'],
    error: 'must be lower than price (an offer is a discount)',
  });

function reasons(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown field(s) ${i.keys.join(', ')}`;
      const field = i.path.join('.');
      const message = i.code === 'invalid_type' && i.input === undefined ? 'is missing' : i.message;
      return field ? `${field} ${message}` : message;
    })
    .join('; ');
}

/** Good records as products (with their line), bad ones as rejections. A SKU given twice keeps the first. */
export function validateRecords(records: readonly CatalogueRecord[]): { rows: CatalogueRow[]; rejections: Rejection[] } {
  const rows: CatalogueRow[] = [];
  const rejections: Rejection[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, fields, problem } of records) {
    if (problem) {
      rejections.push({ line, reason: problem });
      continue;
    }
    const sku = typeof fields === 'object' && fields !== null && typeof (fields as { sku?: unknown }).sku === 'string' ? (fields as { sku: string }).sku.trim() || undefined : undefined;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      rejections.push({ line, reason: 'must be an object with sku, name, category, price and stock' });
      continue;
    }
    const parsed = recordSchema.safeParse(fields);
    if (!parsed.success) {
      rejections.push({ line, sku, reason: reasons(parsed.error) });
      continue;
    }
    const r = parsed.data;
    const earlier = firstLine.get(r.sku);
    if (earlier !== undefined) {
      rejections.push({ line, sku: r.sku, reason: `sku ${r.sku} was already given on line ${earlier}` });
      continue;
    }
    firstLine.set(r.sku, line);
    rows.push({
      line,
      sku: r.sku,
      name: r.name,
      description: r.description ?? null,
      category: r.category,
      price: r.price,
      offerPrice: r.offer_price ?? null,
      stock: r.stock,
      featured: r.featured ?? false,
      imageUrl: r.image_url ?? null,
      popularity: r.popularity_score,
      available: r.is_available,
    });
  }
  return { rows, rejections };
}
