import type { Handoff } from '../crm/handoffs.ts';
import { handoffSummary } from '../conversation/texts.ts';

export interface HandoffWebhookOptions {
  url: string;
  timeoutMs?: number;
}

/**
 * Tells the team's tool (Slack or Teams incoming webhook, Zapier, n8n, an own endpoint) of a new
 * handoff: one JSON POST with a ready-to-show `text` (Slack and Teams display it as is) beside the
 * structured `handoff`. Resolves on a 2xx, throws otherwise, so the caller marks it notified or
 * leaves it for the maintenance task to try again.
 */
export function createHandoffWebhook(opts: HandoffWebhookOptions): (h: Handoff) => Promise<void> {
  return async (h) => {
    const text = handoffSummary(h);
    const response = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'handoff_started',
        text,
        handoff: { id: h.id, chatId: h.chatId, customerName: h.customerName, reason: h.reason, lastMessage: h.lastMessage, startedAt: h.startedAt, resumeAt: h.resumeAt },
      }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    // the body is not needed; read it so the connection is released
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`handoff webhook answered ${response.status}`);
  };
}
