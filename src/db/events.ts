import type { Queryable } from './client.ts';

/**
 * What the `events` table records. Each type's data is the few fields the roll-up and an operator need;
 * the table is append-only and pruned by age (src/metrics/rollup.ts).
 */
export interface EventData {
  /** ingest: a customer message is through (kind: text, audio, interactive, …). */
  message_received: { kind: string; provider: string };
  /** converse: one burst understood and answered; who understood it, and what the keywords thought. */
  intent_detected: { intent: string; source: string; keywordIntent?: string; confidence?: number; lowConfidence?: boolean; cache?: string };
  /** outbound: the provider accepted a reply; e2eMs from the customer's message being committed. */
  reply_sent: { provider: string; e2eMs: number | null };
  /** outbound: the provider refused a reply for good; or (reported: true) the provider reported a sent reply failed. */
  reply_failed: { code: string | number | null; reported?: boolean };
  /** outbound or the recovery sweep: a reply too old to send, dropped unsent. */
  reply_expired: Record<string, never>;
  /** outbound: the provider answered a send with a message id already recorded for another reply (recordedOutboxId). */
  reply_id_conflict: { provider: string; providerMessageId: string; outboxId: number; recordedOutboxId: number | null };
  rate_limited: { window: string };
  ai_call: { provider: string; purpose: string; latencyMs: number; outcome: string; costUsd: number | null };
  cart_changed: { action: string; items: number };
  order_created: { orderNumber: number; total: number; payment: string };
  payment_received: { orderNumber: number; amount: number; provider: string };
  handoff_started: { reason: string };
  handoff_ended: { by: string; operator?: string };
  /** an operator added or removed labels of a guest from the console or the admin API. */
  labels_changed: { add: string[]; remove: string[]; operator: string };
  /** a job that failed (will retry or for good), by stage. */
  error: { stage: string; final: boolean; message: string };
}

export type EventType = keyof EventData;

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  chatId?: string | null;
  data: EventData[T];
  at?: Date;
}

/** One event. Inside the transaction whose work it describes when there is one (a rollback erases both). */
export async function recordEvent<T extends EventType>(db: Queryable, type: T, chatId: string | null, data: EventData[T]): Promise<void> {
  await db`INSERT INTO events (type, chat_id, data) VALUES (${type}, ${chatId}, ${db.json(data as never)})`;
}

/** Many events in one statement. */
export async function recordEvents(db: Queryable, events: NewEvent[]): Promise<void> {
  if (!events.length) return;
  const rows = events.map((e) => ({ type: e.type, chat_id: e.chatId ?? null, data: e.data as unknown, occurred_at: e.at ?? new Date() }));
  await db`
    INSERT INTO events (type, chat_id, data, occurred_at)
    SELECT type, chat_id, data, occurred_at FROM jsonb_to_recordset(${db.json(rows as never)})
      AS e(type text, chat_id text, data jsonb, occurred_at timestamptz)`;
}
