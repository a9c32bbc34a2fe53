import type { Sql, Tx } from '../db/client.ts';
import { hashPassword, verifyPassword } from '../operators/password-hash.ts';

// A customer's data erased on request (Colombia's Ley 1581, and the same right in its neighbours' laws).
// What the business knows about the person goes: profile, labels, archive row, session, cart, what they
// wrote and what was written to them, media references, handoff notes, their number wherever it is. Orders
// stay as accounting rows (number, items, amounts, payment state) with the personal fields anonymised, and
// the rows that count messages for the metrics stay under a pseudonym (`erased-<id>`) that names nobody.
// The erasure itself is recorded: who, when, how many rows where, and a salted hash of the number (only
// a person who already knows the number can tell it was erased).

/** What an erased message of the history reads as (to the console, the undelivered list, the outbox). */
export const ERASED_TEXT = '(borrado a petición del cliente)';
const ERASED_CONTENT = { type: 'text', text: ERASED_TEXT };

export interface Erasure {
  id: number;
  erasedAt: Date;
  erasedBy: string;
  /** rows changed or deleted, per table and action, e.g. { "guest_profiles deleted": 1, "orders anonymised": 2 } */
  rowCounts: Record<string, number>;
}

class NothingToErase extends Error {}

/** Customer keys as the pipeline stores them (a number's digits, or a business-scoped user id). */
export const CUSTOMER_KEY = /^[A-Za-z0-9._-]{5,64}$/;

/**
 * Erase everything about the customer `key` (their chat id: the number's digits), in one transaction.
 * Undefined when nothing at all was known about them. Takes the chat's lock, so it waits for a message of
 * theirs being answered right now, and that drain finds nothing left once it runs again.
 */
export async function eraseCustomer(sql: Sql, key: string, erasedBy: string): Promise<Erasure | undefined> {
  const keyHash = await hashPassword(key);
  try {
    return await sql.begin(async (tx) => {
      // the converse stage's per-chat fence (workers/converse.ts): no drain of this chat runs meanwhile
      await tx`SELECT pg_advisory_xact_lock(hashtextextended(${'chat:' + key}, 0))`;
      const [record] = await tx<{ id: number; erasedAt: Date }[]>`
        INSERT INTO customer_erasures (customer_key_hash, erased_by, row_counts) VALUES (${keyHash}, ${erasedBy}, '{}')
        RETURNING id, erased_at AS "erasedAt"`;
      const rowCounts = await eraseRows(tx, key, `erased-${record.id}`, erasedBy);
      if (Object.values(rowCounts).every((n) => n === 0)) throw new NothingToErase();
      await tx`UPDATE customer_erasures SET row_counts = ${tx.json(rowCounts)} WHERE id = ${record.id}`;
      return { id: record.id, erasedAt: record.erasedAt, erasedBy, rowCounts };
    });
  } catch (error) {
    if (error instanceof NothingToErase) return undefined;
    throw error;
  }
}

async function eraseRows(tx: Tx, key: string, pseudonym: string, erasedBy: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  // the key as a whole word of a text (573001234567 is not 3001234567's customer); only . needs escaping
  const quoted = `(^|[^0-9A-Za-z])${key.replace(/\./g, '\\.')}([^0-9A-Za-z]|$)`;
  const count = async (label: string, query: Promise<{ count: number }>) => {
    counts[label] = (await query).count;
  };
  // what is only about the person: gone
  await count('guest_profiles deleted', tx`DELETE FROM guest_profiles WHERE phone_number = ${key}`);
  await count('historical_clients deleted', tx`DELETE FROM historical_clients WHERE phone_number = ${key}`);
  await count('customers deleted', tx`DELETE FROM customers WHERE phone = ${key}`);
  // every id they were known by: number, BSUIDs, username (migration 016)
  await count('customer_identities deleted', tx`DELETE FROM customer_identities WHERE customer_key = ${key}`);
  await count('customer_sessions deleted', tx`DELETE FROM customer_sessions WHERE customer_phone = ${key}`);
  await count('cart_items deleted', tx`DELETE FROM cart_items WHERE phone = ${key}`);
  await count('carts deleted', tx`DELETE FROM carts WHERE phone = ${key}`);

  // the history: rows stay (they count messages, keep a redelivered message from being answered twice, and
  // hold the replies' delivery record), their words, names, media references and number do not
  await count('inbound_messages anonymised', tx`
    UPDATE inbound_messages SET chat_id = ${pseudonym}, provider_chat_id = NULL, customer_name = NULL, text = NULL, reply_id = NULL, details = '{}',
           status = CASE WHEN status IN ('received', 'held', 'ingested') THEN 'skipped' ELSE status END,
           status_note = CASE WHEN status IN ('received', 'held', 'ingested') THEN 'customer erased' ELSE status_note END
     WHERE chat_id = ${key}`);
  await count('message_logs anonymised', tx`
    UPDATE message_logs SET customer_phone = ${pseudonym}, message_text = NULL, details = '{}' WHERE customer_phone = ${key}`);
  // a reply not sent yet is not sent at all
  await count('outbox anonymised', tx`
    UPDATE outbox SET chat_id = ${pseudonym}, provider_chat_id = NULL, content = ${tx.json(ERASED_CONTENT)}, locked_until = NULL,
           status = CASE WHEN status = 'pending' THEN 'expired' ELSE status END, updated_at = now()
     WHERE chat_id = ${key}`);
  await count('message_statuses anonymised', tx`UPDATE message_statuses SET recipient = NULL WHERE recipient = ${key}`);
  await count('events anonymised', tx`
    UPDATE events SET chat_id = ${pseudonym}, data = CASE WHEN type = 'error' THEN data - 'message' ELSE data END WHERE chat_id = ${key}`);
  await count('handoffs anonymised', tx`
    UPDATE handoffs SET chat_id = ${pseudonym}, customer_name = NULL, last_message = NULL,
           ended_at = coalesce(ended_at, now()), ended_by = coalesce(ended_by, 'operator'), ended_by_name = coalesce(ended_by_name, ${erasedBy})
     WHERE chat_id = ${key}`);

  // accounting keeps the order, not the person (its idempotency key was a hash of the number, name and address)
  await count('orders anonymised', tx`
    UPDATE orders SET phone = ${pseudonym}, customer_name = ${ERASED_TEXT}, delivery_address = ${ERASED_TEXT}, payment_url = NULL,
           idempotency_key = ${pseudonym} || '-' || id, updated_at = now()
     WHERE phone = ${key}`);
  // a gateway's notification carries the payer's details: the amount, status and order stay in their columns
  await count('payment_events anonymised', tx`
    UPDATE payment_events SET payload = '{"erased": true}' WHERE order_id IN (SELECT id FROM orders WHERE phone = ${pseudonym})`);
  await count('listing_bookings anonymised', tx`UPDATE listing_bookings SET guest_phone = NULL WHERE guest_phone = ${key}`);

  // the number quoted elsewhere: the team's handoff notices name the customer's number and words
  await count('outbox notices naming the customer', tx`
    UPDATE outbox SET content = ${tx.json(ERASED_CONTENT)}, status = CASE WHEN status = 'pending' THEN 'expired' ELSE status END, updated_at = now()
     WHERE content::text ~ ${quoted}`);
  await count('events naming the customer', tx`UPDATE events SET data = '{}' WHERE data::text ~ ${quoted}`);
  return counts;
}

/** The erasures of `key`, if it was ever erased (checked against each record's salted hash). */
export async function erasuresOf(db: Sql, key: string): Promise<Erasure[]> {
  const rows = await db<(Erasure & { keyHash: string })[]>`
    SELECT id, erased_at AS "erasedAt", erased_by AS "erasedBy", row_counts AS "rowCounts", customer_key_hash AS "keyHash"
      FROM customer_erasures ORDER BY id`;
  const found: Erasure[] = [];
  for (const { keyHash, ...erasure } of rows) if (await verifyPassword(key, keyHash)) found.push(erasure);
  return found;
}
