import type { Queryable } from '../db/client.ts';

// WhatsApp takes a free-form message only within 24 hours of the customer's last message; past that only
// a template goes (Meta refuses with 131047). The console checks before writing, so an operator hears why
// at once instead of finding the refusal later among the failed sends.

export const REPLY_WINDOW_MS = 24 * 3600_000;

export interface ReplyWindow {
  open: boolean;
  /** when the customer last wrote (their clock, as the provider reports it); null: never */
  lastInboundAt: Date | null;
  /** when the window closes (closed: when it closed) */
  closesAt: Date | null;
}

export function replyWindow(lastInboundAt: Date | null, now = Date.now()): ReplyWindow {
  if (!lastInboundAt) return { open: false, lastInboundAt: null, closesAt: null };
  const closesAt = new Date(lastInboundAt.getTime() + REPLY_WINDOW_MS);
  return { open: closesAt.getTime() > now, lastInboundAt, closesAt };
}

/**
 * The customer's last message of the chat: the newest row received (the chat-history index), dated by the
 * provider's timestamp, which is what WhatsApp counts the window from. System notices are not the customer writing.
 */
export async function lastCustomerMessageAt(db: Queryable, chatId: string): Promise<Date | null> {
  const [row] = await db<{ at: Date }[]>`
    SELECT least(sent_at, received_at) AS at FROM inbound_messages
     WHERE chat_id = ${chatId} AND kind <> 'system'
     ORDER BY received_at DESC LIMIT 1`;
  return row?.at ?? null;
}

export async function replyWindowOf(db: Queryable, chatId: string, now = Date.now()): Promise<ReplyWindow> {
  return replyWindow(await lastCustomerMessageAt(db, chatId), now);
}
