import type { OutboundContent } from '../whatsapp/types.ts';
import type { Queryable } from './client.ts';

export interface NewReply {
  chatId: string;
  providerChatId?: string | null;
  inboundId: number | null;
  seq: number;
  content: OutboundContent;
  replyToProviderMessageId?: string | null;
  /** The operator who wrote it (a person answering from the console); absent: the bot. */
  sentBy?: string | null;
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
  seq: number;
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
    operator_name: r.sentBy ?? null,
  }));
  const inserted = await db<{ id: number }[]>`
    INSERT INTO outbox ${db(rows as never, 'chat_id', 'provider_chat_id', 'inbound_id', 'seq', 'content', 'reply_to_provider_message_id', 'operator_name')}
    ON CONFLICT (inbound_id, seq) DO NOTHING
    RETURNING id`;
  return inserted.map((r) => r.id);
}

/**
 * A message the business starts (a payment received, a payment link), not an answer to a customer
 * message: addressed by the guest profile's chat id, in the caller's transaction.
 */
export async function insertNotice(db: Queryable, phone: string, content: OutboundContent, opts: { sentBy?: string } = {}): Promise<void> {
  const [guest] = await db<{ chatId: string }[]>`SELECT chat_id AS "chatId" FROM guest_profiles WHERE phone_number = ${phone}`;
  await insertReplies(db, [{ chatId: phone, providerChatId: guest?.chatId ?? null, inboundId: null, seq: 0, content, sentBy: opts.sentBy }]);
}

/**
 * A reply row, named by its chat as well as its id: every statement on a pending row says both, so it is
 * looked up through outbox_pending_by_chat (chat_id, id) or the primary key, never by walking every chat's
 * pending rows (migration 017).
 */
export interface ReplyRef {
  id: number;
  chatId: string;
}

/**
 * Take the chat's oldest pending reply for sending, in one statement. Replies leave strictly in order,
 * so when that row is leased by another sender (a stalled job's re-run, say) the answer is 'busy', not
 * the next row. The lease stops two senders from sending one row at once; a crashed sender's lease
 * simply runs out. Also returns the customer message the reply answers, to mark it read. Busy, it says
 * how long the lease has left, so the caller comes back when a crashed sender's lease has run out
 * instead of on a backoff that may overshoot it by many seconds.
 */
export async function claimNextReply(db: Queryable, chatId: string, leaseSeconds: number): Promise<(OutboxRow & { answersProviderMessageId: string | null; answersProvider: string | null }) | { busyForMs: number } | undefined> {
  const [row] = await db<(OutboxRow & { answersProviderMessageId: string | null; answersProvider: string | null; busy: boolean; busyForMs: number })[]>`
    WITH oldest AS (
      SELECT id, locked_until FROM outbox WHERE chat_id = ${chatId} AND status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE),
    claimed AS (
      UPDATE outbox o SET attempts = o.attempts + 1, locked_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
        FROM oldest WHERE o.chat_id = ${chatId} AND o.id = oldest.id AND (oldest.locked_until IS NULL OR oldest.locked_until < now())
      RETURNING o.*)
    SELECT c.id IS NULL AS busy, GREATEST(0, ceil(EXTRACT(EPOCH FROM oldest.locked_until - now()) * 1000))::int AS "busyForMs", c.id, c.chat_id AS "chatId", c.provider_chat_id AS "providerChatId", c.inbound_id AS "inboundId", c.content,
           c.reply_to_provider_message_id AS "replyToProviderMessageId", c.status, c.attempts, c.created_at AS "createdAt", c.seq,
           i.provider_message_id AS "answersProviderMessageId", i.provider AS "answersProvider"
      FROM oldest LEFT JOIN claimed c ON true LEFT JOIN inbound_messages i ON i.id = c.inbound_id`;
  if (!row) return undefined;
  if (row.busy) return { busyForMs: row.busyForMs };
  const { busy: _busy, busyForMs: _busyForMs, ...claimed } = row;
  return claimed;
}

/**
 * The `reply_sent` event of a send being recorded, with the end-to-end time when it is the first reply to
 * a customer message (their message committed at the webhook → the provider accepted our answer). A CTE of
 * the recording statement, reading its `sent` CTE: the event costs no round trip or commit of its own (it
 * was a statement after the record until issue 16), and a record retried after its first try committed
 * writes it no second time. The record itself cannot fail on it: fixed type, an object for data.
 */
const REPLY_SENT_EVENT = `
    noted AS (
      INSERT INTO events (type, chat_id, occurred_at, data)
      SELECT 'reply_sent', s.chat_id, s.sent_at, jsonb_build_object('provider', s.provider,
               'e2eMs', CASE WHEN s.seq = 0 THEN round((extract(epoch FROM s.sent_at - i.received_at) * 1000)::numeric, 1) END)
        FROM sent s LEFT JOIN inbound_messages i ON i.id = s.inbound_id
      RETURNING (data->>'e2eMs')::float8 AS e2e_ms)`;

/**
 * Record a send, in one statement: the provider's id, any delivery status the provider already reported
 * for it (its callback can beat this bookkeeping), and its `reply_sent` event. Answers whether the chat has
 * more pending. One statement on purpose: between the provider's acceptance and this commit a crash means
 * the reply is sent again, so nothing that needs a round trip of its own (metrics, logs) comes before it.
 */
export async function markSentAndPeek(db: Queryable, reply: ReplyRef, provider: string, providerMessageId: string): Promise<SendRecord> {
  const [row] = await db<SendRecord[]>`
    WITH best AS (
      SELECT status, reported_at, error_code, error_title FROM message_statuses
       WHERE provider = ${provider} AND provider_message_id = ${providerMessageId}
       ORDER BY CASE status WHEN 'failed' THEN 9 WHEN 'read' THEN 3 WHEN 'played' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END DESC, reported_at DESC
       LIMIT 1),
    sent AS (
      UPDATE outbox o SET
        status = CASE WHEN best.status IN ('delivered', 'read', 'failed') THEN best.status WHEN best.status = 'played' THEN 'read' ELSE 'sent' END,
        provider = ${provider}, provider_message_id = ${providerMessageId}, sent_at = now(), locked_until = NULL, updated_at = now(),
        delivered_at = CASE WHEN best.status IN ('delivered', 'read', 'played') THEN best.reported_at END,
        read_at = CASE WHEN best.status IN ('read', 'played') THEN best.reported_at END,
        failed_at = CASE WHEN best.status = 'failed' THEN best.reported_at END,
        error_code = best.error_code, error_title = best.error_title
      FROM (SELECT 1) one LEFT JOIN best ON true
      WHERE o.chat_id = ${reply.chatId} AND o.id = ${reply.id} AND o.status = 'pending'
      RETURNING o.chat_id, o.status, o.error_code, o.provider, o.sent_at, o.seq, o.inbound_id),
    ${db.unsafe(REPLY_SENT_EVENT)}
    SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = ${reply.chatId} AND status = 'pending' AND id <> ${reply.id}) AS "morePending",
           (SELECT status FROM sent) AS status, (SELECT error_code FROM sent) AS "errorCode", (SELECT e2e_ms FROM noted) AS "e2eMs"`;
  return row;
}

/**
 * What recording a send did. `status` is the row's status after it (null when it was already recorded:
 * a retried record whose first try had committed); `failed` means the provider had already reported the
 * message failed. `duplicateOf` is set when the provider's id belonged to another row already.
 */
export interface SendRecord {
  morePending: boolean;
  status: string | null;
  /** the provider's code when it had reported the message failed */
  errorCode?: number | null;
  duplicateOf?: number | null;
  /** End-to-end milliseconds, for the first reply to a customer message (null for later replies, notices, re-records). */
  e2eMs?: number | null;
}

/**
 * Record a send the provider accepted. A provider that answers with an id already recorded for another
 * reply would fail the record on outbox_provider_message_unique forever, and a failed record must never
 * become a second send: the reply did go out, so it is recorded as sent with that id kept apart
 * (duplicate_provider_message_id) and a `reply_id_conflict` event for an operator.
 */
export async function recordSend(db: Queryable, reply: ReplyRef, provider: string, providerMessageId: string): Promise<SendRecord> {
  try {
    return await markSentAndPeek(db, reply, provider, providerMessageId);
  } catch (error) {
    if (!isUniqueViolation(error, 'outbox_provider_message_unique')) throw error;
    return markSentWithDuplicateId(db, reply, provider, providerMessageId);
  }
}

const isUniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string }).code === '23505' && (error as { constraint_name?: string }).constraint_name === constraint;

async function markSentWithDuplicateId(db: Queryable, { id, chatId }: ReplyRef, provider: string, providerMessageId: string): Promise<SendRecord> {
  const [row] = await db<SendRecord[]>`
    WITH holder AS (SELECT id FROM outbox WHERE provider_message_id = ${providerMessageId}),
    sent AS (
      UPDATE outbox SET status = 'sent', provider = ${provider}, duplicate_provider_message_id = ${providerMessageId},
                        sent_at = now(), locked_until = NULL, updated_at = now()
       WHERE chat_id = ${chatId} AND id = ${id} AND status = 'pending'
      RETURNING chat_id, status, provider, sent_at, seq, inbound_id),
    conflict AS (
      INSERT INTO events (type, chat_id, data)
      SELECT 'reply_id_conflict', chat_id, jsonb_build_object('provider', ${provider}::text, 'providerMessageId', ${providerMessageId}::text,
                                                           'outboxId', ${id}::bigint, 'recordedOutboxId', (SELECT id FROM holder))
        FROM sent),
    ${db.unsafe(REPLY_SENT_EVENT)}
    SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = ${chatId} AND status = 'pending' AND id <> ${id}) AS "morePending",
           (SELECT status FROM sent) AS status, (SELECT id FROM holder) AS "duplicateOf", (SELECT e2e_ms FROM noted) AS "e2eMs"`;
  return row;
}

/** The provider refused the reply for good: recorded with who refused it and why, and a `reply_failed` event. */
export async function markSendFailed(db: Queryable, { id, chatId }: ReplyRef, provider: string, code: number | null, title: string): Promise<void> {
  await db`
    WITH failed AS (
      UPDATE outbox SET status = 'failed', provider = ${provider}, error_code = ${code}, error_title = ${title.slice(0, 500)}, failed_at = now(),
                        locked_until = NULL, updated_at = now()
       WHERE chat_id = ${chatId} AND id = ${id} AND status = 'pending'
      RETURNING chat_id)
    INSERT INTO events (type, chat_id, data) SELECT 'reply_failed', chat_id, jsonb_build_object('code', ${code}::int) FROM failed`;
}

/** A transient failure: keep the row pending for the next try, free the lease, remember why. */
export async function releaseAfterError(db: Queryable, { id, chatId }: ReplyRef, error: string): Promise<void> {
  await db`UPDATE outbox SET locked_until = NULL, error_title = ${error.slice(0, 500)}, updated_at = now() WHERE chat_id = ${chatId} AND id = ${id} AND status = 'pending'`;
}

export async function markExpired(db: Queryable, { id, chatId }: ReplyRef): Promise<void> {
  await db`
    WITH expired AS (
      UPDATE outbox SET status = 'expired', locked_until = NULL, updated_at = now() WHERE chat_id = ${chatId} AND id = ${id} AND status = 'pending' RETURNING chat_id)
    INSERT INTO events (type, chat_id, data) SELECT 'reply_expired', chat_id, '{}'::jsonb FROM expired`;
}

export async function hasPendingReplies(db: Queryable, chatId: string): Promise<boolean> {
  const [row] = await db<{ exists: boolean }[]>`SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = ${chatId} AND status = 'pending') AS exists`;
  return row.exists;
}
