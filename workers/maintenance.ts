import type { Sql } from '../src/db/client.ts';
import {
  chatsStillIngested,
  chatsStillWithReplies,
  chatsStuckInIngested,
  expireOldPendingReplies,
  markOldOpenMessagesStale,
  messagesStuckInReceived,
  chatsWithStuckReplies,
  heldMessagesPastRelease,
  stillWaitingForIngest,
} from '../src/db/recovery.ts';
import type { MaintenancePayload } from '../src/queues/payloads.ts';
import { archiveInactiveGuests } from '../src/crm/archive.ts';
import { pruneOldMetrics, rollUpRecentMinutes } from '../src/metrics/rollup.ts';
import { repliesUndelivered } from '../src/metrics/registry.ts';

export interface SweepDeps {
  sql: Sql;
  graceMs: number;
  staleAfterMs: number;
  batchSize: number;
  ensureIngest: (inboundId: number) => Promise<boolean>;
  scheduleConverse: (chatId: string) => Promise<void>;
  scheduleOutbound: (chatId: string) => Promise<void>;
  /** What is queued or running already (src/queues/live-jobs.ts): the sweep adds work only where none is. */
  live: {
    ingest: QueueView<number>;
    converse: QueueView<string>;
    outbound: QueueView<string>;
  };
  /** Orders placed with a payment link whose link was never sent: make and send it (absent without a gateway). */
  retryPaymentLinks?: () => Promise<number>;
}

/** One queue as the sweep sees it: which of these keys (message ids, chats) hold a live job, and how long its line is. */
export interface QueueView<K> {
  has: (keys: K[]) => Promise<Set<K>>;
  /** How long the job at the head of the line has waited: work younger than that may be queued behind it. */
  headWaitMs: () => Promise<number>;
}

export interface SweepResult {
  staleMessages: number;
  expiredReplies: number;
  requeuedIngest: number;
  requeuedChats: number;
  requeuedReplyChats: number;
  paymentLinks: number;
}

/**
 * The recovery sweep: anything committed to PostgreSQL but not moving (its Redis job lost to a crash,
 * a flush or an outage) is put back on its queue after a grace period. This is why a lost job delays
 * a message but never loses it. Too-old work is closed instead of answered a day late.
 *
 * It never adds work that is already queued or running, and looks at as little as it can: behind a deep
 * backlog most "stuck" rows are only waiting their turn, and the sweep must not load the system exactly
 * when it is behind. Per kind of work: the grace grows by how long the head of its queue's line has waited
 * (rows younger than that may have their job in the line behind it; a lost one ages past the head soon
 * enough), then the rows that look stuck (PostgreSQL), which of them have a live job (Redis), and which of
 * the others are still stuck (PostgreSQL again, read last: a job commits its row before it finishes, so a
 * row still stuck after its job was seen gone has no job coming).
 */
export async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const staleMessages = await markOldOpenMessagesStale(deps.sql, deps.staleAfterMs);
  const expiredReplies = await expireOldPendingReplies(deps.sql, deps.staleAfterMs);
  // never handed to a provider: counted under provider "none"
  if (expiredReplies) repliesUndelivered.inc({ provider: 'none', code: 'expired' }, expiredReplies);

  const grace = async (view: Pick<QueueView<unknown>, 'headWaitMs'>) => deps.graceMs + (await view.headWaitMs());
  // a held message's ingest job waits (delayed, outside the line) for its release; if it is gone, the message must not wait forever
  const waiting = [...await messagesStuckInReceived(deps.sql, await grace(deps.live.ingest), deps.batchSize), ...await heldMessagesPastRelease(deps.sql, deps.graceMs, deps.batchSize)];
  let requeuedIngest = 0;
  for (const id of await stillStuck(waiting, deps.live.ingest, (ids) => stillWaitingForIngest(deps.sql, ids, deps.graceMs))) {
    if (await deps.ensureIngest(id)) requeuedIngest++;
  }

  const chats = await stillStuck(await chatsStuckInIngested(deps.sql, await grace(deps.live.converse), deps.batchSize), deps.live.converse, (c) => chatsStillIngested(deps.sql, c));
  for (const chatId of chats) await deps.scheduleConverse(chatId);

  const replyChats = await stillStuck(await chatsWithStuckReplies(deps.sql, await grace(deps.live.outbound), deps.batchSize), deps.live.outbound, (c) => chatsStillWithReplies(deps.sql, c));
  for (const chatId of replyChats) await deps.scheduleOutbound(chatId);

  const paymentLinks = deps.retryPaymentLinks ? await deps.retryPaymentLinks().catch(() => 0) : 0;
  return { staleMessages, expiredReplies, requeuedIngest, requeuedChats: chats.length, requeuedReplyChats: replyChats.length, paymentLinks };
}

/** Of the rows that looked stuck, those with no live job that are stuck still (read after Redis was). */
async function stillStuck<K>(candidates: K[], view: QueueView<K>, stuckStill: (keys: K[]) => Promise<K[]>): Promise<K[]> {
  if (!candidates.length) return [];
  const queued = await view.has(candidates);
  return stuckStill(candidates.filter((k) => !queued.has(k)));
}

export interface MaintenanceDeps extends SweepDeps {
  archiveAfterDays: () => Promise<number>;
  /** Recompute the catalogue's views; the caller drops cached menus when they changed. */
  refreshCatalogue: () => Promise<{ listingsChanged: boolean }>;
  retention: { eventDays: number; minuteDays: number };
  /** Hand chats whose handoff has run its time back to the bot. */
  resumeHandoffs: () => Promise<{ resumed: number }>;
}

/** The housekeeping queue: each job scheduler (fixed id) sends one task. */
export async function maintenance(payload: MaintenancePayload, deps: MaintenanceDeps): Promise<object> {
  switch (payload.task) {
    case 'sweep':
      return sweep(deps);
    case 'archive-guests':
      return { archived: await archiveInactiveGuests(deps.sql, await deps.archiveAfterDays()) };
    case 'refresh-catalogue':
      return deps.refreshCatalogue();
    case 'rollup-metrics':
      return rollUpRecentMinutes(deps.sql);
    case 'prune-metrics':
      return pruneOldMetrics(deps.sql, deps.retention);
    case 'resume-handoffs':
      return deps.resumeHandoffs();
  }
}
