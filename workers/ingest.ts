import type { Sql } from '../src/db/client.ts';
import { closeInbound, getInbound, markIngested } from '../src/db/inbox.ts';
import { logMessage } from '../src/db/message-logs.ts';
import { insertReplies } from '../src/db/outbox.ts';
import { ensureCustomer, type CustomerTier } from '../src/crm/customers.ts';
import { touchGuestProfile } from '../src/crm/profiles.ts';
import { rateLimitNotice } from '../src/conversation/texts.ts';
import type { IngestPayload } from '../src/queues/payloads.ts';
import { PermanentJobError } from '../src/queues/job-errors.ts';

export type RateCheck =
  | { allowed: true }
  | { allowed: false; window: string; retryAfterMs: number; notify: boolean };

export interface IngestDeps {
  sql: Sql;
  /** The customer's sliding-window limits; re-checking the same message id must not count it twice. */
  checkRateLimit: (phone: string, tier: CustomerTier, messageId: string) => Promise<RateCheck>;
  /** Hand the chat to the converse stage once this message is through. */
  scheduleConverse: (chatId: string) => Promise<void>;
  /** A rate-limit notice was written to the outbox: send it. */
  scheduleOutbound: (chatId: string) => Promise<void>;
  onRateLimited?: (window: string) => void;
}

export type IngestResult = { chatId: string; outcome: 'ingested' | 'rate_limited' | 'already done' };

/**
 * Stage 1: one message at a time, in parallel across chats. Keeps the customer's records current
 * (customer, guest profile), applies the rate limits, logs the message, and marks it ready for the
 * conversation. Over the limit, the message is logged and closed unanswered, and the customer is told
 * once per window. Idempotent: a re-run changes nothing but still hands the chat on (the first run may
 * have died between its commit and the hand-off).
 */
export async function ingest({ inboundId }: IngestPayload, deps: IngestDeps): Promise<IngestResult> {
  const message = await getInbound(deps.sql, inboundId);
  if (!message) throw new PermanentJobError(`inbound message ${inboundId} does not exist`);
  if (message.status !== 'received') {
    if (message.status === 'ingested') await deps.scheduleConverse(message.chatId);
    return { chatId: message.chatId, outcome: 'already done' };
  }

  const { tier } = await ensureCustomer(deps.sql, message.chatId, message.customerName);
  const rate = await deps.checkRateLimit(message.chatId, tier, `${message.provider}:${message.providerMessageId}`);

  const outcome = await deps.sql.begin(async (tx) => {
    await touchGuestProfile(tx, { phone: message.chatId, chatId: message.providerChatId ?? `${message.chatId}@s.whatsapp.net`, name: message.customerName, at: message.receivedAt });
    await logMessage(tx, {
      inboundId: message.id,
      customerPhone: message.chatId,
      messageType: message.kind,
      messageText: message.text,
      messageTimestamp: message.sentAt,
      rateLimitExceeded: !rate.allowed,
      details: { provider: message.provider, replyId: message.replyId, ...(rate.allowed ? {} : { window: rate.window }) },
    });
    if (rate.allowed) return (await markIngested(tx, message.id)) ? 'ingested' : 'already done';
    await closeInbound(tx, [message.id], 'rate_limited', { note: `over the ${rate.window} limit` });
    if (rate.notify) {
      await insertReplies(tx, [{ chatId: message.chatId, providerChatId: message.providerChatId, inboundId: message.id, seq: 0, content: rateLimitNotice(rate.retryAfterMs) }]);
    }
    return 'rate_limited';
  });

  if (outcome === 'rate_limited') {
    deps.onRateLimited?.(rate.allowed ? 'none' : rate.window);
    if (!rate.allowed && rate.notify) await deps.scheduleOutbound(message.chatId);
  } else {
    await deps.scheduleConverse(message.chatId);
  }
  return { chatId: message.chatId, outcome };
}
