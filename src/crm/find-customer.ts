import type { Queryable } from '../db/client.ts';
import { asUsername, isBsuid, isParentBsuid } from '../whatsapp/customer-ids.ts';

/** What an operator may name a customer by: a number, a (parent) BSUID, a Whapi linked id, or `@username`. */
export const CUSTOMER_ID_PATTERN = '^(\\d{5,20}|[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}|\\d{1,30}@lid|@[A-Za-z0-9._]{1,64})$';

/**
 * The chat key of the customer an operator names by any of their ids; the id itself when no identity
 * holds it (a key is its own name), so a number keeps working for every customer from before issue 14.
 */
export async function customerKeyFor(db: Queryable, id: string): Promise<string> {
  const kind = id.startsWith('@') ? 'username' : isParentBsuid(id) ? 'parent_bsuid' : isBsuid(id) ? 'bsuid' : id.endsWith('@lid') ? 'lid' : 'phone';
  const value = kind === 'username' ? (asUsername(id) ?? id) : id;
  const [row] = await db<{ key: string }[]>`SELECT customer_key AS key FROM customer_identities WHERE kind = ${kind} AND value = ${value}`;
  return row?.key ?? id;
}
