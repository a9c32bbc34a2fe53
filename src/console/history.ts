import type { Queryable } from '../db/client.ts';
import { errorMeaning, type ErrorMeaning } from '../whatsapp/error-meanings.ts';
import { renderAsText } from '../whatsapp/limits.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { inboundPlaceholder } from './placeholders.ts';

// A chat's whole history for the console, oldest first: what the customer sent (media as placeholders,
// with what the bot did with it), every reply the bot or a person wrote with its delivery ticks or the
// provider's refusal, who took the chat and gave it back, and the labels people changed.

export const MAX_HISTORY = 500;

interface Common {
  id: number;
  at: Date;
  /** the item's time to the microsecond: pass the oldest as `before` for the page before */
  mark: string;
}

export interface InboundItem extends Common {
  type: 'in';
  kind: string;
  text: string | null;
  /** media, pins, cards, reactions: what it was, in Spanish */
  placeholder: string | null;
  /** received → handled; skipped (nothing to answer, or a person had the chat), held (rate limit), stale */
  status: string;
  note: string | null;
}

export interface OutboundItem extends Common {
  type: 'out';
  /** null: the bot wrote it; else the operator who wrote it (or sent it again) */
  operator: string | null;
  content: OutboundContent;
  text: string;
  /** pending → sent → delivered → read; failed (refused, or reported failed); expired (too old to send) */
  status: string;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
  error: { provider: string | null; code: number | null; title: string | null; meaning: ErrorMeaning | null } | null;
  retryOf: number | null;
  resolution: { how: 'retried' | 'dismissed'; by: string | null; at: Date } | null;
}

export interface HandoffItem extends Common {
  type: 'handoff';
  /** started (the customer asked, or the bot gave up), taken (a person took it from the bot or answered), ended */
  event: 'started' | 'taken' | 'ended';
  reason: string;
  operator: string | null;
  /** ended: 'operator' or 'timeout' */
  endedBy: string | null;
  pausesBot: boolean;
}

export interface LabelItem extends Common {
  type: 'labels';
  operator: string;
  added: string[];
  removed: string[];
}

export type HistoryItem = InboundItem | OutboundItem | HandoffItem | LabelItem;

const MARK = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The newest `limit` items before `before` (a `mark`), oldest first; `more` says whether older ones exist. */
export async function chatHistory(db: Queryable, chatId: string, opts: { before?: string; limit?: number } = {}): Promise<{ items: HistoryItem[]; more: boolean }> {
  const limit = Math.min(opts.limit ?? 200, MAX_HISTORY);
  const before = opts.before ?? 'infinity';
  const take = limit + 1;
  const [inbound, outbound, handoffs, labels] = await Promise.all([
    db.unsafe<(InboundItem & { details: Record<string, unknown> })[]>(
      `SELECT id, received_at AS at, ${MARK('received_at')} AS mark, kind, text, details, status, status_note AS note
         FROM inbound_messages WHERE chat_id = $1 AND received_at < $2::text::timestamptz ORDER BY received_at DESC LIMIT $3`,
      [chatId, before, take]),
    db.unsafe<(Omit<OutboundItem, 'error' | 'resolution'> & { provider: string | null; errorCode: number | null; errorTitle: string | null; resolvedAt: Date | null; resolvedBy: string | null; resolutionHow: 'retried' | 'dismissed' | null })[]>(
      `SELECT id, created_at AS at, ${MARK('created_at')} AS mark, operator_name AS operator, content, status, sent_at AS "sentAt",
              delivered_at AS "deliveredAt", read_at AS "readAt", failed_at AS "failedAt", provider, error_code AS "errorCode",
              error_title AS "errorTitle", retry_of AS "retryOf", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy", resolution AS "resolutionHow"
         FROM outbox WHERE chat_id = $1 AND created_at < $2::text::timestamptz ORDER BY created_at DESC LIMIT $3`,
      [chatId, before, take]),
    // a handoff is up to three moments: it opened, someone took it, it ended
    db.unsafe<HandoffItem[]>(
      `SELECT * FROM (
         SELECT id, started_at AS at, ${MARK('started_at')} AS mark, 'started' AS event, reason, CASE WHEN reason = 'taken' THEN taken_by END AS operator,
                NULL AS "endedBy", pauses_bot AS "pausesBot" FROM handoffs WHERE chat_id = $1
         UNION ALL
         SELECT id, taken_at, ${MARK('taken_at')}, 'taken', reason, taken_by, NULL, pauses_bot FROM handoffs
          WHERE chat_id = $1 AND taken_at IS NOT NULL AND reason <> 'taken'
         UNION ALL
         SELECT id, ended_at, ${MARK('ended_at')}, 'ended', reason, ended_by_name, ended_by, pauses_bot FROM handoffs WHERE chat_id = $1 AND ended_at IS NOT NULL
       ) moments WHERE at < $2::text::timestamptz ORDER BY at DESC LIMIT $3`,
      [chatId, before, take]),
    db.unsafe<LabelItem[]>(
      `SELECT id, at, ${MARK('at')} AS mark, operator_name AS operator, added, removed
         FROM label_changes WHERE chat_id = $1 AND at < $2::text::timestamptz ORDER BY at DESC LIMIT $3`,
      [chatId, before, take]),
  ]);
  const items: HistoryItem[] = [
    ...inbound.map(({ details, ...m }): InboundItem => ({ ...m, type: 'in', placeholder: inboundPlaceholder(m.kind, details) ?? null })),
    ...outbound.map(({ provider, errorCode, errorTitle, resolvedAt, resolvedBy, resolutionHow, ...o }): OutboundItem => ({
      ...o,
      type: 'out',
      text: renderAsText(o.content),
      error: o.status === 'failed' || o.status === 'expired' || errorCode !== null
        ? { provider, code: errorCode, title: o.status === 'expired' ? null : errorTitle, meaning: errorMeaning(provider, errorCode, { expired: o.status === 'expired' }) }
        : null,
      resolution: resolvedAt && resolutionHow ? { how: resolutionHow, by: resolvedBy, at: resolvedAt } : null,
    })),
    ...handoffs.map((h): HandoffItem => ({ ...h, type: 'handoff' })),
    ...labels.map((l): LabelItem => ({ ...l, type: 'labels' })),
  ];
  // newest first to cut the page, then oldest first to read; a tie keeps the customer's message before its answer
  const order = { in: 0, handoff: 1, labels: 2, out: 3 } as const;
  items.sort((a, b) => (b.mark < a.mark ? -1 : b.mark > a.mark ? 1 : order[b.type] - order[a.type]));
  const page = items.slice(0, limit);
  return { items: page.reverse(), more: items.length > limit };
}
