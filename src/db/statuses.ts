import type { StatusUpdate } from '../whatsapp/types.ts';
import type { Queryable } from './client.ts';

// Delivery statuses only move forward (a late "delivered" never undoes "read"); "failed" wins over all.
const RANK_SQL = `CASE $STATUS WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 3 WHEN 'failed' THEN 9 ELSE -1 END`;
const rank = (col: string) => RANK_SQL.replace('$STATUS', col);

/** A sent reply the provider has now reported failed (each counted once: the row moves to failed once). */
export interface ReportedFailure {
  provider: string | null;
  code: number | null;
}

/** Record what the provider reported and move the matching outbox rows forward; returns the replies that became failed. */
export async function recordStatuses(db: Queryable, statuses: StatusUpdate[]): Promise<ReportedFailure[]> {
  if (!statuses.length) return [];
  const rows = statuses.map((s) => ({
    provider: s.provider,
    provider_message_id: s.providerMessageId,
    status: s.status,
    reported_at: s.at,
    recipient: s.recipient ?? null,
    error_code: s.errorCode ?? null,
    error_title: s.errorTitle ?? null,
  }));
  await db`
    INSERT INTO message_statuses ${db(rows as never, 'provider', 'provider_message_id', 'status', 'reported_at', 'recipient', 'error_code', 'error_title')}
    ON CONFLICT (provider, provider_message_id, status) DO NOTHING`;
  return applyStatuses(db, statuses);
}

/**
 * Bring outbox rows up to date with every status recorded for them. Called when statuses arrive and right
 * after a send is recorded, because the provider's callback can beat our own "sent" bookkeeping.
 */
export async function applyStatuses(db: Queryable, reported: Pick<StatusUpdate, 'provider' | 'providerMessageId'>[]): Promise<ReportedFailure[]> {
  if (!reported.length) return [];
  const providers = [...new Set(reported.map((s) => s.provider))];
  const providerMessageIds = [...new Set(reported.map((s) => s.providerMessageId))];
  // a reply reported failed gets its `reply_failed` event in the same statement (reported: it had been sent)
  return db.unsafe<ReportedFailure[]>(
    `WITH best AS (
       SELECT DISTINCT ON (provider_message_id) provider_message_id, status, reported_at, error_code, error_title
         FROM message_statuses
        -- both leading columns of message_statuses_unique: the id alone would scan the table
        WHERE provider = ANY($1::text[]) AND provider_message_id = ANY($2::text[])
        ORDER BY provider_message_id, ${rank('status')} DESC, reported_at DESC
     ),
     moved AS (
     UPDATE outbox o
        SET status = CASE WHEN best.status IN ('delivered', 'read', 'failed') THEN best.status WHEN best.status = 'played' THEN 'read' ELSE o.status END,
            delivered_at = CASE WHEN best.status IN ('delivered', 'read', 'played') THEN coalesce(o.delivered_at, best.reported_at) ELSE o.delivered_at END,
            read_at = CASE WHEN best.status IN ('read', 'played') THEN coalesce(o.read_at, best.reported_at) ELSE o.read_at END,
            failed_at = CASE WHEN best.status = 'failed' THEN best.reported_at ELSE o.failed_at END,
            error_code = coalesce(best.error_code, o.error_code),
            error_title = coalesce(best.error_title, o.error_title),
            updated_at = now()
       FROM best
      WHERE o.provider_message_id = best.provider_message_id
        AND o.status <> 'pending'
        AND ${rank('best.status')} > ${rank('o.status')}
     RETURNING o.chat_id, o.status, o.provider, o.error_code),
     noted AS (
       INSERT INTO events (type, chat_id, data)
       SELECT 'reply_failed', chat_id, jsonb_build_object('code', error_code, 'reported', true) FROM moved WHERE status = 'failed')
     SELECT provider, error_code AS code FROM moved WHERE status = 'failed'`,
    [providers, providerMessageIds],
    { prepare: true },
  );
}
