import type { Sql } from '../src/db/client.ts';
import { closeInbound, openMessagesOfChat, type InboundRow } from '../src/db/inbox.ts';
import { insertReplies, type NewReply } from '../src/db/outbox.ts';
import { burstWaitMs, splitIntoBursts } from '../src/conversation/bursts.ts';
import { respond } from '../src/conversation/respond.ts';
import { changeLabels } from '../src/crm/profiles.ts';
import { markOptedOut } from '../src/crm/customers.ts';
import type { ConversePayload } from '../src/queues/payloads.ts';
import { ChatBusyError, type RetryLater } from '../src/queues/job-errors.ts';
import { StaleSessionError, type Session, type SessionStore } from '../src/crm/sessions.ts';

export interface ConverseDeps {
  sql: Sql;
  sessions: SessionStore;
  bufferMs: number;
  typingBufferMs: number;
  staleAfterMs: number;
  /** True while the customer shows "typing…" (Whapi presences). */
  isTyping: (chatId: string) => Promise<boolean>;
  /** After commit: send the new replies. */
  afterCommit: (result: { outboxIds: number[] }) => Promise<void>;
  now?: () => number;
}

export interface ConverseResult {
  handled: number;
  replies: number;
  stale: number;
}

/**
 * Stage 2: drain one chat. Takes the chat's waiting messages in arrival order, stops at the first one not
 * yet through ingest (its ingest schedules the next drain), and writes replies and "handled" in one
 * transaction. A transaction-scoped advisory lock on the chat fences off a stalled duplicate of this job.
 */
export async function converse(payload: ConversePayload, deps: ConverseDeps): Promise<ConverseResult | RetryLater> {
  try {
    return await drain(payload, deps, false);
  } catch (error) {
    if (!(error instanceof StaleSessionError)) throw error;
    // the cached session was older than PostgreSQL's (a cache write lost after a commit): read the record
    await deps.sessions.forget(payload.chatId);
    return drain(payload, deps, true);
  }
}

async function drain({ chatId }: ConversePayload, deps: ConverseDeps, bypassCache: boolean): Promise<ConverseResult | RetryLater> {
  const now = deps.now?.() ?? Date.now();
  let saved: Session | undefined;
  const outcome = await deps.sql.begin(async (tx) => {
    // sent together (postgres.js pipelines a transaction's queries): the lock, the chat's open messages,
    // and the session; what was read is only used if the lock was taken
    const [[{ locked }], open, session] = await Promise.all([
      tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${'chat:' + chatId}, 0)) AS locked`,
      openMessagesOfChat(tx, chatId),
      deps.sessions.load(chatId, tx, { bypassCache }),
    ]);
    if (!locked) throw new ChatBusyError(chatId);

    const firstNotReady = open.findIndex((m) => m.status !== 'ingested');
    const ready = firstNotReady === -1 ? open : open.slice(0, firstNotReady);
    if (!ready.length) return { handled: 0, replies: 0, stale: 0, outboxIds: [] };

    const isStale = (m: InboundRow) => now - Math.min(m.sentAt.getTime(), m.receivedAt.getTime()) > deps.staleAfterMs;
    const stale = ready.filter(isStale);
    const fresh = ready.filter((m) => !isStale(m));

    if (fresh.length && deps.bufferMs > 0) {
      const windowMs = (await deps.isTyping(chatId)) ? Math.max(deps.typingBufferMs, deps.bufferMs) : deps.bufferMs;
      // the newest open message counts even if it is still in ingest: it may belong to this burst
      const newestAt = Math.max(...open.map((m) => m.receivedAt.getTime()));
      const wait = burstWaitMs({ now, newestAt, oldestAt: fresh[0].receivedAt.getTime(), windowMs, maxWaitMs: windowMs * 4 });
      if (wait > 0) return { retryInMs: wait };
    }

    const replies: NewReply[] = [];
    const writes: Promise<number>[] = [closeInbound(tx, stale.map((m) => m.id), 'stale', { note: 'too old to answer automatically' }).then(() => 0)];
    let previousTurns = Number(session.context.turns ?? 0);
    for (const burst of splitIntoBursts(fresh, deps.bufferMs)) {
      const last = burst[burst.length - 1];
      const decision = respond(burst, { previousTurns });
      previousTurns += burst.length;
      if (decision.labels) writes.push(changeLabels(tx, chatId, decision.labels).then(() => 0));
      if (decision.action === 'reply' && decision.optOut) writes.push(markOptedOut(tx, chatId).then(() => 0));
      if (decision.action === 'skip') {
        writes.push(closeInbound(tx, burst.map((m) => m.id), 'skipped', { note: decision.reason }));
        continue;
      }
      decision.replies.forEach((content, seq) => replies.push({ chatId, providerChatId: last.providerChatId, inboundId: last.id, seq, content }));
      writes.push(closeInbound(tx, burst.map((m) => m.id), 'handled', { answeredWithId: last.id }));
    }
    const turns = Number(session.context.turns ?? 0) + fresh.length;
    const [outboxIds, savedSession, ...closed] = await Promise.all([
      insertReplies(tx, replies),
      fresh.length ? deps.sessions.save(tx, { ...session, context: { ...session.context, turns, lastMessageAt: new Date(now).toISOString() } }) : undefined,
      ...writes,
    ]);
    saved = savedSession;
    return { handled: closed.reduce((a, b) => a + b, 0), replies: outboxIds.length, stale: stale.length, outboxIds };
  });

  if ('retryInMs' in outcome) return outcome;
  if (saved) await deps.sessions.cache(saved);
  await deps.afterCommit({ outboxIds: outcome.outboxIds });
  return { handled: outcome.handled, replies: outcome.replies, stale: outcome.stale };
}
