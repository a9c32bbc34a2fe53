import type { Config } from '../config/load.ts';
import { createMetaSender } from './meta/send.ts';
import { createSandboxSender } from './sandbox-sender.ts';
import type { WhatsAppSender } from './sender.ts';
import { createWhapiSender } from './whapi/send.ts';

/** The outgoing side chosen by WHATSAPP_PROVIDER (config validation guarantees its settings exist). */
export function createSender(config: Config): WhatsAppSender {
  switch (config.WHATSAPP_PROVIDER) {
    case 'meta':
      return createMetaSender({
        graphUrl: config.META_GRAPH_URL!,
        phoneNumberId: config.META_PHONE_NUMBER_ID!,
        accessToken: config.META_ACCESS_TOKEN!,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
      });
    case 'whapi':
      // Whapi: buttons and lists go as numbered text through /messages/text. WhatsApp shows Whapi's
      // interactive messages as plain text on some clients, and a numbered list reads well everywhere.
      return createWhapiSender({ apiUrl: config.WHAPI_API_URL!, token: config.WHAPI_TOKEN!, timeoutMs: config.PROVIDER_TIMEOUT_MS, interactive: false });
    case 'sandbox':
      return createSandboxSender();
  }
}
