import type { Sql } from '../db/client.ts';
import { recordStatuses, type ReportedFailure } from '../db/statuses.ts';
import { storeInbound } from '../crm/store-inbound.ts';
import { learnFromStatuses } from '../crm/learn-from-statuses.ts';
import { recordMarketingPreferences } from '../crm/marketing-preferences.ts';
import { recordBilling, type BillingRecord } from '../billing/record-billing.ts';
import type { Logger } from '../logger.ts';
import type { NormalisedDelivery } from '../whatsapp/types.ts';
import { DependencyUnavailableError } from './dependency-error.ts';
import { inboundMessages, repliesUndelivered, whatsappCost, whatsappMessagesBilled, whatsappUnpriced } from '../metrics/registry.ts';
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
  preferences: number;
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
  let billing: BillingRecord;
  try {
    // each message under its customer's one key, whatever ids it came with (src/crm/customer-keys.ts)
    stored = await storeInbound(deps.sql, delivery.messages);
    failedReplies = await recordStatuses(deps.sql, delivery.statuses);
    [billing] = await Promise.all([
      recordBilling(deps.sql, delivery.statuses),
      learnFromStatuses(deps.sql, delivery.statuses),
      recordMarketingPreferences(deps.sql, delivery.preferences),
    ]);
  } catch (error) {
    throw new DependencyUnavailableError('database', error);
  }
  for (const f of failedReplies) repliesUndelivered.inc({ provider: f.provider ?? 'unknown', code: undeliveredCodeLabel(f.code) });
  countBilling(billing);
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
    preferences: delivery.preferences.length,
    skipped: delivery.skipped.length,
  };
}

function countBilling(billing: BillingRecord): void {
  for (const b of billing.newly) whatsappMessagesBilled.inc({ category: b.category, billable: String(b.billable) });
  for (const b of billing.delivered) {
    if (!b.billable) continue;
    if (b.priceUsd === null) whatsappUnpriced.inc({ category: b.category });
    else whatsappCost.inc({ category: b.category }, b.priceUsd);
  }
}
