import type { Queryable } from '../db/client.ts';
import { insertNotice } from '../db/outbox.ts';
import { BOT_KEEPS_ANSWERING, markNotified, startHandoff, type HandoffReason } from '../crm/handoffs.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import { handedOverAfterMisses, operatorHandoffNotice } from './texts.ts';
import type { CustomerTurn } from './turn.ts';
import { classify } from './keywords/classify.ts';
import { burstWords } from './understand.ts';

// When the bot steps back for a person. The customer asking for one ("quiero hablar con un asesor", the
// "Hablar con asesor" button) hands over at once; a run of bursts the bot could not make sense of (no
// flow, no AI reply, only "no entendí") hands over too, instead of looping the menu at a frustrated
// customer. Pure: the converse stage opens the handoff in its transaction and notifies after commit.

export interface HandoffSettings {
  /** How long the bot stays quiet in a handed-off chat unless an operator resumes it sooner. */
  resumeAfterMs: number;
  /** Misunderstood bursts in a row that hand over; 0: never for that reason. */
  afterMisunderstood: number;
  /** A WhatsApp number told of every new handoff (digits with country code). */
  operatorPhone?: string;
  /** A webhook notifier is configured: the handoff counts as notified only once it answered. */
  webhook: boolean;
}

/** The session context key counting misunderstood bursts in a row. */
export const MISSES_KEY = 'misunderstood' as const;

export interface HandoffDecision {
  /** Open a handoff for this reason (undefined: the bot carries on). */
  reason?: HandoffReason;
  /** The burst's replies, replaced when the misses hand over. */
  replies: OutboundContent[];
  /** The misses counter to keep in the session. */
  misses: number;
}

// A complaint is told apart by the keyword reading of the customer's words whoever understood the burst
// (the AI reads human_agent too, but gives no reason): the operator should see it is a complaint.
const requestReason = (words: string | undefined): HandoffReason =>
  words !== undefined && classify(words).entities.reason === 'complaint' ? 'complaint' : 'requested';

/** After a burst was answered: does a person take over, and why? */
export function decideHandoff(
  answered: { intent: string; replies: OutboundContent[]; misunderstood?: boolean; handoff?: HandoffReason; /** the burst's words */ words?: string },
  missesBefore: number,
  settings: Pick<HandoffSettings, 'afterMisunderstood'>,
): HandoffDecision {
  // the conversation named its own reason (a receipt to check, a question for the team)
  if (answered.handoff) return { reason: answered.handoff, replies: answered.replies, misses: 0 };
  if (answered.intent === 'human_agent') return { reason: requestReason(answered.words), replies: answered.replies, misses: 0 };
  const misses = answered.misunderstood ? missesBefore + 1 : 0;
  if (answered.misunderstood && settings.afterMisunderstood > 0 && misses >= settings.afterMisunderstood) {
    return { reason: 'not_understood', replies: [handedOverAfterMisses()], misses: 0 };
  }
  return { replies: answered.replies, misses };
}

export interface OpenedHandoff {
  id: number;
  /** The operator's chat, when a notice was written to the outbox for it (send it after commit). */
  operatorChat?: string;
}

/**
 * Open the handoff in the conversation's transaction: the pause, the label, the event, and the
 * operator's WhatsApp notice (an outbox row, so it is as durable as a reply). Without a webhook to call
 * after commit, that notice is the whole notification and the handoff counts as notified at once.
 */
export async function openHandoffIn(
  tx: Queryable,
  chatId: string,
  burst: CustomerTurn[],
  reason: HandoffReason,
  settings: HandoffSettings,
): Promise<OpenedHandoff | undefined> {
  const customerName = burst.find((t) => t.customerName)?.customerName ?? null;
  const lastMessage = burstWords(burst) || null;
  const id = await startHandoff(tx, { chatId, reason, customerName, lastMessage, resumeAfterMs: settings.resumeAfterMs });
  if (id === undefined) return undefined;
  const operator = settings.operatorPhone && settings.operatorPhone !== chatId ? settings.operatorPhone : undefined;
  if (operator) {
    const resumeHours = Math.round((settings.resumeAfterMs / 3_600_000) * 10) / 10;
    await insertNotice(tx, operator, operatorHandoffNotice({ chatId, customerName, reason, lastMessage, resumeHours, pausesBot: !BOT_KEEPS_ANSWERING.has(reason) }));
  }
  if (!settings.webhook) await markNotified(tx, id);
  return { id, operatorChat: operator };
}
