import type { Queryable } from '../db/client.ts';

/** A chat the bot has stepped back from, waiting for a person (or for resume_at). */
export interface OpenHandoff {
  id: number;
  /** the real chat id: resuming the bot needs it */
  chatId: string;
  /** the chat id with all but the last four digits hidden, for a screen someone may be looking over */
  chatIdMasked: string;
  reason: string;
  customerName: string | null;
  lastMessage: string | null;
  startedAt: Date;
  resumeAt: Date;
}

export interface OpenHandoffs {
  /** all open handoffs, even past the listed ones */
  count: number;
  items: OpenHandoff[];
}

/** Open handoffs, oldest first (the customer waiting longest is the first to help). */
export async function listOpenHandoffs(db: Queryable, limit = 100): Promise<OpenHandoffs> {
  const rows = await db<(Omit<OpenHandoff, 'chatIdMasked'> & { total: number })[]>`
    SELECT id, chat_id AS "chatId", reason, customer_name AS "customerName", last_message AS "lastMessage",
           started_at AS "startedAt", resume_at AS "resumeAt", count(*) OVER () AS total
      FROM handoffs WHERE ended_at IS NULL
     ORDER BY started_at, id LIMIT ${limit}`;
  return {
    count: rows[0]?.total ?? 0,
    items: rows.map(({ total: _total, ...h }) => ({ ...h, chatIdMasked: maskChatId(h.chatId) })),
  };
}

/** "573001234567@s.whatsapp.net" → "•••••••4567": enough to tell chats apart, not to write to them. */
export function maskChatId(chatId: string): string {
  const local = chatId.split('@')[0];
  return local.length <= 4 ? local : '•'.repeat(local.length - 4) + local.slice(-4);
}
