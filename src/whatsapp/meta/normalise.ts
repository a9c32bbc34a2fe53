import { readDeliveryStatus } from '../delivery-status.ts';
import { readLocationPart } from '../location.ts';
import { asBsuid, asParentBsuid, asUsername, hasPersonId, provisionalKey } from '../customer-ids.ts';
import type { CustomerIds, IdentityChange, InboundKind, InboundMessage, MarketingPreference, MessagePricing, NormalisedDelivery, StatusUpdate } from '../types.ts';
import { asArray, asInt32, asNumber, asRecord, asRecords, asString, compact, dateFromUnixSeconds, phoneDigits, quote, storableCopy, type Json } from '../read-json.ts';

// Meta's WhatsApp Cloud API webhook → our shapes. Every level (entry, change, message, status) may hold
// several items and all are walked. Never throws: whatever it cannot use is listed in `skipped` with why,
// because a throw here is a non-200 and Meta would retry the whole delivery for days.

type Skip = { reason: string };
type Content = { kind: InboundKind; text?: string; replyId?: string; contextMessageId?: string; details: Json };
type ContentReader = (part: Json | undefined, message: Json) => Content;


export function normaliseMetaWebhook(body: unknown): NormalisedDelivery {
  const out: NormalisedDelivery = { messages: [], statuses: [], presences: [], preferences: [], skipped: [] };
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
  if (change?.field === 'user_preferences' && value) return readPreferences(value, out);
  if (change?.field !== 'messages' || !value) {
    out.skipped.push({ reason: change?.field === 'messages' ? 'messages change without a value' : `change field ${quote(change?.field)} is not "messages"` });
    return;
  }
  const contacts = asRecords(value.contacts);
  const messages = asArray(value.messages);
  const statuses = asArray(value.statuses);
  // Change-level errors (Meta could not deliver something to us) carry no message to answer.
  const errors = asRecords(value.errors);
  for (const m of messages) {
    const message = readMessage(asRecord(m), contacts);
    keepOrSkip(message, out.messages, out.skipped);
    // an older form of user_preferences: a system message on the messages field
    if (!('reason' in message)) {
      const preference = preferenceChangedMessage(asRecord(m)!, message);
      if (preference) out.preferences.push(preference);
    }
  }
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
  // From 2026 a customer may come with only a business-scoped id (`from_user_id`), and a username.
  const contact = senderContact(m, contacts);
  const sender = senderIds(m, contact?.matched ? contact.contact : undefined);
  const chatId = provisionalKey(sender);
  if (!chatId || !hasPersonId(sender)) return { reason: 'message without a sender (from, from_user_id)' };
  const type = asString(m.type) ?? 'unsupported';
  const content = (READERS.get(type) ?? readUnsupported)(asRecord(m[type]), m);
  const message: InboundMessage = {
    provider: 'meta',
    providerMessageId: id,
    chatId,
    sender,
    identityChange: type === 'system' ? identityChange(asRecord(m.system)) : undefined,
    customerName: asString(asRecord(contact?.contact.profile)?.name),
    sentAt: dateFromUnixSeconds(m.timestamp),
    kind: content.kind,
    text: content.text,
    replyId: content.replyId,
    contextMessageId: asString(asRecord(m.context)?.id) ?? content.contextMessageId,
    details: compact(content.details),
  };
  return storableCopy(compact(message));
}

/** Every id the message and its contact name the sender by; the message's own fields first. */
function senderIds(m: Json, contact: Json | undefined): CustomerIds {
  const system = asRecord(m.system);
  return compact({
    phone: phoneDigits(m.from) ?? phoneDigits(contact?.wa_id),
    // a BSUID change may name the old id only in the system part
    bsuid: asBsuid(m.from_user_id) ?? asBsuid(contact?.user_id) ?? asBsuid(system?.previous_user_id),
    parentBsuid: asParentBsuid(m.from_parent_user_id) ?? asParentBsuid(contact?.parent_user_id),
    username: asUsername(asRecord(contact?.profile)?.username),
  });
}

/**
 * `user_changed_number`: `from` is the old number, `system.wa_id` the new one (older payloads: `new_wa_id`),
 * and a new BSUID may ride along. `user_changed_user_id`: `system.user_id` is the new BSUID, with no number.
 */
function identityChange(system: Json | undefined): IdentityChange | undefined {
  const type = asString(system?.type);
  if (type !== 'user_changed_number' && type !== 'user_changed_user_id') return undefined;
  const change: IdentityChange = compact({
    type,
    phone: type === 'user_changed_number' ? (phoneDigits(system?.wa_id) ?? phoneDigits(system?.new_wa_id)) : undefined,
    bsuid: asBsuid(system?.user_id) ?? asBsuid(system?.new_user_id),
    parentBsuid: asParentBsuid(system?.parent_user_id),
  });
  return change.phone || change.bsuid || change.parentBsuid ? change : undefined;
}

/**
 * The change's contacts name the senders of its messages, matched by number or business-scoped id. A lone
 * contact that matches neither can only be the sender, for the name; its ids are not taken (a system
 * message has no contact of its own, and must not get another sender's number). With several and no
 * match we leave it out rather than greet one customer by another's name.
 */
function senderContact(m: Json, contacts: Json[]): { contact: Json; matched: boolean } | undefined {
  const phone = phoneDigits(m.from);
  const userId = asString(m.from_user_id);
  const matched = (phone ? contacts.find((c) => phoneDigits(c.wa_id) === phone) : undefined) ??
    (userId ? contacts.find((c) => asString(c.user_id) === userId) : undefined);
  if (matched) return { contact: matched, matched: true };
  return contacts.length === 1 && asString(m.type) !== 'system' ? { contact: contacts[0], matched: false } : undefined;
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
    details: { system: compact({ body: asString(part?.body), waId: asString(part?.wa_id) ?? asString(part?.new_wa_id), userId: asString(part?.user_id), type: asString(part?.type) }) },
  })],
]);

function readStatus(s: Json | undefined): StatusUpdate | Skip {
  const update = readDeliveryStatus('meta', s, {
    // a message sent to a business-scoped id may come back without recipient_id
    recipient: (x) => asString(x.recipient_id) ?? asString(x.recipient_user_id),
    errorTitle: (error) => asString(error?.title) ?? asString(error?.message),
  });
  if ('reason' in update || !s) return update;
  return storableCopy(compact({
    ...update,
    recipientPhone: phoneDigits(s.recipient_id),
    recipientUserId: asBsuid(s.recipient_user_id),
    recipientParentUserId: asParentBsuid(s.recipient_parent_user_id),
    pricing: readPricing(asRecord(s.pricing)),
  }));
}

/** `pricing{billable, pricing_model, category, type}`; `billable` is deprecated under per-message pricing, where `type` says it. */
function readPricing(p: Json | undefined): MessagePricing | undefined {
  const category = asString(p?.category)?.toLowerCase();
  if (!p || !category || !/^[a-z_]{1,40}$/.test(category)) return undefined;
  const type = asString(p.type);
  const billable = typeof p.billable === 'boolean' ? p.billable : type !== undefined ? type === 'regular' : true;
  return compact({ category, billable, model: asString(p.pricing_model), type });
}

function preferenceChangedMessage(m: Json, message: InboundMessage): MarketingPreference | undefined {
  const system = asRecord(m.system);
  const choice = asString(system?.marketing);
  if (asString(system?.type) !== 'user_preference_changed' || (choice !== 'stop' && choice !== 'resume') || !message.sender) return undefined;
  const preference: MarketingPreference = { provider: 'meta', sender: message.sender, choice, at: message.sentAt, detail: asString(system?.body) };
  return compact(preference);
}

/** `user_preferences`: the customer stopped or resumed marketing messages in WhatsApp's settings. */
function readPreferences(value: Json, out: NormalisedDelivery): void {
  const contacts = asRecords(value.contacts);
  const items = asArray(value.user_preferences);
  if (!items.length) out.skipped.push({ reason: 'user_preferences change without preferences' });
  for (const item of items) keepOrSkip(readPreference(asRecord(item), contacts), out.preferences, out.skipped);
}

function readPreference(p: Json | undefined, contacts: Json[]): MarketingPreference | Skip {
  if (!p) return { reason: 'user preference is not an object' };
  const category = asString(p.category);
  const choice = asString(p.value);
  if (category !== 'marketing_messages') return { reason: `user preference category ${quote(category)} is not marketing_messages` };
  if (choice !== 'stop' && choice !== 'resume') return { reason: `user preference value ${quote(choice)} is not stop or resume` };
  const phone = phoneDigits(p.wa_id);
  const bsuid = asBsuid(p.user_id);
  const contact = contacts.find((c) => (phone && phoneDigits(c.wa_id) === phone) || (bsuid && asString(c.user_id) === bsuid)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const sender: CustomerIds = compact({
    phone: phone ?? phoneDigits(contact?.wa_id),
    bsuid: bsuid ?? asBsuid(contact?.user_id),
    parentBsuid: asParentBsuid(p.parent_user_id) ?? asParentBsuid(contact?.parent_user_id),
    username: asUsername(asRecord(contact?.profile)?.username),
  });
  if (!hasPersonId(sender)) return { reason: 'user preference without a customer (wa_id, user_id)' };
  const preference: MarketingPreference = { provider: 'meta', sender, choice, at: dateFromUnixSeconds(p.timestamp), detail: asString(p.detail) };
  return storableCopy(compact(preference));
}
