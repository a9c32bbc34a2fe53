import type { Queryable } from '../db/client.ts';

// How far the team has read a chat. One mark per chat, shared: the team works one inbox, and a message one
// operator read is not news to the next. Marks only move forward.

export async function markChatRead(db: Queryable, chatId: string, operator: string): Promise<Date | null> {
  const [row] = await db<{ readUpTo: Date | null }[]>`
    INSERT INTO chat_reads AS r (chat_id, read_up_to, read_by)
    SELECT ${chatId}, latest.at, ${operator}
      FROM (SELECT max(received_at) AS at FROM inbound_messages WHERE chat_id = ${chatId}) latest
     WHERE latest.at IS NOT NULL
    ON CONFLICT (chat_id) DO UPDATE
      SET read_up_to = greatest(r.read_up_to, EXCLUDED.read_up_to), read_by = EXCLUDED.read_by, read_at = now()
    RETURNING read_up_to AS "readUpTo"`;
  return row?.readUpTo ?? null;
}
