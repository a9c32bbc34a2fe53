import type { Queryable } from './client.ts';

// Queries of the recovery sweep: what was committed but has not moved for a while.

/**
 * Held messages are never stale: they wait for the rate limit, not for us. Their age, and that of the
 * chat's messages queued behind them, counts from their release.
 */
export async function markOldOpenMessagesStale(db: Queryable, staleAfterMs: number): Promise<number> {
  // received_at alone first (greatest() of it and released_at is the age), so the open-by-age index finds
  // the few old rows instead of every open row being read each sweep
  const rows = await db`
    UPDATE inbound_messages i SET status = 'stale', status_note = 'too old to answer automatically', handled_at = now()
     WHERE i.status IN ('received', 'ingested')
       AND i.received_at < now() - make_interval(secs => ${staleAfterMs / 1000})
       AND greatest(i.received_at, i.released_at) < now() - make_interval(secs => ${staleAfterMs / 1000})
       AND NOT EXISTS (SELECT 1 FROM inbound_messages h
                        WHERE h.chat_id = i.chat_id AND h.id < i.id AND h.status IN ('held', 'ingested') AND h.held_until IS NOT NULL)
     RETURNING id`;
  return rows.length;
}

/** Held messages whose release time has passed a while ago: their delayed ingest job was lost. */
export async function heldMessagesPastRelease(db: Queryable, graceMs: number, limit: number): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT id FROM inbound_messages
     WHERE status = 'held' AND held_until < now() - make_interval(secs => ${graceMs / 1000})
     ORDER BY held_until, id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

export async function messagesStuckInReceived(db: Queryable, graceMs: number, limit: number): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT id FROM inbound_messages
     WHERE status = 'received' AND received_at < now() - make_interval(secs => ${graceMs / 1000})
     ORDER BY id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Chats whose oldest open message is through ingest and has waited past the grace. A chat whose ingested
 * messages wait behind one still in ingest, or held by the rate limit, is not stuck: that message's own job
 * hands the chat on when it passes (the drain stops at it anyway).
 */
export async function chatsStuckInIngested(db: Queryable, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db<{ chatId: string }[]>`
    SELECT chat_id AS "chatId" FROM inbound_messages i
     WHERE status = 'ingested' AND received_at < now() - make_interval(secs => ${graceMs / 1000})
       AND coalesce(ingested_at, received_at) < now() - make_interval(secs => ${graceMs / 1000})
       AND NOT EXISTS (SELECT 1 FROM inbound_messages e WHERE e.chat_id = i.chat_id AND e.id < i.id AND e.status IN ('received', 'held'))
     GROUP BY chat_id ORDER BY min(id) LIMIT ${limit}`;
  return rows.map((r) => r.chatId);
}

export async function expireOldPendingReplies(db: Queryable, staleAfterMs: number): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    WITH expired AS (
      UPDATE outbox SET status = 'expired', updated_at = now()
       WHERE status = 'pending' AND created_at < now() - make_interval(secs => ${staleAfterMs / 1000})
       RETURNING chat_id),
    noted AS (INSERT INTO events (type, chat_id, data) SELECT 'reply_expired', chat_id, '{}'::jsonb FROM expired)
    SELECT count(*)::int AS n FROM expired`;
  return row.n;
}

export async function chatsWithStuckReplies(db: Queryable, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db<{ chatId: string }[]>`
    SELECT chat_id AS "chatId" FROM outbox
     WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now())
       AND created_at < now() - make_interval(secs => ${graceMs / 1000})
       AND updated_at < now() - make_interval(secs => ${graceMs / 1000})
     GROUP BY chat_id ORDER BY min(id) LIMIT ${limit}`;
  return rows.map((r) => r.chatId);
}

// Read again after the sweep has looked at Redis: a job that finishes commits its row first, so a row still
// stuck after its job was seen gone (or never there) has no job coming, and one that moved in between is
// left alone (issue 16: reading PostgreSQL only before Redis re-ran jobs that had just finished).

/** Of these messages, the ones still waiting for ingest: received, or held past their release. */
export async function stillWaitingForIngest(db: Queryable, ids: number[], graceMs: number): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db<{ id: number }[]>`
    SELECT id FROM inbound_messages
     WHERE id = ANY(${ids}::bigint[])
       AND (status = 'received' OR (status = 'held' AND held_until < now() - make_interval(secs => ${graceMs / 1000})))
     ORDER BY id`;
  return rows.map((r) => r.id);
}

/** Of these chats, the ones that still have a message waiting for the conversation. */
export async function chatsStillIngested(db: Queryable, chatIds: string[]): Promise<string[]> {
  if (!chatIds.length) return [];
  const rows = await db<{ chatId: string }[]>`
    SELECT DISTINCT chat_id AS "chatId" FROM inbound_messages WHERE chat_id = ANY(${chatIds}::text[]) AND status = 'ingested'`;
  return rows.map((r) => r.chatId);
}

/** Of these chats, the ones that still have a pending reply no sender holds. */
export async function chatsStillWithReplies(db: Queryable, chatIds: string[]): Promise<string[]> {
  if (!chatIds.length) return [];
  const rows = await db<{ chatId: string }[]>`
    SELECT DISTINCT chat_id AS "chatId" FROM outbox
     WHERE chat_id = ANY(${chatIds}::text[]) AND status = 'pending' AND (locked_until IS NULL OR locked_until < now())`;
  return rows.map((r) => r.chatId);
}
