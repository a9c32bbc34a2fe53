import type { Queryable } from './client.ts';

// Queries of the recovery sweep: what was committed but has not moved for a while.

export async function markOldOpenMessagesStale(db: Queryable, staleAfterMs: number): Promise<number> {
  const rows = await db`
    UPDATE inbound_messages SET status = 'stale', status_note = 'too old to answer automatically', handled_at = now()
     WHERE status IN ('received', 'ingested') AND received_at < now() - make_interval(secs => ${staleAfterMs / 1000})
     RETURNING id`;
  return rows.length;
}

export async function messagesStuckInReceived(db: Queryable, graceMs: number, limit: number): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT id FROM inbound_messages
     WHERE status = 'received' AND received_at < now() - make_interval(secs => ${graceMs / 1000})
     ORDER BY id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

export async function chatsStuckInIngested(db: Queryable, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db<{ chatId: string }[]>`
    SELECT chat_id AS "chatId" FROM inbound_messages
     WHERE status = 'ingested' AND coalesce(ingested_at, received_at) < now() - make_interval(secs => ${graceMs / 1000})
     GROUP BY chat_id ORDER BY min(id) LIMIT ${limit}`;
  return rows.map((r) => r.chatId);
}

export async function expireOldPendingReplies(db: Queryable, staleAfterMs: number): Promise<number> {
  const rows = await db`
    UPDATE outbox SET status = 'expired', updated_at = now()
     WHERE status = 'pending' AND created_at < now() - make_interval(secs => ${staleAfterMs / 1000})
     RETURNING id`;
  return rows.length;
}

export async function chatsWithStuckReplies(db: Queryable, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db<{ chatId: string }[]>`
    SELECT chat_id AS "chatId" FROM outbox
     WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now())
       AND updated_at < now() - make_interval(secs => ${graceMs / 1000})
     GROUP BY chat_id ORDER BY min(id) LIMIT ${limit}`;
  return rows.map((r) => r.chatId);
}
