import { randomUUID } from 'node:crypto';
import type { WhatsAppSender } from './sender.ts';
import type { OutboundMessage } from './types.ts';

const KEEP = 1000;

/** WHATSAPP_PROVIDER=sandbox: replies are recorded in the outbox as sent and go nowhere. */
export function createSandboxSender(): WhatsAppSender & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  return {
    provider: 'sandbox',
    sent,
    async send(message) {
      sent.push(message);
      if (sent.length > KEEP) sent.splice(0, sent.length - KEEP);
      return { providerMessageId: `sandbox-${randomUUID()}` };
    },
    async markRead() {},
    async showTyping() {},
  };
}
