import type { Queryable } from '../db/client.ts';

export interface HistoryEntry {
  direction: 'in' | 'out';
  kind: string;
  text: string | null;
  at: Date;
}

/**
 * A chat's messages in and out, oldest first: the seed's "thread". `limit` bounds the recent window
 * (what the AI sees); `before` pages further back.
 */
export async function conversationHistory(db: Queryable, chatId: string, opts: { limit?: number; before?: Date } = {}): Promise<HistoryEntry[]> {
  const rows = await db<HistoryEntry[]>`
    SELECT direction, kind, text, at FROM conversation_history
     WHERE chat_id = ${chatId} ${opts.before ? db`AND at < ${opts.before}` : db``}
     ORDER BY at DESC, direction DESC, message_id DESC
     LIMIT ${opts.limit ?? 50}`;
  return rows.reverse();
}
