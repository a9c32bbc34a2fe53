import type { Sql } from '../src/db/client.ts';
import { closeInbound, openMessagesOfChat, type InboundRow } from '../src/db/inbox.ts';
import { insertReplies, type NewReply } from '../src/db/outbox.ts';
import { burstWaitMs, splitIntoBursts } from '../src/conversation/bursts.ts';
import { handleBurst } from '../src/conversation/handle-burst.ts';
import { readMemory } from '../src/conversation/memory.ts';
import type { ShopSession } from '../src/conversation/shop/flows.ts';
import type { CheckoutSettings } from '../src/conversation/shop/checkout.ts';
import { burstWords, wantsAi, type Understanding } from '../src/conversation/understand.ts';
import { changeLabels } from '../src/crm/profiles.ts';
import { markOptedOut } from '../src/crm/customers.ts';
import type { ConversePayload } from '../src/queues/payloads.ts';
import { ChatBusyError, type RetryLater } from '../src/queues/job-errors.ts';
import { StaleSessionError, type Session, type SessionStore } from '../src/crm/sessions.ts';
import { recordEvents, type NewEvent } from '../src/db/events.ts';
import { burstEvent } from '../src/conversation/burst-event.ts';
import { decideHandoff, MISSES_KEY, openHandoffIn, type HandoffSettings } from '../src/conversation/handoff.ts';
import { endHandoff, isOverdue, keepsBotQuiet, openHandoffOf } from '../src/crm/handoffs.ts';
import type { FaultHook } from '../src/lib/fault-points.ts';

export interface ConverseDeps {
  sql: Sql;
  sessions: SessionStore;
  bufferMs: number;
  typingBufferMs: number;
  staleAfterMs: number;
  /** True while the customer shows "typing…" (Whapi presences). */
  isTyping: (chatId: string) => Promise<boolean>;
  /** After commit: send the new replies (to the customer, and to the operator told of a handoff), notify of new handoffs. */
  afterCommit: (result: { outboxIds: number[]; placedOrderIds: number[]; handoffIds: number[]; operatorChats: string[] }) => Promise<void>;
  handoff: HandoffSettings;
  /** What checkout may offer: payment links (a gateway is configured), the bank details for transfers. */
  checkout: CheckoutSettings;
  /**
   * The AI's reading of a burst (intent, and a written reply where no flow answers), or undefined for the
   * keyword path. Absent when no AI provider is configured. Called outside any transaction.
   */
  understand?: (burst: InboundRow[]) => Promise<Understanding | undefined>;
  /** Told what each answered burst was understood as (metrics); after commit. */
  onUnderstood?: (intent: string, source: string) => void;
  now?: () => number;
  /** Fault tests only (src/lib/fault-points.ts); absent in production. */
  fault?: FaultHook;
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
  let bypassCache = false;
  for (let attempt = 1; ; attempt++) {
    // AI first, with no transaction open; then the transaction uses what was understood
    const understood = deps.understand ? await understandOpenBursts(payload.chatId, deps) : undefined;
    if (understood && 'retryInMs' in understood) return understood;
    try {
      const result = await drain(payload, deps, { bypassCache, understood, mayAskAgain: attempt < MAX_UNDERSTAND_ROUNDS });
      if (result !== ASK_AGAIN) return result;
    } catch (error) {
      if (!(error instanceof StaleSessionError) || bypassCache) throw error;
      // the cached session was older than PostgreSQL's (a cache write lost after a commit): read the record
      await deps.sessions.forget(payload.chatId);
      bypassCache = true;
    }
  }
}

// A burst that changed between the AI's reading and the transaction (a message arrived in between) is
// read again; after this many rounds it is answered by keywords rather than chasing a busy chat forever.
const MAX_UNDERSTAND_ROUNDS = 3;
const ASK_AGAIN = Symbol('burst changed; understand it again');
const burstKey = (burst: InboundRow[]) => burst.map((m) => m.id).join(',');

type Plan = RetryLater | { stale: InboundRow[]; bursts: InboundRow[][] };

/** Which open messages are answered now, as bursts, and which are too old; or how long to wait for the rest of a burst. */
async function plan(open: InboundRow[], chatId: string, now: number, deps: ConverseDeps): Promise<Plan> {
  const firstNotReady = open.findIndex((m) => m.status !== 'ingested');
  const ready = firstNotReady === -1 ? open : open.slice(0, firstNotReady);
  // a message the rate limit held waited for us, not the customer: its age, and that of the messages
  // queued behind it, counts from its release
  let releasedAt = -Infinity;
  const bornAt = new Map<InboundRow, number>();
  for (const m of ready) {
    releasedAt = Math.max(releasedAt, m.releasedAt?.getTime() ?? -Infinity);
    bornAt.set(m, Math.max(Math.min(m.sentAt.getTime(), m.receivedAt.getTime()), releasedAt));
  }
  const isStale = (m: InboundRow) => now - bornAt.get(m)! > deps.staleAfterMs;
  const stale = ready.filter(isStale);
  const fresh = ready.filter((m) => !isStale(m));

  if (fresh.length && deps.bufferMs > 0) {
    const windowMs = (await deps.isTyping(chatId)) ? Math.max(deps.typingBufferMs, deps.bufferMs) : deps.bufferMs;
    // the newest open message counts even if it is still in ingest: it may belong to this burst
    const newestAt = Math.max(...open.map((m) => m.receivedAt.getTime()));
    const wait = burstWaitMs({ now, newestAt, oldestAt: fresh[0].receivedAt.getTime(), windowMs, maxWaitMs: windowMs * 4 });
    if (wait > 0) return { retryInMs: wait };
  }
  return { stale, bursts: splitIntoBursts(fresh, deps.bufferMs) };
}

/** The AI's reading of each burst that is ready now, keyed by its messages; read without locks (the transaction checks). */
async function understandOpenBursts(chatId: string, deps: ConverseDeps): Promise<Map<string, Understanding | undefined> | RetryLater> {
  const understood = new Map<string, Understanding | undefined>();
  // a chat a person has taken over gets no answers, so no model calls either
  if (keepsBotQuiet(await openHandoffOf(deps.sql, chatId), deps.now?.() ?? Date.now())) return understood;
  const planned = await plan(await openMessagesOfChat(deps.sql, chatId), chatId, deps.now?.() ?? Date.now(), deps);
  if ('retryInMs' in planned) return planned;
  for (const burst of planned.bursts) understood.set(burstKey(burst), await deps.understand!(burst));
  return understood;
}

interface DrainOptions {
  bypassCache: boolean;
  understood?: Map<string, Understanding | undefined>;
  mayAskAgain: boolean;
}

async function drain({ chatId }: ConversePayload, deps: ConverseDeps, opts: DrainOptions): Promise<ConverseResult | RetryLater | typeof ASK_AGAIN> {
  const now = deps.now?.() ?? Date.now();
  const { bypassCache, understood } = opts;
  let saved: Session | undefined;
  let intents: { intent: string; source: string }[] = [];
  let placedOrderIds: number[] = [];
  let handoffIds: number[] = [];
  let operatorChats: string[] = [];
  const outcome = await deps.sql.begin(async (tx) => {
    // sent together (postgres.js pipelines a transaction's queries): the lock, the chat's open messages,
    // the session and any handoff; what was read is only used if the lock was taken
    const [[{ locked }], open, session, handoff] = await Promise.all([
      tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${'chat:' + chatId}, 0)) AS locked`,
      openMessagesOfChat(tx, chatId),
      deps.sessions.load(chatId, tx, { bypassCache }),
      openHandoffOf(tx, chatId),
    ]);
    if (!locked) throw new ChatBusyError(chatId);

    const planned = await plan(open, chatId, now, deps);
    if ('retryInMs' in planned) return planned;
    const { stale, bursts } = planned;
    if (!stale.length && !bursts.length) return { handled: 0, replies: 0, stale: 0, outboxIds: [] };
    // a person has the chat: the bot stays quiet until resumed; past its resume time, the bot is back now
    let pausedBy = handoff && keepsBotQuiet(handoff, now) ? handoff.id : undefined;
    if (handoff && isOverdue(handoff, now)) await endHandoff(tx, handoff.id, 'timeout');
    // a burst the AI has not read (it changed since) but would have: read it again, outside this transaction
    if (!pausedBy && understood && opts.mayAskAgain && bursts.some((b) => !understood.has(burstKey(b)) && wantsAi(b))) return ASK_AGAIN;
    const fresh = bursts.flat();

    const replies: NewReply[] = [];
    const events: NewEvent[] = [];
    intents = [];
    placedOrderIds = [];
    handoffIds = [];
    operatorChats = [];
    const writes: Promise<number>[] = [closeInbound(tx, chatId, stale.map((m) => m.id), 'stale', { note: 'too old to answer automatically' }).then(() => 0)];
    let previousTurns = Number(session.context.turns ?? 0);
    let shopSession: ShopSession = { state: session.state, context: readMemory(session.context) };
    for (const burst of bursts) {
      const last = burst[burst.length - 1];
      if (pausedBy) {
        // stored and shown in the chat's history for the person answering; not answered by the bot
        writes.push(closeInbound(tx, chatId, burst.map((m) => m.id), 'skipped', { note: `handed off to a person (handoff ${pausedBy})` }));
        continue;
      }
      const understanding = understood?.get(burstKey(burst));
      const handled = await handleBurst(tx, burst, { phone: chatId, session: shopSession, previousTurns, understanding, checkout: deps.checkout });
      const decision = handled.outcome;
      shopSession = handled.session;
      placedOrderIds.push(...handled.placedOrderIds);
      if (decision.action === 'reply') {
        intents.push({ intent: handled.intent, source: handled.source });
        events.push(burstEvent(chatId, burst, handled, understanding, session.loadedFrom));
        const handover = decideHandoff({ intent: handled.intent, replies: decision.replies, misunderstood: handled.misunderstood, handoff: handled.handoff, words: burstWords(burst) }, shopSession.context[MISSES_KEY] ?? 0, deps.handoff);
        decision.replies = handover.replies;
        shopSession = { ...shopSession, context: { ...shopSession.context, [MISSES_KEY]: handover.misses } };
        const opened = handover.reason ? await openHandoffIn(tx, chatId, burst, handover.reason, deps.handoff) : undefined;
        if (opened) {
          pausedBy = opened.id;
          handoffIds.push(opened.id);
          if (opened.operatorChat) operatorChats.push(opened.operatorChat);
        }
      }
      previousTurns += burst.length;
      if (decision.labels) writes.push(changeLabels(tx, chatId, decision.labels).then(() => 0));
      if (decision.action === 'reply' && decision.optOut) writes.push(markOptedOut(tx, chatId).then(() => 0));
      if (decision.action === 'skip') {
        writes.push(closeInbound(tx, chatId, burst.map((m) => m.id), 'skipped', { note: decision.reason }));
        continue;
      }
      decision.replies.forEach((content, seq) => replies.push({ chatId, providerChatId: last.providerChatId, inboundId: last.id, seq, content }));
      writes.push(closeInbound(tx, chatId, burst.map((m) => m.id), 'handled', { answeredWithId: last.id }));
    }
    const turns = Number(session.context.turns ?? 0) + fresh.length;
    const [outboxIds, savedSession, ...closed] = await Promise.all([
      insertReplies(tx, replies),
      fresh.length ? deps.sessions.save(tx, { ...session, state: shopSession.state, context: { ...shopSession.context, turns, lastMessageAt: new Date(now).toISOString() } }) : undefined,
      ...writes,
      recordEvents(tx, events).then(() => 0),
    ]);
    deps.fault?.('converse:before-commit');
    saved = savedSession;
    return { handled: closed.reduce((a, b) => a + b, 0), replies: outboxIds.length, stale: stale.length, outboxIds };
  });

  if (outcome === ASK_AGAIN || 'retryInMs' in outcome) return outcome;
  if (saved) await deps.sessions.cache(saved);
  for (const { intent, source } of intents) deps.onUnderstood?.(intent, source);
  await deps.afterCommit({ outboxIds: outcome.outboxIds, placedOrderIds, handoffIds, operatorChats });
  return { handled: outcome.handled, replies: outcome.replies, stale: outcome.stale };
}
