import { readDeliveryStatus } from '../delivery-status.ts';
import { readLocationPart } from '../location.ts';
import type { InboundKind, InboundMessage, NormalisedDelivery, StatusUpdate } from '../types.ts';
import { asArray, asInt32, asNumber, asRecord, asRecords, asString, compact, dateFromUnixSeconds, phoneDigits, quote, storableCopy, type Json } from '../read-json.ts';

// Meta's WhatsApp Cloud API webhook → our shapes. Every level (entry, change, message, status) may hold
// several items and all are walked. Never throws: whatever it cannot use is listed in `skipped` with why,
// because a throw here is a non-200 and Meta would retry the whole delivery for days.

type Skip = { reason: string };
type Content = { kind: InboundKind; text?: string; replyId?: string; contextMessageId?: string; details: Json };
type ContentReader = (part: Json | undefined, message: Json) => Content;


export function normaliseMetaWebhook(body: unknown): NormalisedDelivery {
  const out: NormalisedDelivery = { messages: [], statuses: [], presences: [], skipped: [] };
  const root = asRecord(body);
  if (root?.object !== 'whatsapp_business_account') {
    out.skipped.push({ reason: `object ${quote(root?.object)} is not whatsapp_business_account` });
    return out;
  }
  const entries = asArray(root.entry);
  if (!entries.length) out.skipped.push({ reason: 'delivery without entries' });
  for (const entry of entries) {
    const changes = asArray(asRecord(entry)?.changes);
    if (!changes.length) out.skipped.push({ reason: 'entry without changes' });
    for (const change of changes) readChange(asRecord(change), out);
  }
  return out;
}

function readChange(change: Json | undefined, out: NormalisedDelivery): void {
  const value = asRecord(change?.value);
  if (change?.field !== 'messages' || !value) {
    out.skipped.push({ reason: change?.field === 'messages' ? 'messages change without a value' : `change field ${quote(change?.field)} is not "messages"` });
    return;
  }
  const contacts = asRecords(value.contacts);
  const messages = asArray(value.messages);
  const statuses = asArray(value.statuses);
  // Change-level errors (Meta could not deliver something to us) carry no message to answer.
  const errors = asRecords(value.errors);
  for (const m of messages) keepOrSkip(readMessage(asRecord(m), contacts), out.messages, out.skipped);
  for (const s of statuses) keepOrSkip(readStatus(asRecord(s)), out.statuses, out.skipped);
  for (const e of errors) out.skipped.push({ reason: `change error ${asInt32(e.code) ?? '?'}: ${quote(asString(e.title))}` });
  if (!messages.length && !statuses.length && !errors.length) out.skipped.push({ reason: 'messages change with neither messages nor statuses' });
}

function keepOrSkip<T extends object>(item: T | Skip, kept: T[], skipped: Skip[]): void {
  if ('reason' in item) skipped.push(item);
  else kept.push(item);
}

function readMessage(m: Json | undefined, contacts: Json[]): InboundMessage | Skip {
  if (!m) return { reason: 'message is not an object' };
  const id = asString(m.id);
  if (!id) return { reason: 'message without id' };
  const chatId = phoneDigits(m.from);
  if (!chatId) {
    // From mid-2026 a customer with a WhatsApp username may come with only a business-scoped id.
    return { reason: m.from === undefined && m.from_user_id !== undefined ? 'message from a username-only sender (from_user_id, no number)' : 'message without a sender number (from)' };
  }
  const type = asString(m.type) ?? 'unsupported';
  const content = (READERS.get(type) ?? readUnsupported)(asRecord(m[type]), m);
  const message: InboundMessage = {
    provider: 'meta',
    providerMessageId: id,
    chatId,
    customerName: asString(asRecord(senderContact(m, chatId, contacts)?.profile)?.name),
    sentAt: dateFromUnixSeconds(m.timestamp),
    kind: content.kind,
    text: content.text,
    replyId: content.replyId,
    contextMessageId: asString(asRecord(m.context)?.id) ?? content.contextMessageId,
    details: compact(content.details),
  };
  return storableCopy(compact(message));
}

/**
 * The change's contacts name the senders of its messages. Matched by number (or business-scoped id);
 * a lone contact can only be the sender. With several and no match we leave the name out rather than
 * greet one customer by another's name.
 */
function senderContact(m: Json, chatId: string, contacts: Json[]): Json | undefined {
  const userId = asString(m.from_user_id);
  return (
    contacts.find((c) => phoneDigits(c.wa_id) === chatId) ??
    (userId ? contacts.find((c) => asString(c.user_id) === userId) : undefined) ??
    (contacts.length === 1 ? contacts[0] : undefined)
  );
}

const readMedia = (kind: InboundKind): ContentReader => (part) => {
  const media = compact({
    id: asString(part?.id),
    mimeType: asString(part?.mime_type),
    sha256: asString(part?.sha256),
    caption: asString(part?.caption),
    filename: asString(part?.filename),
    voice: typeof part?.voice === 'boolean' ? part.voice : undefined,
    animated: typeof part?.animated === 'boolean' ? part.animated : undefined,
  });
  return { kind, text: media.caption, details: { media } };
};

const readInteractive: ContentReader = (part) => {
  const interactiveType = asString(part?.type);
  const reply = interactiveType === 'button_reply' || interactiveType === 'list_reply' ? asRecord(part?.[interactiveType]) : undefined;
  // Other interactive replies (flows' nfm_reply…) answer nothing this bot sends.
  if (!reply) return { kind: 'unsupported', details: compact({ type: 'interactive', interactiveType }) };
  return {
    kind: 'interactive',
    replyId: asString(reply.id),
    text: asString(reply.title),
    details: compact({ interactiveType, description: asString(reply.description) }),
  };
};

const readLocation: ContentReader = (part) => readLocationPart(part);

const readOrder: ContentReader = (part) => {
  const items = asRecords(part?.product_items).map((i) =>
    compact({ sku: asString(i.product_retailer_id), quantity: asNumber(i.quantity), itemPrice: asNumber(i.item_price), currency: asString(i.currency) }),
  );
  const text = asString(part?.text);
  return { kind: 'order', text, details: { order: compact({ catalogId: asString(part?.catalog_id), text, items }) } };
};

const readUnsupported: ContentReader = (_part, m) => ({
  kind: 'unsupported',
  details: compact({ type: asString(m.type), errors: Array.isArray(m.errors) ? m.errors : undefined }),
});

const READERS = new Map<string, ContentReader>([
  ['text', (part) => ({ kind: 'text', text: asString(part?.body), details: {} })],
  ['interactive', readInteractive],
  // a template's quick-reply button: the payload is ours, the text is what the customer saw
  ['button', (part) => ({ kind: 'button', replyId: asString(part?.payload), text: asString(part?.text), details: {} })],
  ['image', readMedia('image')],
  ['video', readMedia('video')],
  ['audio', readMedia('audio')],
  ['document', readMedia('document')],
  ['sticker', readMedia('sticker')],
  ['location', readLocation],
  ['contacts', (_part, m) => ({ kind: 'contacts', details: { contacts: asArray(m.contacts) } })],
  // no emoji means the customer took the reaction back
  ['reaction', (part) => {
    const messageId = asString(part?.message_id);
    return { kind: 'reaction', contextMessageId: messageId, details: { reaction: compact({ messageId, emoji: asString(part?.emoji) }) } };
  }],
  ['order', readOrder],
  ['system', (part) => ({
    kind: 'system',
    details: { system: compact({ body: asString(part?.body), waId: asString(part?.wa_id) ?? asString(part?.new_wa_id), type: asString(part?.type) }) },
  })],
]);

function readStatus(s: Json | undefined): StatusUpdate | Skip {
  return readDeliveryStatus('meta', s, {
    recipient: (x) => asString(x.recipient_id),
    errorTitle: (error) => asString(error?.title) ?? asString(error?.message),
  });
}
