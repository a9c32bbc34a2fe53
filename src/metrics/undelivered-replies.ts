import type { Queryable } from '../db/client.ts';
import { listUndeliveredReplies, type UndeliveredOutcome } from '../db/undelivered.ts';
import { maskPhone } from '../logger.ts';
import { errorMeaning, type ErrorMeaning } from '../whatsapp/error-meanings.ts';
import { renderAsText } from '../whatsapp/limits.ts';

// Replies that did not reach the customer as an operator reads them (the admin API and the dashboard): the
// customer (masked number, name), what we meant to say, the provider's code with what it means, and when.

export interface UndeliveredReply {
  id: number;
  chatId: string;
  chatIdMasked: string;
  customerName: string | null;
  kind: string;
  text: string;
  outcome: UndeliveredOutcome;
  provider: string | null;
  code: number | null;
  /** the provider's own words (or, when it expired, null) */
  title: string | null;
  meaning: ErrorMeaning | null;
  at: Date;
  createdAt: Date;
  inboundId: number | null;
}

export interface UndeliveredReplies {
  since: Date;
  /** all of them since `since`, past the listed ones too */
  count: number;
  items: UndeliveredReply[];
}

export const DEFAULT_UNDELIVERED_HOURS = 7 * 24;

export async function readUndeliveredReplies(db: Queryable, opts: { since?: Date; limit?: number } = {}): Promise<UndeliveredReplies> {
  const since = opts.since ?? new Date(Date.now() - DEFAULT_UNDELIVERED_HOURS * 3600_000);
  const { count, rows } = await listUndeliveredReplies(db, { since, limit: opts.limit ?? 100 });
  return {
    since,
    count,
    items: rows.map((r) => ({
      id: r.id,
      chatId: r.chatId,
      chatIdMasked: maskPhone(r.chatId),
      customerName: r.customerName,
      kind: r.content.type,
      text: renderAsText(r.content),
      outcome: r.outcome,
      provider: r.provider,
      code: r.errorCode,
      title: r.outcome === 'expired' ? null : r.errorTitle,
      meaning: errorMeaning(r.provider, r.errorCode, { expired: r.outcome === 'expired' }),
      at: r.at,
      createdAt: r.createdAt,
      inboundId: r.inboundId,
    })),
  };
}
