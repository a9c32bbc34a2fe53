import { undeliveredAt, undeliveredOutcome } from '../db/undelivered.ts';
import type { Queryable, Sql } from '../db/client.ts';
import { errorMeaning, type ErrorMeaning } from '../whatsapp/error-meanings.ts';
import { renderAsText } from '../whatsapp/limits.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { replyWindow, replyWindowOf } from './reply-window.ts';

// Replies that never reached the customer (refused at send, reported failed, expired unsent), for an
// operator to act on: send it again (a new outbox row pointing back at it, sent in order with the chat's
// other replies) or put it aside as handled. Either resolves the row, with who did it.

export type FailedSendState = 'open' | 'handled';
export const MAX_FAILED_PAGE = 200;

export interface FailedSend {
  id: number;
  chatId: string;
  customerName: string | null;
  content: OutboundContent;
  text: string;
  /** refused at send, failed after the provider took it, expired before it was sent */
  outcome: 'refused' | 'failed' | 'expired';
  provider: string | null;
  code: number | null;
  title: string | null;
  meaning: ErrorMeaning | null;
  at: Date;
  createdAt: Date;
  /** who wrote it: null for the bot */
  operator: string | null;
  /** can a free-form message reach the customer now (their last message under 24 h ago)? */
  windowOpen: boolean;
  resolution: { how: 'retried' | 'dismissed'; by: string | null; at: Date; retryId: number | null; retryStatus: string | null } | null;
}

interface Row extends Omit<FailedSend, 'text' | 'meaning' | 'windowOpen' | 'resolution' | 'title'> {
  errorTitle: string | null;
  lastInboundAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionHow: 'retried' | 'dismissed' | null;
  retryId: number | null;
  retryStatus: string | null;
  total: number;
}

export async function listFailedSends(db: Queryable, opts: { state?: FailedSendState; limit?: number } = {}): Promise<{ count: number; items: FailedSend[] }> {
  const handled = opts.state === 'handled';
  const rows = await db<Row[]>`
    SELECT o.id, o.chat_id AS "chatId", coalesce(i.customer_name, g.user_name) AS "customerName", o.content,
           ${undeliveredOutcome(db)} AS outcome,
           o.provider, o.error_code AS code, o.error_title AS "errorTitle", ${undeliveredAt(db)} AS at, o.created_at AS "createdAt",
           o.operator_name AS operator, o.resolved_at AS "resolvedAt", o.resolved_by AS "resolvedBy", o.resolution AS "resolutionHow",
           retry.id AS "retryId", retry.status AS "retryStatus",
           (SELECT least(l.sent_at, l.received_at) FROM inbound_messages l WHERE l.chat_id = o.chat_id AND l.kind <> 'system'
             ORDER BY l.received_at DESC LIMIT 1) AS "lastInboundAt",
           count(*) OVER () AS total
      FROM outbox o
      LEFT JOIN inbound_messages i ON i.id = o.inbound_id
      LEFT JOIN guest_profiles g ON g.phone_number = o.chat_id
      LEFT JOIN LATERAL (SELECT r.id, r.status FROM outbox r WHERE r.retry_of = o.id ORDER BY r.id DESC LIMIT 1) retry ON true
     WHERE o.status IN ('failed', 'expired') AND ${handled ? db`o.resolved_at IS NOT NULL` : db`o.resolved_at IS NULL`}
     ORDER BY ${undeliveredAt(db)} DESC, o.id DESC
     LIMIT ${Math.min(opts.limit ?? 100, MAX_FAILED_PAGE)}`;
  return {
    count: rows[0]?.total ?? 0,
    items: rows.map(({ errorTitle, lastInboundAt, resolvedAt, resolvedBy, resolutionHow, retryId, retryStatus, total: _total, ...r }) => ({
      ...r,
      text: renderAsText(r.content),
      title: r.outcome === 'expired' ? null : errorTitle,
      meaning: errorMeaning(r.provider, r.code, { expired: r.outcome === 'expired' }),
      windowOpen: replyWindow(lastInboundAt).open,
      resolution: resolvedAt && resolutionHow ? { how: resolutionHow, by: resolvedBy, at: resolvedAt, retryId, retryStatus } : null,
    })),
  };
}

export type FailedSendAction =
  | { ok: true; chatId: string; retryId?: number }
  | { ok: false; reason: 'not_found' | 'not_failed' | 'already_handled'; status?: string }
  | { ok: false; reason: 'outside_window'; lastInboundAt: Date | null };

/** The failed row, locked, or why it cannot be acted on. */
async function lockFailed(tx: Queryable, id: number): Promise<{ chatId: string; providerChatId: string | null; content: OutboundContent } | FailedSendAction> {
  const [row] = await tx<{ chatId: string; providerChatId: string | null; content: OutboundContent; status: string; resolvedAt: Date | null }[]>`
    SELECT chat_id AS "chatId", provider_chat_id AS "providerChatId", content, status, resolved_at AS "resolvedAt" FROM outbox WHERE id = ${id} FOR UPDATE`;
  if (!row) return { ok: false, reason: 'not_found' };
  if (row.status !== 'failed' && row.status !== 'expired') return { ok: false, reason: 'not_failed', status: row.status };
  if (row.resolvedAt) return { ok: false, reason: 'already_handled' };
  return row;
}

/**
 * Send it again, as it was written. Refused while the customer's 24 h window is closed: WhatsApp would
 * refuse the copy for the same reason (131047), and only a template can reopen the conversation.
 */
export async function retryFailedSend(sql: Sql, id: number, operator: string): Promise<FailedSendAction> {
  return sql.begin(async (tx): Promise<FailedSendAction> => {
    const row = await lockFailed(tx, id);
    if ('ok' in row) return row;
    const window = await replyWindowOf(tx, row.chatId);
    if (!window.open) return { ok: false, reason: 'outside_window', lastInboundAt: window.lastInboundAt };
    const [copy] = await tx<{ id: number }[]>`
      INSERT INTO outbox (chat_id, provider_chat_id, inbound_id, seq, content, operator_name, retry_of)
      VALUES (${row.chatId}, ${row.providerChatId}, NULL, 0, ${tx.json(row.content as never)}, ${operator}, ${id})
      RETURNING id`;
    await tx`UPDATE outbox SET resolved_at = now(), resolved_by = ${operator}, resolution = 'retried' WHERE id = ${id}`;
    return { ok: true, chatId: row.chatId, retryId: copy.id };
  });
}

/** Handled some other way (a call, a template, nothing to do): off the list, with who said so. */
export async function dismissFailedSend(sql: Sql, id: number, operator: string): Promise<FailedSendAction> {
  return sql.begin(async (tx): Promise<FailedSendAction> => {
    const row = await lockFailed(tx, id);
    if ('ok' in row) return row;
    await tx`UPDATE outbox SET resolved_at = now(), resolved_by = ${operator}, resolution = 'dismissed' WHERE id = ${id}`;
    return { ok: true, chatId: row.chatId };
  });
}
