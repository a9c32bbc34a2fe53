import type { Sql } from '../src/db/client.ts';
import { openForIngest, recordIngest } from '../src/db/ingest-record.ts';
import type { CustomerTier } from '../src/crm/customers.ts';
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
  const message = await openForIngest(deps.sql, inboundId);
  if (!message) throw new PermanentJobError(`inbound message ${inboundId} does not exist`);
  if (message.status !== 'received') {
    if (message.status === 'ingested') await deps.scheduleConverse(message.chatId);
    return { chatId: message.chatId, outcome: 'already done' };
  }

  const rate = await deps.checkRateLimit(message.chatId, message.tier, `${message.provider}:${message.providerMessageId}`);
  const marked = await recordIngest(deps.sql, rate.allowed
    ? { message, allowed: true }
    : { message, allowed: false, window: rate.window, notice: rate.notify ? rateLimitNotice(rate.retryAfterMs) : undefined });

  if (rate.allowed) {
    await deps.scheduleConverse(message.chatId);
    return { chatId: message.chatId, outcome: marked ? 'ingested' : 'already done' };
  }
  deps.onRateLimited?.(rate.window);
  if (rate.notify) await deps.scheduleOutbound(message.chatId);
  return { chatId: message.chatId, outcome: 'rate_limited' };
}
