import type { Sql } from '../db/client.ts';
import { insertInbound } from '../db/inbox.ts';
import { recordStatuses, type ReportedFailure } from '../db/statuses.ts';
import type { Logger } from '../logger.ts';
import type { NormalisedDelivery } from '../whatsapp/types.ts';
import { DependencyUnavailableError } from './dependency-error.ts';
import { inboundMessages, repliesUndelivered } from '../metrics/registry.ts';
import { undeliveredCodeLabel } from '../whatsapp/error-meanings.ts';

export interface IntakeDeps {
  sql: Sql;
  enqueueIngest: (inboundIds: number[]) => Promise<void>;
  notePresence: (chatId: string, status: string) => Promise<void>;
  log: Logger;
}

export interface IntakeResult {
  stored: number;
  duplicates: number;
  statuses: number;
  skipped: number;
}

/**
 * The webhook's whole job once the request is authentic: commit every message before answering, then
 * enqueue. PostgreSQL down → 503 (the provider retries). Redis down → still 200, because the rows are
 * committed and the recovery sweep will enqueue them: never a 200 for something not durable.
 */
export async function acceptDelivery(delivery: NormalisedDelivery, deps: IntakeDeps): Promise<IntakeResult> {
  let stored: { id: number }[];
  let failedReplies: ReportedFailure[];
  try {
    stored = await insertInbound(deps.sql, delivery.messages);
    failedReplies = await recordStatuses(deps.sql, delivery.statuses);
  } catch (error) {
    throw new DependencyUnavailableError('database', error);
  }
  for (const f of failedReplies) repliesUndelivered.inc({ provider: f.provider ?? 'unknown', code: undeliveredCodeLabel(f.code) });
  const provider = delivery.messages[0]?.provider ?? 'unknown';
  if (stored.length) inboundMessages.inc({ provider, result: 'new' }, stored.length);
  if (delivery.messages.length > stored.length) inboundMessages.inc({ provider, result: 'duplicate' }, delivery.messages.length - stored.length);
  if (stored.length) {
    await deps.enqueueIngest(stored.map((r) => r.id)).catch((error: unknown) =>
      deps.log.warn({ err: error, count: stored.length }, 'queue unavailable; committed messages wait for the recovery sweep'),
    );
  }
  for (const p of delivery.presences) await deps.notePresence(p.chatId, p.status).catch(() => {});
  if (delivery.skipped.length) deps.log.info({ skipped: delivery.skipped.map((s) => s.reason) }, 'webhook items skipped');
  return {
    stored: stored.length,
    duplicates: delivery.messages.length - stored.length,
    statuses: delivery.statuses.length,
    skipped: delivery.skipped.length,
  };
}
