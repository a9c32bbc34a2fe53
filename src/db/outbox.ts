import type { OutboundContent } from '../whatsapp/types.ts';
import type { Queryable, Sql } from './client.ts';

export interface NewReply {
  chatId: string;
  providerChatId?: string | null;
  inboundId: number;
  seq: number;
  content: OutboundContent;
  replyToProviderMessageId?: string | null;
}

export interface OutboxRow {
  id: number;
  chatId: string;
  providerChatId: string | null;
  inboundId: number | null;
  content: OutboundContent;
  replyToProviderMessageId: string | null;
  status: string;
  attempts: number;
  createdAt: Date;
}

/** Write replies; a re-run for the same inbound message and position writes nothing. Returns new ids. */
export async function insertReplies(db: Queryable, replies: NewReply[]): Promise<number[]> {
  if (!replies.length) return [];
  const rows = replies.map((r) => ({
    chat_id: r.chatId,
    provider_chat_id: r.providerChatId ?? null,
    inbound_id: r.inboundId,
    seq: r.seq,
    content: r.content,
    reply_to_provider_message_id: r.replyToProviderMessageId ?? null,
  }));
  const inserted = await db<{ id: number }[]>`
    INSERT INTO outbox ${db(rows as never, 'chat_id', 'provider_chat_id', 'inbound_id', 'seq', 'content', 'reply_to_provider_message_id')}
    ON CONFLICT (inbound_id, seq) DO NOTHING
    RETURNING id`;
  return inserted.map((r) => r.id);
}

/**
 * Take the chat's oldest pending reply for sending. Replies leave strictly in order, so when that row
 * is leased by another sender (a stalled job's re-run, say) the answer is 'busy', not the next row.
 * The lease stops two senders from sending one row at once; a crashed sender's lease simply runs out.
 */
export async function claimNextReply(db: Sql, chatId: string, leaseSeconds: number): Promise<OutboxRow | 'busy' | undefined> {
  return db.begin(async (tx) => {
    const [oldest] = await tx<{ id: number; leased: boolean }[]>`
      SELECT id, (locked_until IS NOT NULL AND locked_until >= now()) AS leased
        FROM outbox WHERE chat_id = ${chatId} AND status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE`;
    if (!oldest) return undefined;
    if (oldest.leased) return 'busy' as const;
    const [row] = await tx<OutboxRow[]>`
      UPDATE outbox SET attempts = attempts + 1, locked_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
       WHERE id = ${oldest.id}
       RETURNING id, chat_id AS "chatId", provider_chat_id AS "providerChatId", inbound_id AS "inboundId", content,
                 reply_to_provider_message_id AS "replyToProviderMessageId", status, attempts, created_at AS "createdAt"`;
    return row;
  });
}

export async function hasPendingReplies(db: Queryable, chatId: string): Promise<boolean> {
  const [row] = await db<{ exists: boolean }[]>`SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = ${chatId} AND status = 'pending') AS exists`;
  return row.exists;
}

export async function markSent(db: Queryable, id: number, provider: string, providerMessageId: string): Promise<void> {
  await db`
    UPDATE outbox SET status = 'sent', provider = ${provider}, provider_message_id = ${providerMessageId}, sent_at = now(),
                      locked_until = NULL, updated_at = now()
     WHERE id = ${id} AND status = 'pending'`;
}

export async function markSendFailed(db: Queryable, id: number, code: number | null, title: string): Promise<void> {
  await db`
    UPDATE outbox SET status = 'failed', error_code = ${code}, error_title = ${title.slice(0, 500)}, failed_at = now(),
                      locked_until = NULL, updated_at = now()
     WHERE id = ${id} AND status = 'pending'`;
}

/** A transient failure: keep the row pending for the next try, free the lease, remember why. */
export async function releaseAfterError(db: Queryable, id: number, error: string): Promise<void> {
  await db`UPDATE outbox SET locked_until = NULL, error_title = ${error.slice(0, 500)}, updated_at = now() WHERE id = ${id} AND status = 'pending'`;
}

export async function markExpired(db: Queryable, id: number): Promise<void> {
  await db`UPDATE outbox SET status = 'expired', locked_until = NULL, updated_at = now() WHERE id = ${id} AND status = 'pending'`;
}
