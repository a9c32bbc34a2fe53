import type { OutboundContent } from '../whatsapp/types.ts';

/** What the conversation sees of one customer message: no transport, no storage details. */
export interface CustomerTurn {
  kind: string;
  text: string | null;
  replyId: string | null;
  customerName: string | null;
  details: Record<string, unknown>;
  /** When the customer sent it ("mañana" in a rental question counts from this day). */
  sentAt?: Date;
}

/** Labels the conversation puts on (or takes off) the guest, applied with the replies in one transaction. */
export interface LabelChange {
  add?: string[];
  remove?: string[];
}

/** What the conversation knows of the customer before this turn. */
export interface TurnContext {
  /** How many messages this customer has sent before (0: a new guest). */
  previousTurns: number;
  /** The bot already answered in this conversation: a new "hola" gets a short hello, not the introduction. */
  greeted?: boolean;
}

/** The conversation's answer to a burst of turns: replies to send, or nothing (and why). */
export type TurnOutcome =
  | { action: 'reply'; replies: OutboundContent[]; labels?: LabelChange; optOut?: boolean }
  | { action: 'skip'; reason: string; labels?: LabelChange };
