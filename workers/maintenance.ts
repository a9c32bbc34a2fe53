import type { Sql } from '../src/db/client.ts';
import {
  chatsStuckInIngested,
  expireOldPendingReplies,
  markOldOpenMessagesStale,
  messagesStuckInReceived,
  chatsWithStuckReplies,
  heldMessagesPastRelease,
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
  /** Orders placed with a payment link whose link was never sent: make and send it (absent without a gateway). */
  retryPaymentLinks?: () => Promise<number>;
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
 */
export async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const staleMessages = await markOldOpenMessagesStale(deps.sql, deps.staleAfterMs);
  const expiredReplies = await expireOldPendingReplies(deps.sql, deps.staleAfterMs);
  // never handed to a provider: counted under provider "none"
  if (expiredReplies) repliesUndelivered.inc({ provider: 'none', code: 'expired' }, expiredReplies);

  // chats are de-duplicated by BullMQ, so scheduling one that is already queued costs nothing
  let requeuedIngest = 0;
  for (const id of await messagesStuckInReceived(deps.sql, deps.graceMs, deps.batchSize)) if (await deps.ensureIngest(id)) requeuedIngest++;
  // a held message's ingest job waits (delayed) for its release; if it is gone, the message must not wait forever
  for (const id of await heldMessagesPastRelease(deps.sql, deps.graceMs, deps.batchSize)) if (await deps.ensureIngest(id)) requeuedIngest++;

  const chats = await chatsStuckInIngested(deps.sql, deps.graceMs, deps.batchSize);
  for (const chatId of chats) await deps.scheduleConverse(chatId);

  const replyChats = await chatsWithStuckReplies(deps.sql, deps.graceMs, deps.batchSize);
  for (const chatId of replyChats) await deps.scheduleOutbound(chatId);

  const paymentLinks = deps.retryPaymentLinks ? await deps.retryPaymentLinks().catch(() => 0) : 0;
  return { staleMessages, expiredReplies, requeuedIngest, requeuedChats: chats.length, requeuedReplyChats: replyChats.length, paymentLinks };
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
