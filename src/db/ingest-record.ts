import type { OutboundContent } from '../whatsapp/types.ts';
import { chatAddressOf } from '../whatsapp/customer-ids.ts';
import { guestProfileUpsert } from '../crm/profiles.ts';
import type { CustomerTier } from '../crm/customers.ts';
import type { Queryable } from './client.ts';
import type { InboundRow } from './inbox.ts';

// The ingest stage's statements. Each PostgreSQL round trip costs real CPU on a small machine (the
// benchmark showed socket writes as the largest cost), so a message takes two single statements instead
// of seven (a held one one more when it is checked again): each is atomic, no explicit transaction needed.

// An open message is named by its chat as well as its id in every UPDATE: inbound_messages_open_by_chat
// (chat_id, id) then answers on both columns, where the id alone let the planner walk every chat's open rows.
type InboundRef = Pick<InboundRow, 'id' | 'chatId'>;

const ROW = `i.id, i.provider, i.provider_message_id AS "providerMessageId", i.chat_id AS "chatId", i.provider_chat_id AS "providerChatId",
  i.customer_name AS "customerName", i.kind, i.text, i.reply_id AS "replyId", i.context_message_id AS "contextMessageId", i.details,
  i.sent_at AS "sentAt", i.received_at AS "receivedAt", i.status, i.released_at AS "releasedAt"`;

/**
 * The message, with its sender's tier for the rate limits ('new' before the first contact is recorded).
 * Only reads: a statement that writes nothing commits without a WAL flush, and the customer record is
 * created or touched by recordIngest, in the statement that marks the message (issue 16).
 */
export async function openForIngest(db: Queryable, inboundId: number): Promise<(InboundRow & { tier: CustomerTier }) | undefined> {
  const [row] = await db.unsafe<(InboundRow & { tier: CustomerTier })[]>(
    `SELECT ${ROW}, coalesce((SELECT customer_tier FROM customers WHERE phone = i.chat_id), 'new') AS tier
       FROM inbound_messages i WHERE i.id = $1`,
    [inboundId],
    { prepare: true }, // hot path: parse and plan once per connection
  );
  return row;
}

/** The outbox `seq` of a rate-limit notice, beside (never instead of) the held message's own answer. */
export const RATE_LIMIT_NOTICE_SEQ = -1;

export type IngestRecord =
  | { message: InboundRow; allowed: true }
  | {
      message: InboundRow;
      allowed: false;
      /** The rate window that holds it, for the log and the status note. */
      window: string;
      /** How long until the window lets it be checked again. */
      holdMs: number;
      /** Tell the customer they are over the limit (once per window): this reply goes to the outbox. */
      notice?: OutboundContent;
    };

/**
 * A message's first decision, in one statement: mark it ingested (or held until its window frees up), and
 * only if that took (a concurrent re-run finds nothing to mark) record the customer (created on first
 * contact), log the message, touch the guest profile, write the notice and the events. Returns whether
 * this run did the marking.
 *
 * The mark of an allowed message commits without waiting for the WAL flush (issue 16: one flush fewer per
 * message): `set_config(…, true)` holds for this statement's own transaction only, never for the pooled
 * connection's later statements. Safe because nothing acts on the mark before a commit that does wait: the
 * conversation's transaction, which answers the message, flushes the WAL up to its own commit and so this
 * one first, and no reply is sent before it. A PostgreSQL crash before then takes the message back to
 * "received", and the sweep runs its ingest again (idempotent; the rate limit counts a message id once).
 * A held message's mark waits: its notice to the customer must not be lost.
 */
export async function recordIngest(db: Queryable, r: IngestRecord): Promise<boolean> {
  const m = r.message;
  const held = !r.allowed;
  const window = r.allowed ? null : r.window;
  const holdSeconds = r.allowed ? 0 : r.holdMs / 1000;
  const notice = r.allowed ? undefined : r.notice;
  const details = { provider: m.provider, replyId: m.replyId, ...(window ? { window } : {}) };
  const [row] = await db<{ marked: boolean }[]>`
    WITH marked AS (
      UPDATE inbound_messages
         SET status = ${held ? 'held' : 'ingested'}, status_note = ${held ? `held: over the ${window} limit` : null},
             ingested_at = CASE WHEN ${held} THEN NULL ELSE now() END,
             held_until = CASE WHEN ${held} THEN now() + make_interval(secs => ${holdSeconds}) END
       WHERE chat_id = ${m.chatId} AND id = ${m.id} AND status = 'received'
      RETURNING id, held_until),
    customer AS (
      INSERT INTO customers (phone, name) SELECT ${m.chatId}, ${m.customerName} FROM marked
      ON CONFLICT (phone) DO UPDATE SET name = coalesce(EXCLUDED.name, customers.name), updated_at = now()
      RETURNING 1),
    logged AS (
      INSERT INTO message_logs (inbound_id, customer_phone, message_type, message_text, message_timestamp, rate_limit_exceeded, details)
      SELECT ${m.id}, ${m.chatId}, ${m.kind}, ${m.text}, ${m.sentAt}, ${held}, ${db.json(details as never)}
             || CASE WHEN ${held} THEN jsonb_build_object('heldUntil', held_until) ELSE '{}' END FROM marked
      ON CONFLICT (inbound_id) DO NOTHING RETURNING 1),
    profile AS (${guestProfileUpsert(db, { phone: m.chatId, chatId: m.providerChatId ?? chatAddressOf(m.chatId), name: m.customerName, at: m.receivedAt }, db`EXISTS (SELECT 1 FROM marked)`)} RETURNING 1),
    -- the notice is not this message's answer, which follows at its release as seq 0…: it takes seq -1
    notice AS (
      INSERT INTO outbox (chat_id, provider_chat_id, inbound_id, seq, content)
      SELECT ${m.chatId}, ${m.providerChatId}, ${m.id}, ${RATE_LIMIT_NOTICE_SEQ}, ${db.json((notice ?? null) as never)} FROM marked WHERE ${notice !== undefined}
      ON CONFLICT (inbound_id, seq) DO NOTHING RETURNING 1),
    -- the dashboard's "messages in" and "rate limited" (src/db/events.ts): once per message, at its first hold
    received AS (
      INSERT INTO events (type, chat_id, data)
      SELECT 'message_received', ${m.chatId}, ${db.json({ kind: m.kind, provider: m.provider } as never)} FROM marked RETURNING 1),
    limited AS (
      INSERT INTO events (type, chat_id, data)
      SELECT 'rate_limited', ${m.chatId}, jsonb_build_object('window', ${window}::text, 'heldUntil', held_until) FROM marked WHERE ${held} RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM marked) AS marked, set_config('synchronous_commit', ${held ? 'on' : 'off'}, true) AS commit_mode,
      (SELECT count(*) FROM customer) + (SELECT count(*) FROM logged) + (SELECT count(*) FROM profile) + (SELECT count(*) FROM notice) + (SELECT count(*) FROM received) + (SELECT count(*) FROM limited) AS writes`;
  return row.marked;
}

/** A held message checked again and still over the limit: it waits on, silently (the customer was told). */
export async function extendHold(db: Queryable, { id, chatId }: InboundRef, window: string, holdMs: number): Promise<void> {
  await db`
    UPDATE inbound_messages SET held_until = now() + make_interval(secs => ${holdMs / 1000}), status_note = ${`held: over the ${window} limit`}
     WHERE chat_id = ${chatId} AND id = ${id} AND status = 'held'`;
}

/**
 * A held message passed: it goes on to the conversation like any other (logged, profile touched and
 * counted at its first hold already). Returns whether this run did the marking.
 */
export async function releaseHeld(db: Queryable, { id, chatId }: InboundRef): Promise<boolean> {
  const [row] = await db<{ marked: boolean }[]>`
    WITH marked AS (
      UPDATE inbound_messages SET status = 'ingested', status_note = 'released by the rate limit', ingested_at = now(), released_at = now()
       WHERE chat_id = ${chatId} AND id = ${id} AND status = 'held'
      RETURNING id, text, released_at),
    -- the text too: a voice note is transcribed only once it passes
    logged AS (
      UPDATE message_logs l SET message_text = m.text, details = l.details || jsonb_build_object('releasedAt', m.released_at)
        FROM marked m WHERE l.inbound_id = m.id RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM marked) AS marked, (SELECT count(*) FROM logged) AS writes`;
  return row.marked;
}
