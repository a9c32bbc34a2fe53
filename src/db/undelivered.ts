import type { OutboundContent } from '../whatsapp/types.ts';
import type { Queryable } from './client.ts';

// Replies that did not reach the customer, for an operator: refused by the provider at send (failed, never
// sent), reported failed by the provider after it took them (failed, sent), or dropped too old to send
// (expired). BullMQ calls those jobs completed (the stage did its work), so this table is where they show.

export type UndeliveredOutcome = 'refused' | 'failed' | 'expired';

export interface UndeliveredRow {
  id: number;
  chatId: string;
  customerName: string | null;
  content: OutboundContent;
  outcome: UndeliveredOutcome;
  provider: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  /** when it was refused, reported failed or expired */
  at: Date;
  createdAt: Date;
  /** the customer message it answered (null for notices the business started) */
  inboundId: number | null;
}

/** Newest first, since `since`; `count` is all of them in that span, past `limit` too. */
/** How a reply that never reached the customer ended: expired before it went, refused at the send, failed after. */
export const undeliveredOutcome = (db: Queryable) =>
  db`CASE WHEN o.status = 'expired' THEN 'expired' WHEN o.sent_at IS NULL THEN 'refused' ELSE 'failed' END`;
/** When it stopped trying: the provider's failure, or the expiry. */
export const undeliveredAt = (db: Queryable) => db`coalesce(o.failed_at, o.updated_at)`;

export async function listUndeliveredReplies(db: Queryable, opts: { since: Date; limit: number }): Promise<{ count: number; rows: UndeliveredRow[] }> {
  const rows = await db<(UndeliveredRow & { total: number })[]>`
    SELECT o.id, o.chat_id AS "chatId", coalesce(i.customer_name, g.user_name) AS "customerName", o.content,
           ${undeliveredOutcome(db)} AS outcome,
           o.provider, o.error_code AS "errorCode", o.error_title AS "errorTitle",
           ${undeliveredAt(db)} AS at, o.created_at AS "createdAt", o.inbound_id AS "inboundId",
           count(*) OVER () AS total
      FROM outbox o
      LEFT JOIN inbound_messages i ON i.id = o.inbound_id
      LEFT JOIN guest_profiles g ON g.phone_number = o.chat_id
     WHERE o.status IN ('failed', 'expired') AND ${undeliveredAt(db)} >= ${opts.since}
     ORDER BY ${undeliveredAt(db)} DESC, o.id DESC
     LIMIT ${opts.limit}`;
  return { count: rows[0]?.total ?? 0, rows: rows.map(({ total: _total, ...r }) => r) };
}
