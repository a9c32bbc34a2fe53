import type { Queryable } from '../db/client.ts';
import { recordEvent } from '../db/events.ts';
import { endHandoff } from '../crm/handoffs.ts';

// A person takes a chat from the bot, and gives it back. Taking is a handoff of its own ('taken') that
// pauses the bot like a customer's request for a person does; the converse stage already keeps quiet in a
// chat with such a handoff open, so nothing else needs to know. Each is in the caller's transaction.

export interface Taken {
  handoffId: number;
  /** false when this operator already had the chat: nothing changed */
  changed: boolean;
}

/**
 * The operator has the chat from now on, until they give it back or `resumeAfterMs` passes. A chat the
 * customer handed over (a request, a complaint) keeps its reason and gets the operator's name; one that
 * only wanted a look (a receipt, a question) now pauses the bot too. No one is notified: the team took it.
 */
export async function takeChat(tx: Queryable, chatId: string, operator: string, resumeAfterMs: number): Promise<Taken> {
  const [row] = await tx<{ id: number; inserted: boolean; changed: boolean }[]>`
    WITH before AS (SELECT taken_by, pauses_bot FROM handoffs WHERE chat_id = ${chatId} AND ended_at IS NULL)
    INSERT INTO handoffs AS h (chat_id, reason, customer_name, resume_at, pauses_bot, taken_by, taken_at, notified_at)
    VALUES (${chatId}, 'taken', (SELECT user_name FROM guest_profiles WHERE phone_number = ${chatId}),
            now() + make_interval(secs => ${resumeAfterMs / 1000}), true, ${operator}, now(), now())
    ON CONFLICT (chat_id) WHERE ended_at IS NULL DO UPDATE
      SET pauses_bot = true, taken_by = EXCLUDED.taken_by,
          taken_at = CASE WHEN h.taken_by IS DISTINCT FROM EXCLUDED.taken_by THEN now() ELSE h.taken_at END,
          resume_at = greatest(h.resume_at, EXCLUDED.resume_at)
    RETURNING id, xmax = 0 AS inserted,
              (xmax = 0) OR (SELECT taken_by IS DISTINCT FROM ${operator}::text OR NOT pauses_bot FROM before) AS changed`;
  if (row.inserted) await recordEvent(tx, 'handoff_started', chatId, { reason: 'taken' });
  return { handoffId: row.id, changed: row.changed };
}

/** The bot has the chat again. Returns the handoff that ended, or undefined when the bot had it already. */
export async function giveBackChat(tx: Queryable, chatId: string, operator: string): Promise<number | undefined> {
  const [open] = await tx<{ id: number }[]>`SELECT id FROM handoffs WHERE chat_id = ${chatId} AND ended_at IS NULL FOR UPDATE`;
  if (!open) return undefined;
  return (await resumeHandoff(tx, open.id, operator)) ? open.id : undefined;
}

/** End one handoff as the named operator (the dashboard's *Reanudar bot* and the console's *Devolver al bot*). */
export async function resumeHandoff(tx: Queryable, handoffId: number, operator: string): Promise<string | undefined> {
  const chatId = await endHandoff(tx, handoffId, 'operator');
  if (chatId) await tx`UPDATE handoffs SET ended_by_name = ${operator} WHERE id = ${handoffId}`;
  return chatId;
}

/** Whoever answers a chat the customer handed over has it: their name goes on the open handoff. */
export async function claimOpenHandoff(tx: Queryable, chatId: string, operator: string): Promise<void> {
  await tx`UPDATE handoffs SET taken_by = ${operator}, taken_at = now() WHERE chat_id = ${chatId} AND ended_at IS NULL AND taken_by IS NULL`;
}
