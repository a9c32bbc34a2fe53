import type { OutboundContent } from '../whatsapp/types.ts';
import { guestProfileUpsert } from '../crm/profiles.ts';
import type { CustomerTier } from '../crm/customers.ts';
import type { Queryable } from './client.ts';
import type { InboundRow } from './inbox.ts';

// The ingest stage's two statements. Each PostgreSQL round trip costs real CPU on a small machine
// (the benchmark showed socket writes as the largest cost), so the stage does its work in two single
// statements instead of seven: each statement is atomic on its own, no explicit transaction needed.

const ROW = `i.id, i.provider, i.provider_message_id AS "providerMessageId", i.chat_id AS "chatId", i.provider_chat_id AS "providerChatId",
  i.customer_name AS "customerName", i.kind, i.text, i.reply_id AS "replyId", i.context_message_id AS "contextMessageId", i.details,
  i.sent_at AS "sentAt", i.received_at AS "receivedAt", i.status`;

/** The message, and its sender's customer record (created on first contact) with the tier for rate limits. */
export async function openForIngest(db: Queryable, inboundId: number): Promise<(InboundRow & { tier: CustomerTier }) | undefined> {
  const [row] = await db.unsafe<(InboundRow & { tier: CustomerTier })[]>(
    `WITH msg AS (SELECT * FROM inbound_messages WHERE id = $1),
          customer AS (
            INSERT INTO customers (phone, name) SELECT chat_id, customer_name FROM msg WHERE status = 'received'
            ON CONFLICT (phone) DO UPDATE SET name = coalesce(EXCLUDED.name, customers.name), updated_at = now()
            RETURNING phone, customer_tier)
     SELECT ${ROW}, coalesce(c.customer_tier, 'new') AS tier FROM msg i LEFT JOIN customer c ON c.phone = i.chat_id`,
    [inboundId],
    { prepare: true }, // hot path: parse and plan once per connection
  );
  return row;
}

export interface IngestRecord {
  message: InboundRow;
  allowed: boolean;
  /** Why it was not allowed (the rate window), for the log and the status note. */
  window?: string;
  /** Tell the customer they are over the limit (once per window): this reply goes to the outbox. */
  notice?: OutboundContent;
}

/**
 * In one statement: mark the message ingested (or rate_limited), and only if that took (a concurrent
 * re-run finds nothing to mark) log it, touch the guest profile and write the notice. Returns whether
 * this run did the marking.
 */
export async function recordIngest(db: Queryable, r: IngestRecord): Promise<boolean> {
  const m = r.message;
  const status = r.allowed ? 'ingested' : 'rate_limited';
  const note = r.allowed ? null : `over the ${r.window} limit`;
  const details = { provider: m.provider, replyId: m.replyId, ...(r.window ? { window: r.window } : {}) };
  const [row] = await db<{ marked: boolean }[]>`
    WITH marked AS (
      UPDATE inbound_messages
         SET status = ${status}, status_note = ${note},
             ingested_at = now(), handled_at = CASE WHEN ${status} = 'rate_limited' THEN now() END
       WHERE id = ${m.id} AND status = 'received'
      RETURNING id),
    logged AS (
      INSERT INTO message_logs (inbound_id, customer_phone, message_type, message_text, message_timestamp, rate_limit_exceeded, details)
      SELECT ${m.id}, ${m.chatId}, ${m.kind}, ${m.text}, ${m.sentAt}, ${!r.allowed}, ${db.json(details as never)} FROM marked
      ON CONFLICT (inbound_id) DO NOTHING RETURNING 1),
    profile AS (${guestProfileUpsert(db, { phone: m.chatId, chatId: m.providerChatId ?? `${m.chatId}@s.whatsapp.net`, name: m.customerName, at: m.receivedAt }, db`EXISTS (SELECT 1 FROM marked)`)} RETURNING 1),
    notice AS (
      INSERT INTO outbox (chat_id, provider_chat_id, inbound_id, seq, content)
      SELECT ${m.chatId}, ${m.providerChatId}, ${m.id}, 0, ${db.json((r.notice ?? null) as never)} FROM marked WHERE ${r.notice !== undefined}
      ON CONFLICT (inbound_id, seq) DO NOTHING RETURNING 1),
    -- the dashboard's "messages in" and "rate limited" (src/db/events.ts)
    received AS (
      INSERT INTO events (type, chat_id, data)
      SELECT 'message_received', ${m.chatId}, ${db.json({ kind: m.kind, provider: m.provider } as never)} FROM marked RETURNING 1),
    limited AS (
      INSERT INTO events (type, chat_id, data)
      SELECT 'rate_limited', ${m.chatId}, ${db.json({ window: r.window ?? null } as never)} FROM marked WHERE ${!r.allowed} RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM marked) AS marked,
      (SELECT count(*) FROM logged) + (SELECT count(*) FROM profile) + (SELECT count(*) FROM notice) + (SELECT count(*) FROM received) + (SELECT count(*) FROM limited) AS writes`;
  return row.marked;
}
