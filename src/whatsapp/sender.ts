import type { OutboundMessage, SendResult } from './types.ts';

/** A provider's outgoing side. Implementations throw only the errors in ./errors.ts. */
export interface WhatsAppSender {
  readonly provider: 'meta' | 'whapi' | 'sandbox';
  send(message: OutboundMessage): Promise<SendResult>;
  /** Blue ticks (and optionally "typing…") for a customer message. Best effort; may be a no-op. */
  markRead(providerMessageId: string, opts?: { typing?: boolean }): Promise<void>;
}
