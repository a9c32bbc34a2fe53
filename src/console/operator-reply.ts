import type { Sql } from '../db/client.ts';
import { MAX_TEXT_BODY } from '../whatsapp/limits.ts';
import { markChatRead } from './read-marks.ts';
import { replyWindowOf, type ReplyWindow } from './reply-window.ts';
import { claimOpenHandoff, takeChat } from './take-over.ts';

// A person answers the customer. The reply is an outbox row like the bot's (the outbound stage sends it,
// in order with the chat's other replies, recorded and retried the same way), carrying the operator's
// name. Answering as a person means having the chat: if the bot had it, the operator takes it, so the
// customer's answer to a person is not answered by the bot.

export const MAX_REPLY_TEXT = MAX_TEXT_BODY;

export type OperatorReply =
  | { ok: true; outboxId: number; chatId: string; took: boolean }
  | { ok: false; reason: 'no_chat' }
  | { ok: false; reason: 'outside_window'; window: ReplyWindow };

export async function writeOperatorReply(
  sql: Sql,
  r: { chatId: string; text: string; operator: string; resumeAfterMs: number },
): Promise<OperatorReply> {
  return sql.begin(async (tx): Promise<OperatorReply> => {
    const [guest] = await tx<{ chatId: string }[]>`SELECT chat_id AS "chatId" FROM guest_profiles WHERE phone_number = ${r.chatId}`;
    if (!guest) return { ok: false, reason: 'no_chat' };
    const window = await replyWindowOf(tx, r.chatId);
    if (!window.open) return { ok: false, reason: 'outside_window', window };
    const [held] = await tx<{ pausesBot: boolean }[]>`SELECT pauses_bot AS "pausesBot" FROM handoffs WHERE chat_id = ${r.chatId} AND ended_at IS NULL`;
    const took = !held?.pausesBot;
    if (took) await takeChat(tx, r.chatId, r.operator, r.resumeAfterMs);
    else await claimOpenHandoff(tx, r.chatId, r.operator);
    const [row] = await tx<{ id: number }[]>`
      INSERT INTO outbox (chat_id, provider_chat_id, inbound_id, seq, content, operator_name)
      VALUES (${r.chatId}, ${guest.chatId}, NULL, 0, ${tx.json({ type: 'text', text: r.text })}, ${r.operator})
      RETURNING id`;
    // whoever answers has read what they answered
    await markChatRead(tx, r.chatId, r.operator);
    return { ok: true, outboxId: row.id, chatId: r.chatId, took };
  });
}
