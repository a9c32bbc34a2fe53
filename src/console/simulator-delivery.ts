import { normaliseMetaWebhook } from '../whatsapp/meta/normalise.ts';
import type { NormalisedDelivery } from '../whatsapp/types.ts';
import { newSimulatorMessageId } from './simulator-chat.ts';

// What the simulator's customer sends, as WhatsApp would deliver it: a Meta webhook body (text, a tapped
// reply button, a chosen list row), read by the same normaliser as the real webhook, then accepted by the
// same intake (inbox row committed, ingest enqueued). Only the provider differs: 'sandbox', so nothing
// downstream mistakes the made-up chat for one of Meta's.

export type SimulatorInput =
  | { type: 'text'; text: string }
  | { type: 'button'; id: string; title: string }
  | { type: 'list'; id: string; title: string; description?: string };

export const SIMULATOR_CUSTOMER_NAME = 'Cliente de prueba';

export function simulatorWebhookBody(chatId: string, input: SimulatorInput, opts: { name?: string; messageId?: string; at?: Date } = {}) {
  const message: Record<string, unknown> = {
    from: chatId,
    id: opts.messageId ?? newSimulatorMessageId(),
    timestamp: String(Math.floor((opts.at ?? new Date()).getTime() / 1000)),
  };
  if (input.type === 'text') Object.assign(message, { type: 'text', text: { body: input.text } });
  else if (input.type === 'button') Object.assign(message, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: input.id, title: input.title } } });
  else {
    const row = { id: input.id, title: input.title, ...(input.description ? { description: input.description } : {}) };
    Object.assign(message, { type: 'interactive', interactive: { type: 'list_reply', list_reply: row } });
  }
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: 'simulator',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: 'simulador', phone_number_id: 'simulator' },
          contacts: [{ profile: { name: opts.name ?? SIMULATOR_CUSTOMER_NAME }, wa_id: chatId }],
          messages: [message],
        },
      }],
    }],
  };
}

export function simulatorDelivery(chatId: string, input: SimulatorInput, opts: { name?: string; messageId?: string } = {}): NormalisedDelivery {
  const delivery = normaliseMetaWebhook(simulatorWebhookBody(chatId, input, opts));
  return { ...delivery, messages: delivery.messages.map((m) => ({ ...m, provider: 'sandbox' as const })) };
}
