import type { Sql } from '../../src/db/client.ts';

// A database as a busy deployment has it: a long history of answered chats, and a backlog of work for
// other chats at every stage (messages waiting for ingest, for the conversation, replies waiting to go out).
// Written with set-returning SQL, not through the pipeline, so a test can have thousands of rows in a second.

export interface BacklogSize {
  /** Chats answered in the past: two messages and two sent replies each, with their logs, statuses, events. */
  historyChats: number;
  /** Chats whose newest message waits for ingest (status received). */
  waitingIngest: number;
  /** Chats whose newest message waits for the conversation (status ingested). */
  waitingConverse: number;
  /** Chats with a reply waiting to be sent (pending outbox rows). */
  waitingSend: number;
}

/** Chat numbers of the backlog start here; keep a test's own chats outside 5731xxxxxxxx. */
export const BACKLOG_CHAT_BASE = 573_100_000_000;

export async function fillBacklog(sql: Sql, size: BacklogSize): Promise<void> {
  const { historyChats, waitingIngest, waitingConverse, waitingSend } = size;
  const total = historyChats + waitingIngest + waitingConverse + waitingSend;
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO customers (phone, name) SELECT (${BACKLOG_CHAT_BASE}::bigint + n)::text, 'Cliente ' || n FROM generate_series(1, ${total}::int) n`;
    await tx`
      INSERT INTO guest_profiles (phone_number, chat_id, thread_id, user_name, total_interactions)
      SELECT (${BACKLOG_CHAT_BASE}::bigint + n)::text, (${BACKLOG_CHAT_BASE}::bigint + n)::text || '@s.whatsapp.net', 'thread-' || n, 'Cliente ' || n, 2
        FROM generate_series(1, ${total}::int) n`;
    await tx`
      INSERT INTO customer_sessions (customer_phone, context_data, expires_at)
      SELECT (${BACKLOG_CHAT_BASE}::bigint + n)::text, '{"turns": 2}', now() + interval '1 day' FROM generate_series(1, ${total}::int) n`;
    // history: two handled messages per chat, each answered by a sent (and delivered) reply
    await tx`
      INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, received_at, status, ingested_at, handled_at, answered_with_id)
      SELECT 'meta', 'wamid.history.' || n || '.' || k, (${BACKLOG_CHAT_BASE}::bigint + n)::text, 'text', 'hola', now() - interval '2 hours', now() - interval '2 hours',
             'handled', now() - interval '2 hours', now() - interval '2 hours', NULL
        FROM generate_series(1, ${historyChats + waitingSend}::int) n, generate_series(1, 2) k`;
    await tx`
      INSERT INTO message_logs (inbound_id, customer_phone, message_type, message_text, message_timestamp)
      SELECT id, chat_id, kind, text, sent_at FROM inbound_messages`;
    await tx`
      INSERT INTO outbox (chat_id, inbound_id, seq, content, status, provider, provider_message_id, attempts, sent_at, delivered_at, created_at, updated_at)
      SELECT chat_id, id, 0, '{"type":"text","text":"¡Hola!"}', 'delivered', 'meta', 'wamid.out.' || id, 1, received_at, received_at, received_at, received_at
        FROM inbound_messages WHERE status = 'handled'`;
    await tx`
      INSERT INTO message_statuses (provider, provider_message_id, status, reported_at, recipient)
      SELECT 'meta', provider_message_id, s, sent_at, chat_id FROM outbox, unnest(ARRAY['sent', 'delivered']) s`;
    await tx`
      INSERT INTO events (type, chat_id, data)
      SELECT t, chat_id, '{}' FROM inbound_messages, unnest(ARRAY['message_received', 'intent_detected', 'reply_sent']) t`;
    // the backlog: the newest reply of these chats is still to be sent
    await tx`
      INSERT INTO outbox (chat_id, inbound_id, seq, content, created_at)
      SELECT chat_id, id, 1, '{"type":"text","text":"¿Algo más?"}', now() - interval '1 minute'
        FROM inbound_messages WHERE status = 'handled' AND (chat_id::bigint - ${BACKLOG_CHAT_BASE}) > ${historyChats} AND provider_message_id LIKE '%.2'`;
    // handoffs of the past (ended: one per chat of the history, a long-running shop), and guests archived long ago
    await tx`
      INSERT INTO handoffs (chat_id, reason, started_at, resume_at, ended_at, ended_by)
      SELECT (${BACKLOG_CHAT_BASE}::bigint + n)::text, 'requested', now() - interval '3 hours', now() - interval '2 hours', now() - interval '2 hours', 'operator'
        FROM generate_series(1, ${historyChats}::int) n`;
    // and a few dozen chats a person has right now
    await tx`
      INSERT INTO handoffs (chat_id, reason, started_at, resume_at)
      SELECT (${BACKLOG_CHAT_BASE}::bigint + n)::text, 'requested', now() - interval '10 minutes', now() + interval '2 hours'
        FROM generate_series(${historyChats - 49}::int, ${historyChats}::int) n`;
    await tx`
      INSERT INTO historical_clients (phone_number, user_name, total_interactions)
      SELECT (${BACKLOG_CHAT_BASE + 10_000_000}::bigint + n)::text, 'Antiguo ' || n, 3 FROM generate_series(1, ${historyChats}::int) n`;
    const open = (status: string, from: number, count: number) => tx`
      INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, status, ingested_at)
      SELECT 'meta', 'wamid.open.' || n, (${BACKLOG_CHAT_BASE}::bigint + n)::text, 'text', 'quiero una camisa', now(), ${status}, CASE WHEN ${status}::text = 'ingested' THEN now() END
        FROM generate_series(${from}::int, ${from + count - 1}::int) n`;
    await open('received', historyChats + waitingSend + 1, waitingIngest);
    await open('ingested', historyChats + waitingSend + waitingIngest + 1, waitingConverse);
  });
}
