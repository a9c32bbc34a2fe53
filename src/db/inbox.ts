import type { InboundMessage } from '../whatsapp/types.ts';
import type { Queryable } from './client.ts';

/** `held`: over the rate limit, waiting for its window (`held_until`); `rate_limited` only on rows from before migration 009. */
export type InboundStatus = 'received' | 'held' | 'ingested' | 'handled' | 'stale' | 'skipped' | 'rate_limited';

export interface InboundRow {
  id: number;
  provider: string;
  providerMessageId: string;
  chatId: string;
  providerChatId: string | null;
  customerName: string | null;
  kind: string;
  text: string | null;
  replyId: string | null;
  contextMessageId: string | null;
  details: Record<string, unknown>;
  sentAt: Date;
  receivedAt: Date;
  status: InboundStatus;
  /** When the rate limit released it (it was held); its age counts from here. */
  releasedAt?: Date | null;
}

const COLUMNS = `id, provider, provider_message_id AS "providerMessageId", chat_id AS "chatId", provider_chat_id AS "providerChatId",
  customer_name AS "customerName", kind, text, reply_id AS "replyId", context_message_id AS "contextMessageId", details,
  sent_at AS "sentAt", received_at AS "receivedAt", status, released_at AS "releasedAt"`;

/**
 * Store a delivery's messages. A message the provider delivered before (same provider and id, any time)
 * is skipped by the unique constraint; only the newly stored rows come back.
 */
export async function insertInbound(db: Queryable, messages: InboundMessage[]): Promise<{ id: number; chatId: string }[]> {
  if (!messages.length) return [];
  const rows = messages.map((m) => ({
    provider: m.provider,
    provider_message_id: m.providerMessageId,
    chat_id: m.chatId,
    provider_chat_id: m.providerChatId ?? null,
    customer_name: m.customerName ?? null,
    kind: m.kind,
    text: m.text ?? null,
    reply_id: m.replyId ?? null,
    context_message_id: m.contextMessageId ?? null,
    details: m.details,
    sent_at: m.sentAt,
  }));
  return db<{ id: number; chatId: string }[]>`
    INSERT INTO inbound_messages ${db(rows as never, 'provider', 'provider_message_id', 'chat_id', 'provider_chat_id', 'customer_name', 'kind', 'text', 'reply_id', 'context_message_id', 'details', 'sent_at')}
    ON CONFLICT (provider, provider_message_id) DO NOTHING
    RETURNING id, chat_id AS "chatId"`;
}

export async function getInbound(db: Queryable, id: number): Promise<InboundRow | undefined> {
  const [row] = await db.unsafe<InboundRow[]>(`SELECT ${COLUMNS} FROM inbound_messages WHERE id = $1`, [id], { prepare: true });
  return row;
}

/** The chat's messages not yet answered (held ones too: the drain stops at them), oldest first. The caller holds the chat's lock. */
export async function openMessagesOfChat(db: Queryable, chatId: string, limit = 100): Promise<InboundRow[]> {
  return db.unsafe<InboundRow[]>(
    `SELECT ${COLUMNS} FROM inbound_messages WHERE chat_id = $1 AND status IN ('received', 'held', 'ingested') ORDER BY id LIMIT $2`,
    [chatId, limit],
    { prepare: true },
  );
}

/** Close messages of one chat for good: handled (with the message whose reply covered them), stale, skipped. */
export async function closeInbound(
  db: Queryable,
  chatId: string,
  ids: number[],
  status: Exclude<InboundStatus, 'received' | 'held' | 'ingested'>,
  opts: { answeredWithId?: number; note?: string } = {},
): Promise<number> {
  if (!ids.length) return 0;
  // the chat as well as the ids: inbound_messages_open_by_chat (chat_id, id) is then looked up on both of its
  // columns, where ids alone let the planner walk every chat's open rows (migration 017)
  const rows = await db`
    UPDATE inbound_messages
       SET status = ${status}, handled_at = now(), answered_with_id = ${opts.answeredWithId ?? null}, status_note = ${opts.note ?? null}
     WHERE chat_id = ${chatId} AND id = ANY(${ids}::bigint[]) AND status IN ('received', 'ingested')
     RETURNING id`;
  return rows.length;
}
