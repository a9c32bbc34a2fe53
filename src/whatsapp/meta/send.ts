import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { callProvider, type HttpAnswer } from '../http-call.ts';
import { fitContent } from '../limits.ts';
import { isBusinessScopedId } from '../customer-ids.ts';
import { asArray, asNumber, asRecord, asString, phoneDigits } from '../read-json.ts';
import type { WhatsAppSender } from '../sender.ts';
import type { OutboundContent, OutboundMessage } from '../types.ts';

export interface MetaSenderOptions {
  /** e.g. https://graph.facebook.com/v26.0 (./graph-version.ts) */
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
  /** Hard limit on one request, connection included (default 10 s). */
  timeoutMs?: number;
}

// Meta error codes that mean "slow down": throughput (130429), pair rate (131056), app and business
// rate limits (4, 80007, 613). Wait and try again without spending an attempt.
const THROTTLED = new Set([4, 613, 80007, 130429, 131056]);
// Temporary trouble on Meta's side (unknown, service, generic, service unavailable, access paused).
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
const PAIR_RATE_LIMIT = 131056;
/** Meta's code for a message a business-scoped id cannot receive (authentication templates). */
export const BSUID_NOT_SUPPORTED = 131062;

/** Sends through the WhatsApp Cloud API: `POST {graph}/{phone-number-id}/messages`. */
export function createMetaSender(opts: MetaSenderOptions): WhatsAppSender {
  const url = `${opts.graphUrl.replace(/\/+$/, '')}/${encodeURIComponent(opts.phoneNumberId)}/messages`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    provider: 'meta',
    async send(message) {
      const answer = await callProvider(url, { method: 'POST', token: opts.accessToken, body: toCloudApiBody(message), timeoutMs });
      if (answer.status < 200 || answer.status >= 300) throw metaError(answer);
      const id = asString(asRecord(asArray(asRecord(answer.json)?.messages)[0])?.id);
      // A 2xx without an id is not the Graph API talking (a proxy, a captive portal): treat as not sent.
      if (!id) throw new ProviderUnavailableError(`Graph API answered ${answer.status} without a message id`, answer.status);
      return { providerMessageId: id };
    },
    async markRead(providerMessageId, { typing = false } = {}) {
      const body = { messaging_product: 'whatsapp', status: 'read', message_id: providerMessageId, ...(typing ? { typing_indicator: { type: 'text' } } : {}) };
      // Best effort: blue ticks are a courtesy, never a reason to fail or retry the reply.
      await callProvider(url, { method: 'POST', token: opts.accessToken, body, timeoutMs }).catch(() => undefined);
    },
    async showTyping({ providerMessageId }) {
      await this.markRead(providerMessageId, { typing: true });
    },
  };
}

/**
 * The exact Cloud API request body for one message, after fitting its content to WhatsApp's limits.
 * The number goes in `to`; a customer known only by business-scoped id gets it in `recipient`. Never a
 * BSUID in `to`: Meta answers 200 to that and drops the message. Throws ProviderRejectedError (a refusal,
 * recorded with its reason) for a message that has nowhere to go or that a BSUID cannot receive.
 */
export function toCloudApiBody(message: OutboundMessage): Record<string, unknown> {
  const content = fitContent(message.content);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...cloudApiAddress(message, content),
    ...(message.replyToMessageId ? { context: { message_id: message.replyToMessageId } } : {}),
    ...contentBody(content),
  };
}

function cloudApiAddress(message: OutboundMessage, content: OutboundContent): { to: string } | { recipient: string } {
  const phone = message.to !== undefined ? phoneDigits(message.to) : undefined;
  if (phone) return { to: phone };
  // a business-scoped id handed over as `to` still goes where Meta reads it
  const recipient = [message.recipient, message.to].find((v): v is string => v !== undefined && isBusinessScopedId(v));
  if (!recipient) throw new ProviderRejectedError('no phone number or business-scoped user id to send to', 0);
  if (content.type === 'template' && content.category === 'authentication') {
    throw new ProviderRejectedError(
      `authentication template "${content.name}" needs the customer's phone number, and only their business-scoped user id is known; not sent`,
      0,
      BSUID_NOT_SUPPORTED,
    );
  }
  return { recipient };
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

/** Meta's error body is `{error:{message, type, code, error_subcode, fbtrace_id}}`; the code decides, the status backs it up. */
export function metaError(answer: HttpAnswer): Error {
  const error = asRecord(asRecord(answer.json)?.error);
  const code = asNumber(error?.code);
  const trace = asString(error?.fbtrace_id);
  const what = `Graph API ${answer.status}${code !== undefined ? ` code ${code}` : ''}: ${asString(error?.message) ?? 'no error message'}${trace ? ` (fbtrace_id ${trace})` : ''}`;
  if (answer.status === 429 || (code !== undefined && THROTTLED.has(code))) {
    return new ProviderRateLimitedError(what, answer.retryAfterMs ?? (code === PAIR_RATE_LIMIT ? 5000 : 1000));
  }
  if (answer.status >= 500 || answer.status === 408 || (code !== undefined && TRANSIENT.has(code))) return new ProviderUnavailableError(what, answer.status);
  return new ProviderRejectedError(what, answer.status, code);
}
