import type { Sql, Tx } from '../db/client.ts';
import type { ShippingOption } from './shipping.ts';

// The shop owner's side of the delivery options (the admin API and `npm run shipping`): every option,
// active or not, created, changed and retired. Nothing is cached: checkout and the facts answers read
// the table on each turn, so a change is what the next customer is charged and told.

export interface ShippingOptionRecord extends ShippingOption {
  /** Days from the order to delivery (the "¿cuándo me llega?" estimate); null: no estimate given. */
  minDays: number | null;
  maxDays: number | null;
  /** Days counted skip Saturdays and Sundays. */
  businessDays: boolean;
  isActive: boolean;
  /** Checkout lists active options by this, then by cost. */
  sortOrder: number;
}

/** What an owner may change; a field left out keeps its value (on create: the table's default). */
export type ShippingOptionChange = Partial<Omit<ShippingOptionRecord, 'code'>>;

// The table's CHECKs (migrations 006 and 012), and WhatsApp's list rows the checkout shows each option
// in: a title of 24 characters, a description of 72, and 10 rows at most.
export const SHIPPING_CODE = /^[a-z0-9_]{1,32}$/;
export const MAX_NAME = 24;
export const MAX_DESCRIPTION = 72;
export const MAX_ACTIVE = 10;
/** numeric(12,2) holds less than ten thousand million. */
export const MAX_AMOUNT = 9_999_999_999;
/** Not a CHECK: the column is an integer, and a delivery of more than a year is a typing slip. */
export const MAX_DAYS = 365;

const COLUMNS = (db: Sql | Tx) => db`
  code, name, description, cost::float8 AS cost, free_from::float8 AS "freeFrom", min_days AS "minDays",
  max_days AS "maxDays", business_days AS "businessDays", is_active AS "isActive", sort_order AS "sortOrder"`;

export async function listAllShippingOptions(db: Sql | Tx): Promise<ShippingOptionRecord[]> {
  return db<ShippingOptionRecord[]>`SELECT ${COLUMNS(db)} FROM shipping_options ORDER BY NOT is_active, sort_order, cost, code`;
}

/** Why this option cannot be stored, or undefined: the same rules for the API and the command line. */
export function shippingOptionProblem(o: ShippingOptionRecord): string | undefined {
  if (!SHIPPING_CODE.test(o.code)) return `code must be 1 to 32 lower-case letters, digits or _: ${JSON.stringify(o.code)}`;
  if (!o.name.trim()) return 'name is required (what the customer sees in the delivery list)';
  if (o.name.length > MAX_NAME) return `name is ${o.name.length} characters; WhatsApp shows at most ${MAX_NAME}`;
  if (o.description !== null && o.description.length > MAX_DESCRIPTION) return `description is ${o.description.length} characters; at most ${MAX_DESCRIPTION}`;
  if (!(o.cost >= 0 && o.cost <= MAX_AMOUNT)) return `cost must be between 0 and ${MAX_AMOUNT}: ${o.cost}`;
  if (o.freeFrom !== null && !(o.freeFrom >= 0 && o.freeFrom <= MAX_AMOUNT)) return `freeFrom must be between 0 and ${MAX_AMOUNT}, or null (never free): ${o.freeFrom}`;
  for (const [field, days] of [['minDays', o.minDays], ['maxDays', o.maxDays]] as const) {
    if (days !== null && !(Number.isInteger(days) && days >= 0 && days <= MAX_DAYS)) return `${field} must be a whole number of days from 0 to ${MAX_DAYS}, or null: ${days}`;
  }
  if (o.minDays !== null && o.maxDays !== null && o.maxDays < o.minDays) return `maxDays (${o.maxDays}) is less than minDays (${o.minDays})`;
  if (!Number.isInteger(o.sortOrder)) return `sortOrder must be a whole number: ${o.sortOrder}`;
  return undefined;
}

export type PutShippingResult =
  | { ok: true; option: ShippingOptionRecord; created: boolean }
  | { ok: false; problem: string; conflict?: boolean };

const DEFAULTS = { description: null, freeFrom: null, minDays: null, maxDays: null, businessDays: true, isActive: true, sortOrder: 100 };

/** Create the option or change the fields given. The table is locked for the few statements, so two owners' edits cannot together leave checkout with no option or more than a list holds. */
export async function putShippingOption(sql: Sql, code: string, change: ShippingOptionChange): Promise<PutShippingResult> {
  return sql.begin(async (tx) => {
    const all = await lockedOptions(tx);
    const current = all.find((o) => o.code === code);
    if (!current && (change.name === undefined || change.cost === undefined)) {
      return { ok: false, problem: `no delivery option ${code} yet: creating one needs name and cost` };
    }
    const next: ShippingOptionRecord = { ...DEFAULTS, ...current, ...definedOnly(change), code } as ShippingOptionRecord;
    next.name = next.name.trim();
    if (next.description !== null) next.description = next.description.trim() || null;
    const problem = shippingOptionProblem(next);
    if (problem) return { ok: false, problem };
    const othersActive = all.filter((o) => o.isActive && o.code !== code).length;
    if (next.isActive && othersActive >= MAX_ACTIVE) return { ok: false, conflict: true, problem: `already ${MAX_ACTIVE} active delivery options, the most a WhatsApp list shows: deactivate one first` };
    if (!next.isActive && current?.isActive && othersActive === 0) return { ok: false, conflict: true, problem: lastActive(code) };
    const [option] = await tx<ShippingOptionRecord[]>`
      INSERT INTO shipping_options (code, name, description, cost, free_from, min_days, max_days, business_days, is_active, sort_order)
      VALUES (${code}, ${next.name}, ${next.description}, ${next.cost}, ${next.freeFrom}, ${next.minDays}, ${next.maxDays}, ${next.businessDays}, ${next.isActive}, ${next.sortOrder})
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, cost = EXCLUDED.cost,
        free_from = EXCLUDED.free_from, min_days = EXCLUDED.min_days, max_days = EXCLUDED.max_days,
        business_days = EXCLUDED.business_days, is_active = EXCLUDED.is_active, sort_order = EXCLUDED.sort_order
      RETURNING ${COLUMNS(tx)}`;
    return { ok: true, option, created: !current };
  });
}

export type RemoveShippingResult =
  | { ok: true; outcome: 'deleted' }
  /** Orders name it (orders.shipping_code is a foreign key): kept for them, no longer offered. */
  | { ok: true; outcome: 'deactivated'; orders: number }
  | { ok: false; problem: string; notFound?: boolean; conflict?: boolean };

export async function removeShippingOption(sql: Sql, code: string): Promise<RemoveShippingResult> {
  return sql.begin(async (tx) => {
    const all = await lockedOptions(tx);
    const current = all.find((o) => o.code === code);
    if (!current) return { ok: false, notFound: true, problem: `no delivery option ${code}` };
    if (current.isActive && !all.some((o) => o.isActive && o.code !== code)) return { ok: false, conflict: true, problem: lastActive(code) };
    // the foreign key decides, not a count read first: it also sees an order placed a moment ago
    const deleted = await tx.savepoint((sp) => sp`DELETE FROM shipping_options WHERE code = ${code}`).then(() => true, (error: { code?: string }) => {
      if (error.code === '23503') return false; // foreign_key_violation
      throw error;
    });
    if (deleted) return { ok: true, outcome: 'deleted' };
    await tx`UPDATE shipping_options SET is_active = false WHERE code = ${code}`;
    const [{ orders }] = await tx<{ orders: number }[]>`SELECT count(*)::int AS orders FROM orders WHERE shipping_code = ${code}`;
    return { ok: true, outcome: 'deactivated', orders };
  });
}

const lastActive = (code: string) => `${code} is the only active delivery option: checkout would have none to offer; add or activate another first`;

// SHARE ROW EXCLUSIVE: owners' edits wait for each other; checkout's reads and orders' foreign-key
// checks (a row share lock) go on
async function lockedOptions(tx: Tx): Promise<ShippingOptionRecord[]> {
  await tx`LOCK TABLE shipping_options IN SHARE ROW EXCLUSIVE MODE`;
  return listAllShippingOptions(tx);
}

function definedOnly(change: ShippingOptionChange): ShippingOptionChange {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
}
