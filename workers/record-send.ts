import type { Sql } from '../src/db/client.ts';
import { recordSend, releaseAfterError, type ReplyRef, type SendRecord } from '../src/db/outbox.ts';
import type { AcceptedSend, AcceptedSends } from '../src/queues/accepted-sends.ts';
import type { Logger } from '../src/logger.ts';
import { endToEndLatency, repliesSent, repliesUndelivered, replyIdConflicts } from '../src/metrics/registry.ts';
import { undeliveredCodeLabel } from '../src/whatsapp/error-meanings.ts';

// The half of the outbound stage after the provider's 2xx (DESIGN §4 property 12): the provider has the
// message, so whatever fails from here on is retried as a record and never becomes a second send.

export interface RecordSendDeps {
  sql: Sql;
  acceptedSends: AcceptedSends;
  /** How long to keep retrying the record in this run (must stay below the row's lease). */
  recordRetryMs: number;
  /**
   * A record still unsettled after this long is remembered in Redis at once, without waiting for it to
   * fail: a wedged database client never fails it, and the wedge watchdog then ends the process
   * (src/roles/wedge-watchdog.ts), so the next run must find the send already accepted. Default 1 s.
   */
  rememberSlowAfterMs?: number;
  log?: Logger;
}

/** The provider accepted the reply but PostgreSQL would not take its record: the job fails, the next run records it. */
export class SendNotRecordedError extends Error {
  constructor(outboxId: number, sent: AcceptedSend, cause: unknown) {
    super(`reply ${outboxId} was accepted by ${sent.provider} as ${sent.providerMessageId} but not recorded (${cause instanceof Error ? cause.message : String(cause)}); the next run records it without sending it again`);
    this.name = 'SendNotRecordedError';
  }
}

/**
 * Record an accepted send: retried in-process with backoff while PostgreSQL refuses; past `recordRetryMs`
 * what the provider answered is kept in Redis (AcceptedSends) before the job fails, so the next run of the
 * row records instead of sending. `recalled` says it came from there (a later run). Returns the record.
 */
export async function recordAcceptedSend(reply: ReplyRef, sent: AcceptedSend, deps: RecordSendDeps, opts: { recalled?: boolean } = {}): Promise<SendRecord> {
  const outboxId = reply.id;
  const remember = () => deps.acceptedSends.remember(outboxId, sent).catch((redisError: unknown) =>
    // both stores away at once: the one window left where a retry could send the reply again
    deps.log?.error({ outboxId, providerMessageId: sent.providerMessageId, err: (redisError as Error).message }, 'accepted send recorded nowhere; a retry may send it again'));
  let remembered: Promise<unknown> | undefined;
  const slow = opts.recalled ? undefined : setTimeout(() => { remembered = remember(); }, deps.rememberSlowAfterMs ?? 1000);
  let record: SendRecord;
  try {
    record = await retryWhileFailing(() => recordSend(deps.sql, reply, sent.provider, sent.providerMessageId), deps.recordRetryMs);
  } catch (error) {
    clearTimeout(slow);
    if (!opts.recalled) await (remembered ?? remember());
    await releaseAfterError(deps.sql, reply, `sent, not recorded: ${(error as Error).message}`).catch(() => {});
    throw new SendNotRecordedError(outboxId, sent, error);
  }
  clearTimeout(slow);
  // recorded: a copy kept in Redis (recalled, or remembered while the record was slow) is not needed any more
  if (opts.recalled || remembered) await (remembered ?? Promise.resolve()).then(() => deps.acceptedSends.forget(outboxId)).catch(() => {}); // its key expires anyway
  if (record.status === null) return record; // recorded already, by a try whose answer was lost
  repliesSent.inc({ outcome: 'sent' });
  if (record.duplicateOf !== undefined) {
    replyIdConflicts.inc({ provider: sent.provider });
    deps.log?.error({ outboxId, providerMessageId: sent.providerMessageId, recordedOutboxId: record.duplicateOf }, 'provider reused a message id: reply recorded as sent, the id kept apart for an operator');
  }
  if (record.status === 'failed') repliesUndelivered.inc({ provider: sent.provider, code: undeliveredCodeLabel(record.errorCode) });
  // the reply_sent event was written by the record itself (src/db/outbox.ts)
  if (record.e2eMs !== null && record.e2eMs !== undefined) endToEndLatency.observe(record.e2eMs / 1000);
  return record;
}

async function retryWhileFailing<T>(write: () => Promise<T>, forMs: number): Promise<T> {
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
