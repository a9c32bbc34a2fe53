import type { Sql } from '../src/db/client.ts';
import { claimNextReply, hasPendingReplies, markExpired, markSendFailed, releaseAfterError } from '../src/db/outbox.ts';
import type { AcceptedSends } from '../src/queues/accepted-sends.ts';
import type { OutboundPayload } from '../src/queues/payloads.ts';
import type { RetryLater } from '../src/queues/job-errors.ts';
import { ProviderRejectedError } from '../src/whatsapp/errors.ts';
import type { WhatsAppSender } from '../src/whatsapp/sender.ts';
import type { Logger } from '../src/logger.ts';
import { repliesSent, repliesUndelivered } from '../src/metrics/registry.ts';
import { undeliveredCodeLabel } from '../src/whatsapp/error-meanings.ts';
import { recordAcceptedSend } from './record-send.ts';
import type { FaultHook } from '../src/lib/fault-points.ts';
import { sendAddressOf } from '../src/crm/send-address.ts';

export interface OutboundDeps {
  sql: Sql;
  sender: WhatsAppSender;
  /** Where a send the provider accepted waits when PostgreSQL would not take its record (see record-send.ts). */
  acceptedSends: AcceptedSends;
  /** Replies not sent within this age are dropped as expired (WhatsApp's 24 h window has closed anyway). */
  staleAfterMs: number;
  /** Longest a single send may hold the row; must exceed the provider timeout. */
  leaseSeconds: number;
  /** How long one run keeps retrying the "sent" record after the provider accepted (cut to what is left of the lease). */
  recordRetryMs?: number;
  log?: Logger;
  /** Fault tests only (src/lib/fault-points.ts); absent in production. */
  fault?: FaultHook;
}

export type OutboundResult = { sent: string | null; refused?: number; expired?: number };

/**
 * Stage 3: send the chat's oldest pending reply and record it as sent; if more are pending, come back
 * at once (each run is one message, so the queue's rate limiter counts messages). Transient provider
 * errors pass through (the adapter retries, or pauses the queue on a rate limit without spending an
 * attempt); the replies behind wait, so a chat's replies never overtake each other. A refusal is
 * recorded as failed and the next reply goes on. Once the provider accepted a reply nothing sends it
 * again: a failed record is retried as a record (record-send.ts), by this run or, through AcceptedSends,
 * by the next run that takes the row. The one exception is a crash between the provider's answer and
 * that point: WhatsApp has no idempotency key, and a rare duplicate beats a lost reply.
 */
export async function outbound(payload: OutboundPayload, deps: OutboundDeps): Promise<OutboundResult | RetryLater> {
  const { chatId } = payload;
  const leaseEndsAt = Date.now() + deps.leaseSeconds * 1000;
  const row = await claimNextReply(deps.sql, chatId, deps.leaseSeconds);
  if (!row) return { sent: null };
  // another sender holds the chat's next reply (a crashed one whose lease runs out, rarely a live run):
  // look again when the lease ends, or within 3 s (this job stands for the chat's later replies too, so it
  // must not sleep long if a live run finishes early), instead of a growing backoff that overshoots the lease
  if ('busyForMs' in row) return { retryInMs: Math.min(row.busyForMs + 250, 3000) };

  const more = async (result: OutboundResult): Promise<OutboundResult | RetryLater> =>
    (await hasPendingReplies(deps.sql, chatId)) ? { retryInMs: 0 } : result;
  // the record's retries end inside the row's lease (the send has used part of it): past the lease another
  // run could take the row before the accepted id is stored for it, and send it again
  const recordDeps = () => ({
    sql: deps.sql, acceptedSends: deps.acceptedSends, log: deps.log,
    recordRetryMs: Math.max(0, Math.min(deps.recordRetryMs ?? 10_000, leaseEndsAt - Date.now() - 1000)),
  });

  // taken before (attempts > 1): an earlier run may have had it accepted and failed only to record it. The
  // first take skips the lookup, so the common path costs no Redis round trip.
  const accepted = row.attempts > 1 ? await deps.acceptedSends.recall(row.id).catch(async (error: unknown) => {
    await releaseAfterError(deps.sql, row, `could not look up an earlier send: ${(error as Error).message}`);
    throw error;
  }) : undefined;
  if (accepted) {
    deps.log?.warn({ outboxId: row.id, providerMessageId: accepted.providerMessageId }, 'recording a reply sent by an earlier run, not sending it again');
    const { morePending } = await recordAcceptedSend(row, accepted, recordDeps(), { recalled: true });
    return morePending ? { retryInMs: 0 } : { sent: accepted.providerMessageId };
  }

  if (Date.now() - row.createdAt.getTime() > deps.staleAfterMs) {
    await markExpired(deps.sql, row);
    repliesSent.inc({ outcome: 'expired' });
    repliesUndelivered.inc({ provider: 'none', code: 'expired' });
    return more({ sent: null, expired: row.id });
  }
  // blue ticks on the customer's message as its first reply goes out (customers expect them); best effort
  const markRead = row.seq === 0 && row.answersProviderMessageId && row.answersProvider === deps.sender.provider
    ? deps.sender.markRead(row.answersProviderMessageId).catch(() => {})
    : undefined;
  let providerMessageId: string;
  try {
    // the customer's current number (or BSUID) now, not when the reply was written: a number may have changed
    // (a failed look-up is a transient error like a failed send: the row is released for the retry)
    const address = await sendAddressOf(deps.sql, row.chatId);
    ({ providerMessageId } = await deps.sender.send({
      to: address.phone,
      recipient: address.bsuid,
      providerChatId: row.providerChatId ?? undefined,
      content: row.content,
      replyToMessageId: row.replyToProviderMessageId ?? undefined,
    }));
  } catch (error) {
    if (error instanceof ProviderRejectedError) {
      await markSendFailed(deps.sql, row, deps.sender.provider, error.code ?? error.status, error.message);
      repliesSent.inc({ outcome: 'refused' });
      repliesUndelivered.inc({ provider: deps.sender.provider, code: undeliveredCodeLabel(error.code, error.status) });
      deps.log?.warn({ outboxId: row.id, code: error.code, status: error.status }, 'provider refused a reply');
      return more({ sent: null, refused: row.id });
    }
    await releaseAfterError(deps.sql, row, error instanceof Error ? error.message : String(error));
    throw error;
  }
  deps.fault?.('outbound:after-accept');
  // the provider has the message now: from here on a failure is retried as a record, never as a send
  const { morePending } = await recordAcceptedSend(row, { provider: deps.sender.provider, providerMessageId }, recordDeps());
  await markRead;
  return morePending ? { retryInMs: 0 } : { sent: providerMessageId };
}
