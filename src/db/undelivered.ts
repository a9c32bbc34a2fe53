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
export async function listUndeliveredReplies(db: Queryable, opts: { since: Date; limit: number }): Promise<{ count: number; rows: UndeliveredRow[] }> {
  const rows = await db<(UndeliveredRow & { total: number })[]>`
    SELECT o.id, o.chat_id AS "chatId", coalesce(i.customer_name, g.user_name) AS "customerName", o.content,
           CASE WHEN o.status = 'expired' THEN 'expired' WHEN o.sent_at IS NULL THEN 'refused' ELSE 'failed' END AS outcome,
           o.provider, o.error_code AS "errorCode", o.error_title AS "errorTitle",
           coalesce(o.failed_at, o.updated_at) AS at, o.created_at AS "createdAt", o.inbound_id AS "inboundId",
           count(*) OVER () AS total
      FROM outbox o
      LEFT JOIN inbound_messages i ON i.id = o.inbound_id
      LEFT JOIN guest_profiles g ON g.phone_number = o.chat_id
     WHERE o.status IN ('failed', 'expired') AND coalesce(o.failed_at, o.updated_at) >= ${opts.since}
     ORDER BY coalesce(o.failed_at, o.updated_at) DESC, o.id DESC
     LIMIT ${opts.limit}`;
  return { count: rows[0]?.total ?? 0, rows: rows.map(({ total: _total, ...r }) => r) };
}
