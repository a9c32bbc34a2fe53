import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { callProvider, type HttpAnswer } from '../http-call.ts';
import { fitContent } from '../limits.ts';
import { asArray, asNumber, asRecord, asString } from '../read-json.ts';
import type { WhatsAppSender } from '../sender.ts';
import type { OutboundContent, OutboundMessage } from '../types.ts';

export interface MetaSenderOptions {
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs?: number;
}

// Meta error codes that mean "slow down" (throughput, pair rate, app/business rate limits) and
// "try again later" (temporary service trouble). Everything else in 4xx is a refusal.
const THROTTLED = new Set([4, 80007, 130429, 131056, 613]);
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);

/** Sends through the WhatsApp Cloud API: `POST {graph}/{phone-number-id}/messages`. */
export function createMetaSender(opts: MetaSenderOptions): WhatsAppSender {
  const url = `${opts.graphUrl.replace(/\/$/, '')}/${opts.phoneNumberId}/messages`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    provider: 'meta',
    async send(message) {
      const answer = await callProvider(url, { method: 'POST', token: opts.accessToken, body: toCloudApiBody(message), timeoutMs });
      if (answer.status >= 200 && answer.status < 300) {
        const id = asString(asRecord(asArray(asRecord(answer.json)?.messages)[0])?.id);
        if (!id) throw new ProviderUnavailableError('Graph API answered without a message id');
        return { providerMessageId: id };
      }
      throw metaError(answer);
    },
    async markRead(providerMessageId, { typing = false } = {}) {
      const body = { messaging_product: 'whatsapp', status: 'read', message_id: providerMessageId, ...(typing ? { typing_indicator: { type: 'text' } } : {}) };
      await callProvider(url, { method: 'POST', token: opts.accessToken, body, timeoutMs }).catch(() => undefined); // best effort
    },
  };
}

export function toCloudApiBody(message: OutboundMessage): Record<string, unknown> {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    ...(message.replyToMessageId ? { context: { message_id: message.replyToMessageId } } : {}),
  };
  return { ...base, ...contentBody(fitContent(message.content)) };
}

function contentBody(c: OutboundContent): Record<string, unknown> {
  const header = (h?: string) => (h ? { header: { type: 'text', text: h } } : {});
  const footer = (f?: string) => (f ? { footer: { text: f } } : {});
  switch (c.type) {
    case 'text':
      return { type: 'text', text: { body: c.text, preview_url: c.previewUrl ?? false } };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: { type: 'button', ...header(c.header), body: { text: c.body }, ...footer(c.footer), action: { buttons: c.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } },
      };
    case 'list':
      return { type: 'interactive', interactive: { type: 'list', ...header(c.header), body: { text: c.body }, ...footer(c.footer), action: { button: c.button, sections: c.sections } } };
    case 'template':
      return { type: 'template', template: { name: c.name, language: { code: c.language }, ...(c.components ? { components: c.components } : {}) } };
  }
}

function metaError(answer: HttpAnswer): Error {
  const error = asRecord(asRecord(answer.json)?.error);
  const code = asNumber(error?.code);
  const what = `Graph API ${answer.status}${code !== undefined ? ` (${code})` : ''}: ${asString(error?.message) ?? 'no error message'}`;
  if (answer.status === 429 || (code !== undefined && THROTTLED.has(code))) {
    return new ProviderRateLimitedError(what, answer.retryAfterMs ?? (code === 131056 ? 5000 : 1000));
  }
  if (answer.status >= 500 || (code !== undefined && TRANSIENT.has(code))) return new ProviderUnavailableError(what, answer.status);
  return new ProviderRejectedError(what, answer.status, code);
}
