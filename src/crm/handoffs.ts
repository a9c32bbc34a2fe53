import type { Queryable } from '../db/client.ts';
import { recordEvent } from '../db/events.ts';
import { changeLabels } from './profiles.ts';
import { maskPhone } from '../logger.ts';

// Human handoff: a chat a person of the team has taken over. While one is open the bot stays quiet in
// that chat (the customer's messages are still stored and shown in the history); an operator resumes it,
// or it resumes by itself at resume_at. One open handoff per chat at most (a partial unique index).

/**
 * 'requested': asked for a person; 'complaint': a complaint (damaged, wrong, double charge…); 'not_understood':
 * the bot kept missing; 'payment_receipt': a receipt to check; 'question': a question nothing written down answers.
 */
export type HandoffReason = 'requested' | 'not_understood' | 'complaint' | 'payment_receipt' | 'question';

/**
 * Reasons that put the chat in front of a person without silencing the bot: a receipt to check or a
 * question to answer should not leave the customer unanswered while they go on shopping.
 */
export const BOT_KEEPS_ANSWERING: ReadonlySet<HandoffReason> = new Set(['payment_receipt', 'question']);

export interface Handoff {
  id: number;
  chatId: string;
  reason: HandoffReason;
  customerName: string | null;
  lastMessage: string | null;
  startedAt: Date;
  resumeAt: Date;
  endedAt: Date | null;
  endedBy: 'operator' | 'timeout' | null;
  notifiedAt: Date | null;
  /** The bot stays quiet while it is open (false: a person looks, the bot goes on answering). */
  pausesBot: boolean;
}

const COLUMNS = `id, chat_id AS "chatId", reason, customer_name AS "customerName", last_message AS "lastMessage", started_at AS "startedAt",
  resume_at AS "resumeAt", ended_at AS "endedAt", ended_by AS "endedBy", notified_at AS "notifiedAt", pauses_bot AS "pausesBot"`;

type OpenHandoff = Pick<Handoff, 'id' | 'resumeAt' | 'pausesBot'>;

/** Whether an open handoff still holds the bot back (past resume_at it is overdue: the bot answers again). */
export const keepsBotQuiet = (h: OpenHandoff | undefined, now: number): boolean => h !== undefined && h.pausesBot && h.resumeAt.getTime() > now;

/** Past its resume time: the handoff ends and the bot has the chat to itself again. */
export const isOverdue = (h: OpenHandoff, now: number): boolean => h.resumeAt.getTime() <= now;

/** The chat's open handoff, if any (expired or not: keepsBotQuiet tells). */
export async function openHandoffOf(db: Queryable, chatId: string): Promise<OpenHandoff | undefined> {
  const [row] = await db<OpenHandoff[]>`SELECT id, resume_at AS "resumeAt", pauses_bot AS "pausesBot" FROM handoffs WHERE chat_id = ${chatId} AND ended_at IS NULL`;
  return row;
}

export interface StartHandoff {
  chatId: string;
  reason: HandoffReason;
  customerName: string | null;
  lastMessage: string | null;
  resumeAfterMs: number;
}

/**
 * Open a handoff, label the guest `needs_human` and record the event, in the caller's transaction.
 * Returns the new handoff's id, or undefined when the chat already had one open. One that does not pause
 * the bot is upgraded by a pausing one (a receipt waiting, then "quiero hablar con una persona"): that
 * counts as new, so the team is told again, now that the customer waits for them.
 */
export async function startHandoff(db: Queryable, h: StartHandoff): Promise<number | undefined> {
  const pauses = !BOT_KEEPS_ANSWERING.has(h.reason);
  const [row] = await db<{ id: number }[]>`
    INSERT INTO handoffs (chat_id, reason, customer_name, last_message, resume_at, pauses_bot)
    VALUES (${h.chatId}, ${h.reason}, ${h.customerName}, ${h.lastMessage?.slice(0, 500) ?? null}, now() + make_interval(secs => ${h.resumeAfterMs / 1000}), ${pauses})
    ON CONFLICT (chat_id) WHERE ended_at IS NULL DO UPDATE
      SET reason = EXCLUDED.reason, last_message = EXCLUDED.last_message, resume_at = EXCLUDED.resume_at, pauses_bot = true, notified_at = NULL
      WHERE NOT handoffs.pauses_bot AND EXCLUDED.pauses_bot
    RETURNING id`;
  if (!row) return undefined;
  await Promise.all([changeLabels(db, h.chatId, { add: ['needs_human'] }), recordEvent(db, 'handoff_started', h.chatId, { reason: h.reason })]);
  return row.id;
}

/**
 * Close an open handoff (the bot answers the chat again), take the `needs_human` label off and record
 * the event. Returns the chat, or undefined when it was not open (already resumed: nothing to do).
 * `operatorName`: the person who gave the chat back (recorded on the row and the event).
 */
export async function endHandoff(db: Queryable, id: number, by: 'operator' | 'timeout', operatorName?: string): Promise<string | undefined> {
  const [row] = await db<{ chatId: string }[]>`
    UPDATE handoffs SET ended_at = now(), ended_by = ${by}, ended_by_name = ${operatorName ?? null}
     WHERE id = ${id} AND ended_at IS NULL RETURNING chat_id AS "chatId"`;
  if (!row) return undefined;
  const data = operatorName ? { by, operator: operatorName } : { by };
  await Promise.all([changeLabels(db, row.chatId, { remove: ['needs_human'] }), recordEvent(db, 'handoff_ended', row.chatId, data)]);
  return row.chatId;
}

export interface OpenHandoffs {
  /** All open handoffs, even past the listed ones. */
  count: number;
  /** Oldest first: the customer waiting longest is the first to help. */
  items: (Handoff & { chatIdMasked: string })[];
}

/** Open handoffs for the dashboard and the admin API, with the chat id masked for a screen someone may look over. */
export async function listOpenHandoffs(db: Queryable, limit = 200): Promise<OpenHandoffs> {
  const rows = await db.unsafe<(Handoff & { total: number })[]>(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM handoffs WHERE ended_at IS NULL ORDER BY started_at, id LIMIT $1`,
    [limit],
  );
  return { count: rows[0]?.total ?? 0, items: rows.map(({ total: _total, ...h }) => ({ ...h, chatIdMasked: maskPhone(h.chatId) })) };
}

export async function handoffById(db: Queryable, id: number): Promise<Handoff | undefined> {
  const [row] = await db.unsafe<Handoff[]>(`SELECT ${COLUMNS} FROM handoffs WHERE id = $1`, [id]);
  return row;
}

/** Open handoffs past their resume time, for the maintenance task that hands them back to the bot. */
export async function overdueHandoffs(db: Queryable, limit = 500): Promise<number[]> {
  const rows = await db<{ id: number }[]>`SELECT id FROM handoffs WHERE ended_at IS NULL AND resume_at <= now() ORDER BY resume_at LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Handoffs the team has not been told of yet (the notification failed or was never tried), newest few
 * hours only. Those younger than `settledMs` are left out: their first call, made right after the commit,
 * may still be in flight, and retrying it now would tell the team twice.
 */
export async function unnotifiedHandoffs(db: Queryable, limit = 50, settledMs = 30_000): Promise<Handoff[]> {
  return db.unsafe<Handoff[]>(
    `SELECT ${COLUMNS} FROM handoffs WHERE notified_at IS NULL AND ended_at IS NULL AND started_at > now() - interval '6 hours'
        AND started_at <= now() - make_interval(secs => $2) ORDER BY started_at LIMIT $1`,
    [limit, settledMs / 1000],
  );
}

export async function markNotified(db: Queryable, id: number): Promise<void> {
  await db`UPDATE handoffs SET notified_at = now() WHERE id = ${id} AND notified_at IS NULL`;
}
