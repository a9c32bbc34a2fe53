import type { OutboundMessage, SendResult } from './types.ts';

/** A provider's outgoing side. Implementations throw only the errors in ./errors.ts. */
export interface WhatsAppSender {
  readonly provider: 'meta' | 'whapi' | 'sandbox';
  send(message: OutboundMessage): Promise<SendResult>;
  /** Blue ticks (and optionally "typing…") for a customer message. Best effort; may be a no-op. */
  markRead(providerMessageId: string, opts?: { typing?: boolean }): Promise<void>;
  /**
   * "typing…" in the customer's chat while a slow reply (the AI's) is being written; it also marks the
   * message read. Best effort: never throws. Meta shows it until the reply or 25 s; Whapi per chat.
   */
  showTyping(target: { providerMessageId: string; providerChatId: string }): Promise<void>;
}
