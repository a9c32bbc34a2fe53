import type { Sql } from '../src/db/client.ts';
import { extendHold, openForIngest, recordIngest, releaseHeld } from '../src/db/ingest-record.ts';
import type { CustomerTier } from '../src/crm/customers.ts';
import { rateLimitNotice } from '../src/conversation/texts.ts';
import type { IngestPayload } from '../src/queues/payloads.ts';
import { getInbound, type InboundRow } from '../src/db/inbox.ts';
import { saveMediaReading, type MediaReading } from '../src/db/inbound-media.ts';
import { UNDERSTOOD_KINDS, type MediaUnderstanding, type UnderstandMedia } from '../src/media/understand.ts';
import { PermanentJobError, type RetryLater } from '../src/queues/job-errors.ts';

export type RateCheck =
  | { allowed: true }
  | { allowed: false; window: string; retryAfterMs: number; notify: boolean };

export interface IngestDeps {
  sql: Sql;
  /**
   * The customer's sliding-window limits; re-checking the same message id must not count it twice, and a
   * held one is counted only when it passes after its wait.
   */
  checkRateLimit: (phone: string, tier: CustomerTier, messageId: string) => Promise<RateCheck>;
  /** Hand the chat to the converse stage once this message is through. */
  scheduleConverse: (chatId: string) => Promise<void>;
  /** A rate-limit notice was written to the outbox: send it. */
  scheduleOutbound: (chatId: string) => Promise<void>;
  /** A message was held by the rate limit (once per message, at its first hold). */
  onRateLimited?: (window: string) => void;
  /** Transcribe a voice note, describe a picture (absent: media is answered with a request to write). */
  understandMedia?: UnderstandMedia;
}

export type IngestResult = { chatId: string; outcome: 'ingested' | 'released' | 'already done' };
/** A held message: this job comes back when the rate limit lets it be checked again. */
export type IngestHeld = RetryLater & { chatId: string; outcome: 'held' };

/**
 * Margin past the limiter's release time before the job checks again, so a worker clock a little ahead of
 * Redis's does not wake it a moment early (which would only cost one more wait).
 */
const RELEASE_MARGIN_MS = 25;

/**
 * Stage 1: one message at a time, in parallel across chats. Keeps the customer's records current
 * (customer, guest profile), applies the rate limits, logs the message, and marks it ready for the
 * conversation. Over the limit, the message is held, never closed: the customer is told once per window,
 * and this same job waits (delayed) until the window frees up, checks again and passes it on to be
 * answered; the chat's later messages wait behind it. Idempotent: a re-run changes nothing but still hands
 * the chat on (the first run may have died between its commit and the hand-off), or waits on a hold.
 */
export async function ingest({ inboundId }: IngestPayload, deps: IngestDeps): Promise<IngestResult | IngestHeld> {
  const message = await openForIngest(deps.sql, inboundId);
  if (!message) throw new PermanentJobError(`inbound message ${inboundId} does not exist`);
  if (message.status !== 'received' && message.status !== 'held') {
    if (message.status === 'ingested') await deps.scheduleConverse(message.chatId);
    return { chatId: message.chatId, outcome: 'already done' };
  }
  const wasHeld = message.status === 'held';

  // A tap on one of our own buttons or list rows answers a question the bot asked (checkout is a dozen
  // of them in a minute); the limits are for what customers send unprompted, so taps are not counted.
  const rate: RateCheck = message.replyId ? { allowed: true } : await deps.checkRateLimit(message.chatId, message.tier, `${message.provider}:${message.providerMessageId}`);

  if (!rate.allowed) {
    const held = { chatId: message.chatId, outcome: 'held' as const, retryInMs: rate.retryAfterMs + RELEASE_MARGIN_MS };
    if (wasHeld) {
      // checked again (its wait is over, or a re-run job): still over, so it waits on without a word
      await extendHold(deps.sql, message, rate.window, rate.retryAfterMs);
      return held;
    }
    const notice = rate.notify ? rateLimitNotice(rate.retryAfterMs) : undefined;
    const marked = await recordIngest(deps.sql, { message, allowed: false, window: rate.window, holdMs: rate.retryAfterMs, notice });
    if (marked) deps.onRateLimited?.(rate.window);
    if (rate.notify) await deps.scheduleOutbound(message.chatId);
    return held;
  }

  const ready = deps.understandMedia ? await readMedia(message, deps.understandMedia, deps.sql) : message;
  const marked = wasHeld ? await releaseHeld(deps.sql, message) : await recordIngest(deps.sql, { message: ready, allowed: true });
  await deps.scheduleConverse(message.chatId);
  return { chatId: message.chatId, outcome: marked ? (wasHeld ? 'released' : 'ingested') : 'already done' };
}

/**
 * A voice note or picture is read once (after the rate limit: a customer over it costs no AI) and the
 * result stored on its row, so the conversation and the message log see the words. Not being able to
 * read it is recorded as a reason and never fails the job: the message goes on without text.
 */
async function readMedia<M extends InboundRow>(message: M, understand: UnderstandMedia, sql: Sql): Promise<M> {
  if (!(UNDERSTOOD_KINDS as readonly string[]).includes(message.kind) || 'mediaOutcome' in (message.details ?? {})) return message;
  const result: MediaUnderstanding = await understand(message).catch(() => ({ outcome: 'failed' as const }));
  const saved = await saveMediaReading(sql, message.id, toReading(message.kind, result));
  if (saved) return { ...message, ...saved };
  // another run stored its reading first: go on with what the row says now
  const current = await getInbound(sql, message.id);
  return current ? { ...message, text: current.text, details: current.details } : message;
}

function toReading(kind: string, result: MediaUnderstanding): MediaReading {
  if (!('text' in result)) return { details: { mediaOutcome: result.outcome } };
  const details = { mediaOutcome: result.outcome, mediaReadBy: result.provider };
  // a transcript is what the customer said: it becomes the text; a description is ours, the caption stays the text
  return kind === 'audio'
    ? { text: result.text, details: { ...details, transcript: result.text } }
    : { details: { ...details, imageDescription: result.text } };
}
