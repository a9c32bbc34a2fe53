import type { Sql } from '../src/db/client.ts';
import { getInbound, markIngested } from '../src/db/inbox.ts';
import { logMessage } from '../src/db/message-logs.ts';
import type { IngestPayload } from '../src/queues/payloads.ts';
import { PermanentJobError } from '../src/queues/job-errors.ts';

export interface IngestDeps {
  sql: Sql;
  /** Hand the chat to the converse stage once this message is through. */
  scheduleConverse: (chatId: string) => Promise<void>;
}

/**
 * Stage 1: one message at a time, in parallel across chats. Logs the message and marks it ready for
 * the conversation. Idempotent: a second run for the same message changes nothing, but still hands
 * the chat on (the first run may have died between its commit and the hand-off).
 */
export async function ingest({ inboundId }: IngestPayload, deps: IngestDeps): Promise<{ chatId: string; ingested: boolean }> {
  const message = await getInbound(deps.sql, inboundId);
  if (!message) throw new PermanentJobError(`inbound message ${inboundId} does not exist`);

  let ingested = false;
  if (message.status === 'received') {
    ingested = await deps.sql.begin(async (tx) => {
      await logMessage(tx, {
        inboundId: message.id,
        customerPhone: message.chatId,
        messageType: message.kind,
        messageText: message.text,
        messageTimestamp: message.sentAt,
        rateLimitExceeded: false,
        details: { provider: message.provider, replyId: message.replyId },
      });
      return markIngested(tx, message.id);
    });
  }
  await deps.scheduleConverse(message.chatId);
  return { chatId: message.chatId, ingested };
}
