import type { Sql } from '../src/db/client.ts';
import { claimNextReply, hasPendingReplies, markExpired, markSendFailed, markSentAndPeek, recordReplySent, releaseAfterError } from '../src/db/outbox.ts';
import type { OutboundPayload } from '../src/queues/payloads.ts';
import { ChatBusyError, type RetryLater } from '../src/queues/job-errors.ts';
import { ProviderRejectedError } from '../src/whatsapp/errors.ts';
import type { WhatsAppSender } from '../src/whatsapp/sender.ts';
import type { Logger } from '../src/logger.ts';
import { endToEndLatency, repliesSent } from '../src/metrics/registry.ts';
import type { FaultHook } from '../src/lib/fault-points.ts';

export interface OutboundDeps {
  sql: Sql;
  sender: WhatsAppSender;
  /** Replies not sent within this age are dropped as expired (WhatsApp's 24 h window has closed anyway). */
  staleAfterMs: number;
  /** Longest a single send may hold the row; must exceed the provider timeout. */
  leaseSeconds: number;
  /** How long to keep retrying the "sent" record after the provider accepted (must stay below the lease). */
  recordRetryMs?: number;
  log?: Logger;
  /** Fault tests only (src/lib/fault-points.ts); absent in production. */
  fault?: FaultHook;
}

async function retryWhileUnavailable<T>(write: () => Promise<T>, forMs: number): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + wait > deadline) throw error;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

export type OutboundResult = { sent: string | null; refused?: number; expired?: number };

/**
 * Stage 3: send the chat's oldest pending reply and record it as sent; if more are pending, come back
 * at once (each run is one message, so the queue's rate limiter counts messages). Transient provider
 * errors pass through (the adapter retries, or pauses the queue on a rate limit without spending an
 * attempt); the replies behind wait, so a chat's replies never overtake each other. A refusal is
 * recorded as failed and the next reply goes on. A crash between the provider's answer and our record
 * can resend once: WhatsApp has no idempotency key, and a rare duplicate beats a lost reply.
 */
export async function outbound(payload: OutboundPayload, deps: OutboundDeps): Promise<OutboundResult | RetryLater> {
  const { chatId } = payload;
  const row = await claimNextReply(deps.sql, chatId, deps.leaseSeconds);
  if (row === 'busy') throw new ChatBusyError(chatId);
  if (!row) return { sent: null };

  const more = async (result: OutboundResult): Promise<OutboundResult | RetryLater> =>
    (await hasPendingReplies(deps.sql, chatId)) ? { retryInMs: 0 } : result;

  if (Date.now() - row.createdAt.getTime() > deps.staleAfterMs) {
    await markExpired(deps.sql, row.id);
    repliesSent.inc({ outcome: 'expired' });
    return more({ sent: null, expired: row.id });
  }
  // blue ticks on the customer's message as its first reply goes out (customers expect them); best effort
  const markRead = row.seq === 0 && row.answersProviderMessageId && row.answersProvider === deps.sender.provider
    ? deps.sender.markRead(row.answersProviderMessageId).catch(() => {})
    : undefined;
  try {
    const { providerMessageId } = await deps.sender.send({
      to: row.chatId,
      providerChatId: row.providerChatId ?? undefined,
      content: row.content,
      replyToMessageId: row.replyToProviderMessageId ?? undefined,
    });
    deps.fault?.('outbound:after-accept');
    // the provider has the message now: if PostgreSQL is briefly away, retry the record, never the send
    const { morePending } = await retryWhileUnavailable(() => markSentAndPeek(deps.sql, row.id, deps.sender.provider, providerMessageId), deps.recordRetryMs ?? 10_000);
    repliesSent.inc({ outcome: 'sent' });
    // bookkeeping after the record is safe: losing it to a crash costs a data point, not a duplicate reply
    const e2eMs = await recordReplySent(deps.sql, row.id).catch(() => null);
    if (e2eMs !== null) endToEndLatency.observe(e2eMs / 1000);
    await markRead;
    return morePending ? { retryInMs: 0 } : { sent: providerMessageId };
  } catch (error) {
    if (error instanceof ProviderRejectedError) {
      await markSendFailed(deps.sql, row.id, error.code ?? error.status, error.message);
      repliesSent.inc({ outcome: 'refused' });
      deps.log?.warn({ outboxId: row.id, code: error.code, status: error.status }, 'provider refused a reply');
      return more({ sent: null, refused: row.id });
    }
    await releaseAfterError(deps.sql, row.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
