import { readDeliveryStatus } from '../delivery-status.ts';
import { readLocationPart } from '../location.ts';
import { asLid } from '../customer-ids.ts';
import type { CustomerIds, InboundKind, InboundMessage, NormalisedDelivery, PresenceUpdate, StatusUpdate } from '../types.ts';
import { asArray, asNumber, asRecord, asRecords, asString, compact, dateFromUnixSeconds, phoneDigits, quote, storableCopy, type Json } from '../read-json.ts';

// Whapi.cloud's webhook → our shapes. Only one-to-one chats with people are for us: the bot's own
// messages (`from_me`; answering them would loop), groups, channels and broadcasts are skipped.
// Never throws: whatever it cannot use is listed in `skipped` with why.

type Skip = { reason: string };
type Content = { kind: InboundKind; text?: string; replyId?: string; contextMessageId?: string; details: Json };
type ContentReader = (part: Json | undefined, message: Json, type: string) => Content;


export function normaliseWhapiWebhook(body: unknown): NormalisedDelivery {
  const out: NormalisedDelivery = { messages: [], statuses: [], presences: [], preferences: [], skipped: [] };
  const root = asRecord(body);
  if (!root) {
    out.skipped.push({ reason: 'delivery is not a JSON object' });
    return out;
  }
  const messages = asArray(root.messages);
  const statuses = asArray(root.statuses);
  const presences = asArray(root.presences);
  for (const m of messages) keepOrSkip(readMessage(asRecord(m)), out.messages, out.skipped);
  for (const s of statuses) keepOrSkip(readStatus(asRecord(s)), out.statuses, out.skipped);
  for (const p of presences) keepOrSkip(readPresence(asRecord(p)), out.presences, out.skipped);
  if (!messages.length && !statuses.length && !presences.length) {
    // chats, contacts, groups, message edits (messages_updates)…: subscribed to or not, nothing for us
    const event = asRecord(root.event);
    const name = `${asString(event?.type) ?? '?'}.${asString(event?.event) ?? asString(event?.method) ?? '?'}`.slice(0, 60);
    out.skipped.push({ reason: `event ${name} carries no messages, statuses or presences` });
  }
  return out;
}

function keepOrSkip<T extends object>(item: T | Skip, kept: T[], skipped: Skip[]): void {
  if ('reason' in item) skipped.push(item);
  else kept.push(item);
}

/** Why a chat address is not a one-to-one chat with a person, or undefined when it is. */
function notAPerson(chatAddress: string): string | undefined {
  const domain = chatAddress.includes('@') ? chatAddress.slice(chatAddress.indexOf('@') + 1) : '';
  if (domain === 'g.us') return 'group chat (@g.us)';
  if (domain === 'newsletter') return 'channel (@newsletter)';
  if (domain === 'broadcast') return 'broadcast or status (@broadcast)';
  return undefined;
}

function readMessage(m: Json | undefined): InboundMessage | Skip {
  if (!m) return { reason: 'message is not an object' };
  if (m.from_me === true || m.from_me === 'true') return { reason: 'from_me' };
  const id = asString(m.id);
  const providerChatId = asString(m.chat_id);
  if (!id || !providerChatId) return { reason: 'message without id or chat_id' };
  const notPerson = notAPerson(providerChatId);
  if (notPerson) return { reason: notPerson };
  const sender = chatSender(providerChatId, m.from);
  const chatId = sender.phone ?? sender.lid;
  if (!chatId) return { reason: `chat_id ${quote(providerChatId)} is neither a phone number nor a linked id (@lid)` };
  const type = asString(m.type) ?? 'unknown';
  // WhatsApp's own notices arrive with from_me false and no content; answering them repeats the menu.
  const reader = m.source === 'system' && type !== 'action' ? readSystem : (READERS.get(type) ?? readUnsupported);
  const content = reader(asRecord(m[type]), m, type);
  const message: InboundMessage = {
    provider: 'whapi',
    providerMessageId: id,
    chatId,
    sender,
    providerChatId,
    customerName: asString(m.from_name),
    sentAt: dateFromUnixSeconds(m.timestamp),
    kind: content.kind,
    text: content.text,
    replyId: content.replyId,
    contextMessageId: asString(asRecord(m.context)?.quoted_id) ?? content.contextMessageId,
    details: compact(content.details),
  };
  return storableCopy(compact(message));
}

/**
 * A chat addressed by linked id (@lid) hides the number; the sender's `from` may still carry one, or only
 * the linked id's digits again (which are not a number). Replies go to providerChatId, so the @lid
 * address keeps working for sending; intake ties the linked id and the number (when known) to one customer.
 */
function chatSender(providerChatId: string, from: unknown): CustomerIds {
  const lid = asLid(providerChatId);
  if (!lid) return compact({ phone: phoneDigits(providerChatId) });
  const phone = phoneDigits(from);
  return compact({ lid, phone: phone && phone !== lid.slice(0, lid.indexOf('@')) ? phone : undefined });
}

/**
 * Whapi hands back the id we gave a button or row prefixed by how it was drawn ("ButtonsV3:", "ListV3:").
 * The same menu switches between the two with its size, so the prefix is dropped to give back our id.
 */
const REPLY_ID_PREFIX = /^(ButtonsV3|ListV3):/;

const readReply: ContentReader = (part, m, type) => {
  const interactiveType = asString(part?.type);
  const choice = interactiveType === 'buttons_reply' || interactiveType === 'list_reply' ? asRecord(part?.[interactiveType]) : undefined;
  if (!choice) return readUnsupported(part, m, type);
  const rawId = asString(choice.id);
  const replyId = rawId?.replace(REPLY_ID_PREFIX, '') || undefined;
  return {
    kind: 'interactive',
    replyId,
    text: asString(choice.title),
    details: compact({ interactiveType, description: asString(choice.description), rawReplyId: rawId !== replyId ? rawId : undefined }),
  };
};

const readMedia = (kind: InboundKind): ContentReader => (part, _m, type) => {
  const media = compact({
    id: asString(part?.id),
    link: asString(part?.link),
    mimeType: asString(part?.mime_type),
    sha256: asString(part?.sha256),
    caption: asString(part?.caption),
    filename: asString(part?.file_name),
    voice: type === 'voice' ? true : type === 'audio' ? false : undefined,
    seconds: asNumber(part?.seconds),
    animated: typeof part?.animated === 'boolean' ? part.animated : undefined,
  });
  return { kind, text: media.caption, details: { media } };
};

const readLocation: ContentReader = (part) => readLocationPart(part);

const contactCard = (c: Json) => compact({ name: asString(c.name), vcard: asString(c.vcard) });

/** Reactions are actions too; other actions (edit, delete, poll vote…) change an earlier message, not a new question. */
const readAction: ContentReader = (part) => {
  const actionType = asString(part?.type);
  const target = asString(part?.target);
  if (actionType === 'reaction') {
    // an empty emoji means the customer took the reaction back
    return { kind: 'reaction', contextMessageId: target, details: { reaction: compact({ messageId: target, emoji: asString(part?.emoji) }) } };
  }
  const edited = asString(asRecord(part?.edited_content)?.body);
  return { kind: 'system', contextMessageId: target, details: { system: compact({ type: actionType ?? 'action', target, body: edited }) } };
};

const readOrder: ContentReader = (part) => {
  const text = asString(part?.text);
  // Whapi's order carries totals, not lines: the items are fetched with order_id and token when needed.
  const order = compact({
    orderId: asString(part?.order_id),
    token: asString(part?.token),
    title: asString(part?.title),
    text,
    itemCount: asNumber(part?.item_count),
    totalPrice: asNumber(part?.total_price),
    currency: asString(part?.currency),
    items: [],
  });
  return { kind: 'order', text, details: { order } };
};

const readSystem: ContentReader = (part, m) => ({
  kind: 'system',
  details: { system: compact({ type: asString(m.type), subtype: asString(m.subtype), body: asString(part?.body) }) },
});

const readUnsupported: ContentReader = (_part, _m, type) => ({ kind: 'unsupported', details: { type } });

const READERS = new Map<string, ContentReader>([
  ['text', (part) => ({ kind: 'text', text: asString(part?.body), details: {} })],
  // a text with a URL in it comes as a link preview; the words are still in body
  ['link_preview', (part) => ({ kind: 'text', text: asString(part?.body), details: compact({ url: asString(part?.url) }) })],
  ['reply', readReply],
  ['image', readMedia('image')],
  ['video', readMedia('video')],
  ['gif', readMedia('video')],
  ['short', readMedia('video')],
  ['document', readMedia('document')],
  ['documentWithCaption', (part, m) => readMedia('document')(part ?? asRecord(m.document), m, 'document')],
  ['sticker', readMedia('sticker')],
  ['audio', readMedia('audio')],
  ['voice', readMedia('audio')],
  ['location', readLocation],
  ['live_location', readLocation],
  ['contact', (part) => ({ kind: 'contacts', details: { contacts: part ? [contactCard(part)] : [] } })],
  ['contact_list', (part) => ({ kind: 'contacts', details: { contacts: asRecords(part?.list).map(contactCard) } })],
  ['action', readAction],
  ['order', readOrder],
  ['system', readSystem],
  ['unknown', readSystem],
]);

function readStatus(s: Json | undefined): StatusUpdate | Skip {
  // `code` is Whapi's number for the status itself, not an error: errors come in errors[].
  return readDeliveryStatus('whapi', s, {
    recipient: (x) => phoneDigits(x.recipient_id) ?? asString(x.recipient_id),
    errorTitle: (error) => asString(error?.message) ?? asString(error?.details),
  });
}

function readPresence(p: Json | undefined): PresenceUpdate | Skip {
  const contactId = asString(p?.contact_id);
  const status = asString(p?.status);
  if (!contactId || !status) return { reason: 'presence without contact_id or status' };
  const chatId = phoneDigits(contactId) ?? asLid(contactId);
  if (!chatId) return { reason: notAPerson(contactId) ?? `presence of ${quote(contactId)}, not a phone number` };
  return storableCopy({ chatId, status });
}
