import { ProviderUnavailableError } from '../errors.ts';
import { callProvider, errorFromStatus } from '../http-call.ts';
import { fitContent, renderAsText } from '../limits.ts';
import { asRecord, asString } from '../read-json.ts';
import type { WhatsAppSender } from '../sender.ts';

export interface WhapiSenderOptions {
  apiUrl: string;
  token: string;
  timeoutMs?: number;
}

/**
 * Sends through Whapi.cloud: `POST {api}/messages/text {to, body}`. Buttons and lists go as numbered
 * text (renderAsText): it reads well on every client, and the customer answers with the number or words.
 */
export function createWhapiSender(opts: WhapiSenderOptions): WhatsAppSender {
  const api = opts.apiUrl.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    provider: 'whapi',
    async send(message) {
      const body = {
        to: message.providerChatId ?? message.to,
        body: renderAsText(fitContent(message.content)),
        ...(message.replyToMessageId ? { quoted: message.replyToMessageId } : {}),
      };
      const answer = await callProvider(`${api}/messages/text`, { method: 'POST', token: opts.token, body, timeoutMs });
      if (answer.status < 200 || answer.status >= 300) throw errorFromStatus(answer, 'Whapi send');
      const id = asString(asRecord(asRecord(answer.json)?.message)?.id) ?? asString(asRecord(answer.json)?.id);
      if (!id) throw new ProviderUnavailableError('Whapi answered without a message id');
      return { providerMessageId: id };
    },
    async markRead(providerMessageId) {
      await callProvider(`${api}/messages/${encodeURIComponent(providerMessageId)}`, { method: 'PUT', token: opts.token, timeoutMs }).catch(() => undefined);
    },
  };
}
