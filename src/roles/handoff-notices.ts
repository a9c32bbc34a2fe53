import type { Sql } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { endHandoff, handoffById, markNotified, overdueHandoffs, unnotifiedHandoffs, type Handoff } from '../crm/handoffs.ts';
import { createHandoffWebhook } from '../notify/handoff-webhook.ts';
import type { HandoffSettings } from '../conversation/handoff.ts';
import type { Config } from '../config/load.ts';

export interface HandoffNotices {
  settings: HandoffSettings;
  /** After the converse commit: call the webhook for these new handoffs (failures wait for the retry). */
  notify: (ids: number[]) => Promise<void>;
  /** Maintenance: resume overdue handoffs, and call the webhook again for those it has not reached. */
  housekeeping: () => Promise<{ resumed: number; notified: number }>;
}

/** Handoff settings from the configuration, and the team's webhook around them. */
export function createHandoffNotices(config: Config, sql: Sql, log: Logger): HandoffNotices {
  const webhook = config.HANDOFF_WEBHOOK_URL ? createHandoffWebhook({ url: config.HANDOFF_WEBHOOK_URL }) : undefined;
  const settings: HandoffSettings = {
    resumeAfterMs: config.HANDOFF_AUTO_RESUME_MS,
    afterMisunderstood: config.HANDOFF_AFTER_MISUNDERSTOOD,
    operatorPhone: config.HANDOFF_OPERATOR_PHONE,
    webhook: webhook !== undefined,
  };
  const tell = async (h: Handoff): Promise<boolean> => {
    if (!webhook) return false;
    try {
      await webhook(h);
      await markNotified(sql, h.id);
      return true;
    } catch (error) {
      log.warn({ handoffId: h.id, err: (error as Error).message }, 'could not reach the handoff webhook; will try again');
      return false;
    }
  };
  return {
    settings,
    notify: async (ids) => {
      for (const id of ids) {
        const h = await handoffById(sql, id).catch(() => undefined);
        if (h) await tell(h);
      }
    },
    housekeeping: async () => {
      let resumed = 0;
      for (const id of await overdueHandoffs(sql)) if (await sql.begin((tx) => endHandoff(tx, id, 'timeout'))) resumed++;
      let notified = 0;
      if (webhook) for (const h of await unnotifiedHandoffs(sql)) if (await tell(h)) notified++;
      return { resumed, notified };
    },
  };
}
