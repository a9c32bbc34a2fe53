import type { OutboundContent } from '../whatsapp/types.ts';

/** What the conversation sees of one customer message: no transport, no storage details. */
export interface CustomerTurn {
  kind: string;
  text: string | null;
  replyId: string | null;
  customerName: string | null;
  details: Record<string, unknown>;
}

/** The conversation's answer to a burst of turns: replies to send, or nothing (and why). */
export type TurnOutcome =
  | { action: 'reply'; replies: OutboundContent[] }
  | { action: 'skip'; reason: string };
