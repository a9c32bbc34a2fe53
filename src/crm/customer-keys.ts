import { randomBytes } from 'node:crypto';
import type { Queryable, Tx } from '../db/client.ts';
import type { CustomerIds } from '../whatsapp/types.ts';
import { planIdentities, pairsOf, sightingPairs, type IdPair, type IdentityRow, type Sighting } from './identity-plan.ts';
import { mergeCustomers } from './merge-customers.ts';

// The customer's one chat key for whatever ids a delivery carries (rules in ./identity-plan.ts).
//
// Almost every message names ids already on record, all pointing at one customer: one read answers it
// (`knownKeys`) and nothing is written. Anything else (a first message, a new BSUID or username, a number
// change, ids of two customers) goes through `resolveSighting` inside the transaction that stores the
// message: the ids are locked (transaction advisory locks, taken in one order, so concurrent deliveries for
// the same customer take turns and never deadlock), read again, and linked.

const pairArrays = (pairs: IdPair[]) => [pairs.map((p) => p.kind), pairs.map((p) => p.value)];

/**
 * For each set of ids: the key of the one customer every one of them already points at, or undefined when
 * an id is new or they point at different customers (then `resolveSighting` decides).
 */
export async function knownKeys(db: Queryable, idsList: CustomerIds[]): Promise<(string | undefined)[]> {
  const pairs = idsList.flatMap((ids) => pairsOf(ids));
  if (!pairs.length) return idsList.map(() => undefined);
  const rows = await db.unsafe<{ kind: string; value: string; key: string }[]>(
    `SELECT kind, value, customer_key AS key FROM customer_identities
      WHERE (kind, value) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    pairArrays(pairs),
    { prepare: true }, // every webhook with messages runs it
  );
  const keyOf = new Map(rows.map((r) => [`${r.kind}\u0000${r.value}`, r.key]));
  return idsList.map((ids) => {
    const keys = new Set(pairsOf(ids).map((p) => keyOf.get(`${p.kind}\u0000${p.value}`)));
    const [only] = keys;
    return keys.size === 1 ? only : undefined;
  });
}

/** Link the sighting's ids to their customer (creating, moving or merging as the rules say); returns the customer's key. */
export async function resolveSighting(tx: Tx, s: Sighting): Promise<string> {
  const pairs = sightingPairs(s);
  if (!pairs.length) throw new Error('a sighting needs at least one id');
  await lockIds(tx, pairs);
  const plan = planIdentities(s, await readIdentities(tx, pairs));
  const key = plan.key ?? (await freeKey(tx, s.ids));
  for (const other of plan.absorb) await mergeCustomers(tx, other, key);
  await makeCurrent(tx, key, plan.current);
  if (plan.former.length) {
    const [kinds, values] = pairArrays(plan.former);
    await tx`
      INSERT INTO customer_identities (kind, value, customer_key, retired_at)
      SELECT *, now() FROM unnest(${kinds}::text[], ${values}::text[], ${plan.former.map(() => key)}::text[])
      ON CONFLICT DO NOTHING`;
  }
  if (plan.retire.length) {
    await tx`UPDATE customer_identities SET retired_at = now(), updated_at = now() WHERE customer_key = ${key} AND retired_at IS NULL AND kind = ANY(${plan.retire}::text[])`;
  }
  return key;
}

/** Takes the transaction's locks on these ids, in one order everywhere (no deadlock between two linkings). */
export async function lockIds(tx: Tx, pairs: IdPair[]): Promise<void> {
  const names = [...new Set(pairs.map((p) => `identity:${p.kind}:${p.value}`))].sort();
  await tx`SELECT count(pg_advisory_xact_lock(hashtextextended(name, 0))) FROM (SELECT name FROM unnest(${names}::text[]) AS name ORDER BY name) locks`;
}

/** The rows of the ids, and every other id of the customers they point at. */
async function readIdentities(tx: Tx, pairs: IdPair[]): Promise<IdentityRow[]> {
  const [kinds, values] = pairArrays(pairs);
  return tx<IdentityRow[]>`
    WITH hit AS (
      SELECT customer_key FROM customer_identities WHERE (kind, value) IN (SELECT * FROM unnest(${kinds}::text[], ${values}::text[])))
    SELECT kind, value, customer_key AS "customerKey", retired_at AS "retiredAt", first_seen_at AS "firstSeenAt"
      FROM customer_identities WHERE customer_key IN (SELECT customer_key FROM hit)`;
}

/**
 * A new customer's key: their number, else their BSUID, parent BSUID or linked id, whichever no customer
 * has ever used as a key (a number that changed hands stays the key of its first holder).
 */
async function freeKey(tx: Tx, ids: CustomerIds): Promise<string> {
  const candidates = [ids.phone, ids.bsuid, ids.parentBsuid, ids.lid].filter((c): c is string => c !== undefined);
  const taken = new Set((await tx<{ key: string }[]>`
    SELECT k AS key FROM unnest(${candidates}::text[]) AS k
     WHERE EXISTS (SELECT 1 FROM customer_identities WHERE customer_key = k)
        OR EXISTS (SELECT 1 FROM customers WHERE phone = k)
        OR EXISTS (SELECT 1 FROM inbound_messages WHERE chat_id = k)`).map((r) => r.key));
  return candidates.find((c) => !taken.has(c)) ?? `${candidates[0]}-${randomBytes(4).toString('hex')}`;
}

/**
 * The ids become the customer's current ones: taken from whoever held them, and the customer's other
 * current id of each of those kinds is retired first (one current id per kind, migration 016's index).
 */
async function makeCurrent(tx: Tx, key: string, current: IdPair[]): Promise<void> {
  if (!current.length) return;
  const [kinds, values] = pairArrays(current);
  await tx`
    UPDATE customer_identities SET retired_at = now(), updated_at = now()
     WHERE customer_key = ${key} AND retired_at IS NULL AND kind = ANY(${kinds}::text[])
       AND (kind, value) NOT IN (SELECT * FROM unnest(${kinds}::text[], ${values}::text[]))`;
  await tx`
    INSERT INTO customer_identities (kind, value, customer_key)
    SELECT * FROM unnest(${kinds}::text[], ${values}::text[], ${current.map(() => key)}::text[])
    ON CONFLICT (kind, value) DO UPDATE SET customer_key = EXCLUDED.customer_key, retired_at = NULL, updated_at = now()
     WHERE customer_identities.customer_key <> EXCLUDED.customer_key OR customer_identities.retired_at IS NOT NULL`;
}
