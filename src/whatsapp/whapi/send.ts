import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { callProvider, type HttpAnswer } from '../http-call.ts';
import { fitContent, renderAsText } from '../limits.ts';
import { asNumber, asRecord, asString } from '../read-json.ts';
import type { WhatsAppSender } from '../sender.ts';
import type { OutboundContent, OutboundMessage } from '../types.ts';

export interface WhapiSenderOptions {
  /** e.g. https://gate.whapi.cloud */
  apiUrl: string;
  token: string;
  /** Hard limit on one request, connection included (default 10 s). */
  timeoutMs?: number;
  /**
   * Send buttons and lists as Whapi interactive messages (default true). Whapi warns that WhatsApp
   * may show them as plain text or not at all on some clients; false sends the numbered-text form.
   */
  interactive?: boolean;
}

export interface WhapiRequest {
  path: '/messages/text' | '/messages/interactive';
  body: Record<string, unknown>;
}

/** Sends through Whapi.cloud: `POST {api}/messages/text` and `POST {api}/messages/interactive`. */
export function createWhapiSender(opts: WhapiSenderOptions): WhatsAppSender {
  const api = opts.apiUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const interactive = opts.interactive ?? true;
  return {
    provider: 'whapi',
    async send(message) {
      const request = toWhapiRequest(message, { interactive });
      const answer = await callProvider(api + request.path, { method: 'POST', token: opts.token, body: request.body, timeoutMs });
      if (answer.status < 200 || answer.status >= 300) throw whapiError(answer);
      const json = asRecord(answer.json);
      // `sent:false` means Whapi took the request but WhatsApp did not take the message: not sent, try again.
      if (json?.sent === false) throw new ProviderUnavailableError(`Whapi answered ${answer.status} with sent:false`, answer.status);
      const id = asString(asRecord(json?.message)?.id);
      if (!id) throw new ProviderUnavailableError(`Whapi answered ${answer.status} without a message id`, answer.status);
      return { providerMessageId: id };
    },
    // Whapi shows "typing…" per chat (PUT /presences/{chat}), not per message, so `typing` is not used here.
    async markRead(providerMessageId) {
      // Best effort: blue ticks are a courtesy, never a reason to fail or retry the reply.
      await callProvider(`${api}/messages/${encodeURIComponent(providerMessageId)}`, { method: 'PUT', token: opts.token, timeoutMs }).catch(() => undefined);
    },
    async showTyping({ providerMessageId, providerChatId }) {
      await Promise.all([
        this.markRead(providerMessageId),
        callProvider(`${api}/presences/${encodeURIComponent(providerChatId)}`, { method: 'PUT', token: opts.token, body: { presence: 'typing' }, timeoutMs }).catch(() => undefined),
      ]);
    },
  };
}

/**
 * The Whapi request for one message, after fitting its content to WhatsApp's limits. The interactive
 * shape (`type`, `body{text}`, `action.buttons[{type:"quick_reply", id, title}]`,
 * `action.list{label, sections}`) is Whapi's own, from its OpenAPI description, not Meta's.
 */
export function toWhapiRequest(message: OutboundMessage, opts: { interactive?: boolean } = {}): WhapiRequest {
  const to = message.providerChatId ?? message.to;
  // Whapi knows chats by number or linked id; a customer known only by a Meta business-scoped id is not one of its chats
  if (!to) throw new ProviderRejectedError('no Whapi chat to send to', 0);
  const base = {
    to,
    ...(message.replyToMessageId ? { quoted: message.replyToMessageId } : {}),
  };
  const content = fitContent(message.content);
  if (content.type === 'template') {
    // Templates are a Cloud API concept: their words live at Meta, so there is nothing to send here.
    throw new ProviderRejectedError(`Whapi cannot send Meta template "${content.name}"`, 0);
  }
  if (content.type === 'text' || opts.interactive === false) {
    const text = content.type === 'text' ? content.text : renderAsText(content);
    const noPreview = content.type === 'text' && content.previewUrl === false ? { no_link_preview: true } : {};
    return { path: '/messages/text', body: { ...base, body: text, ...noPreview } };
  }
  return { path: '/messages/interactive', body: { ...base, ...interactiveBody(content) } };
}

function interactiveBody(c: Extract<OutboundContent, { type: 'buttons' | 'list' }>): Record<string, unknown> {
  const frame = {
    ...(c.header ? { header: { text: c.header } } : {}),
    body: { text: c.body },
    ...(c.footer ? { footer: { text: c.footer } } : {}),
  };
  if (c.type === 'buttons') {
    return { type: 'button', ...frame, action: { buttons: c.buttons.map((b) => ({ type: 'quick_reply', id: b.id, title: b.title })) } };
  }
  return { type: 'list', ...frame, action: { list: { label: c.button, sections: c.sections } } };
}

/** Whapi says what went wrong by HTTP status; its body (`{error:{code, message}}`) only explains. */
export function whapiError(answer: HttpAnswer): Error {
  const error = asRecord(asRecord(answer.json)?.error);
  const detail = asString(error?.message) ?? (typeof answer.json === 'string' ? answer.json.slice(0, 200) : undefined) ?? 'no error message';
  const what = `Whapi ${answer.status}: ${detail}`;
  if (answer.status === 429) return new ProviderRateLimitedError(what, answer.retryAfterMs ?? 1000);
  if (answer.status >= 500 || answer.status === 408) return new ProviderUnavailableError(what, answer.status);
  return new ProviderRejectedError(what, answer.status, asNumber(error?.code));
}
