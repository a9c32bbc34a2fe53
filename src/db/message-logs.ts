import type { Queryable } from './client.ts';

export interface MessageLogEntry {
  inboundId: number;
  customerPhone: string;
  messageType: string;
  messageText: string | null;
  messageTimestamp: Date;
  rateLimitExceeded: boolean;
  details?: Record<string, unknown>;
}

/** One log row per customer message; a re-run of ingest for the same message writes nothing new. */
export async function logMessage(db: Queryable, e: MessageLogEntry): Promise<void> {
  await db`
    INSERT INTO message_logs (inbound_id, customer_phone, message_type, message_text, message_timestamp, rate_limit_exceeded, details)
    VALUES (${e.inboundId}, ${e.customerPhone}, ${e.messageType}, ${e.messageText}, ${e.messageTimestamp}, ${e.rateLimitExceeded}, ${db.json((e.details ?? {}) as never)})
    ON CONFLICT (inbound_id) DO NOTHING`;
}
