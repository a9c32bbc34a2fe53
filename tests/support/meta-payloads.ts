// Webhook bodies exactly as Meta's WhatsApp Cloud API sends them, for tests to build on.
// Messages are built one at a time, then wrapped: metaEnvelope for the common one-entry, one-change
// delivery; metaValue / metaChange / metaEntry / metaBody for deliveries with several of each.

export const PHONE_NUMBER_ID_IN_PAYLOADS = '1098765432';
export const WABA_ID_IN_PAYLOADS = '102290129340398';
const now = () => String(Math.floor(Date.now() / 1000));

export interface MetaMessage {
  /** Absent in 2026 for a customer whose number Meta does not share (see metaMessage2026). */
  from?: string;
  id: string;
  timestamp: string;
  type: string;
  [part: string]: unknown;
}

type Base = { from: string; id: string; timestamp?: string; context?: { from: string; id: string } };
const base = (o: Base, type: string, part: Record<string, unknown>): MetaMessage => ({
  ...(o.context ? { context: o.context } : {}),
  from: o.from,
  id: o.id,
  timestamp: o.timestamp ?? now(),
  type,
  ...part,
});

export function metaTextMessage(o: Base & { body: string; name?: string }): MetaMessage & { _name?: string } {
  return { ...base(o, 'text', { text: { body: o.body } }), ...(o.name ? { _name: o.name } : {}) };
}

export function metaMessage(o: { from: string; id: string; type: string; timestamp?: string; [k: string]: unknown }): MetaMessage {
  return { timestamp: now(), ...o } as MetaMessage;
}

/** A tap on one of our reply buttons; Meta quotes the message that carried the buttons in `context`. */
export function metaButtonReply(o: Base & { replyId: string; title: string }): MetaMessage {
  return base(o, 'interactive', { interactive: { type: 'button_reply', button_reply: { id: o.replyId, title: o.title } } });
}

export function metaListReply(o: Base & { replyId: string; title: string; description?: string }): MetaMessage {
  const row = { id: o.replyId, title: o.title, ...(o.description ? { description: o.description } : {}) };
  return base(o, 'interactive', { interactive: { type: 'list_reply', list_reply: row } });
}

/** A template's quick-reply button. */
export function metaTemplateButton(o: Base & { payload: string; text: string }): MetaMessage {
  return base(o, 'button', { button: { payload: o.payload, text: o.text } });
}

export function metaMedia(o: Base & { type: 'image' | 'video' | 'audio' | 'document' | 'sticker'; mediaId: string; mimeType: string; caption?: string; filename?: string; voice?: boolean; animated?: boolean }): MetaMessage {
  const part: Record<string, unknown> = { mime_type: o.mimeType, sha256: 'Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=', id: o.mediaId };
  if (o.caption !== undefined) part.caption = o.caption;
  if (o.filename !== undefined) part.filename = o.filename;
  if (o.voice !== undefined) part.voice = o.voice;
  if (o.animated !== undefined) part.animated = o.animated;
  return base(o, o.type, { [o.type]: part });
}

export function metaLocation(o: Base & { latitude: number; longitude: number; name?: string; address?: string }): MetaMessage {
  const location = { latitude: o.latitude, longitude: o.longitude, ...(o.name ? { name: o.name } : {}), ...(o.address ? { address: o.address } : {}) };
  return base(o, 'location', { location });
}

/** A shared contact card, as Meta spells one out. */
export function metaContactCard(name: string, phone: string) {
  const [first, ...rest] = name.split(' ');
  return {
    name: { formatted_name: name, first_name: first, ...(rest.length ? { last_name: rest.join(' ') } : {}) },
    phones: [{ phone: `+${phone}`, wa_id: phone, type: 'CELL' }],
  };
}

export function metaContactsMessage(o: Base & { contacts: unknown[] }): MetaMessage {
  return base(o, 'contacts', { contacts: o.contacts });
}

/** Leave `emoji` out for a reaction the customer took back. */
export function metaReaction(o: Base & { messageId: string; emoji?: string }): MetaMessage {
  return base(o, 'reaction', { reaction: { message_id: o.messageId, ...(o.emoji !== undefined ? { emoji: o.emoji } : {}) } });
}

export function metaOrder(o: Base & { catalogId: string; text?: string; items: { sku: string; quantity: number; price: number; currency: string }[] }): MetaMessage {
  const product_items = o.items.map((i) => ({ product_retailer_id: i.sku, quantity: i.quantity, item_price: i.price, currency: i.currency }));
  return base(o, 'order', { order: { catalog_id: o.catalogId, ...(o.text !== undefined ? { text: o.text } : {}), product_items } });
}

/** The customer changed number: `from` is the old number, `wa_id` the new one. Such changes carry no contacts. */
export function metaSystemNumberChange(o: Base & { newNumber: string; name: string }): MetaMessage {
  return base(o, 'system', { system: { body: `User ${o.name} changed from ${o.from} to ${o.newNumber}`, wa_id: o.newNumber, type: 'user_changed_number' } });
}

/** What Meta sends for a message type the Cloud API cannot pass on (polls, view-once…). */
export function metaUnsupported(o: Base): MetaMessage {
  return base(o, 'unsupported', {
    errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }],
  });
}

export function metaStatus(o: { id: string; status: string; recipient: string; timestamp?: string; errors?: { code: number; title: string }[] }) {
  return {
    id: o.id,
    status: o.status,
    timestamp: o.timestamp ?? now(),
    recipient_id: o.recipient,
    ...(o.status === 'sent' || o.status === 'delivered' ? { conversation: { id: 'CONV1', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } } : {}),
    ...(o.errors ? { errors: o.errors.map((e) => ({ ...e, message: e.title, error_data: { details: e.title } })) } : {}),
  };
}

export const metaContact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });

/** The contacts Meta lists for a set of messages: one per sender, none for system messages. */
function contactsFor(messages: (MetaMessage & { _name?: string })[]) {
  return [...new Map(messages.filter((m) => m.type !== 'system' && m.from).map((m) => [m.from, metaContact(m.from!, m._name ?? 'Cliente')])).values()];
}

/** One change's value. Contacts default to one per sender (a name may ride on a text message's `_name`). */
export function metaValue(messages: (MetaMessage & { _name?: string })[], opts: { statuses?: unknown[]; contacts?: unknown[] } = {}) {
  const contacts = opts.contacts ?? contactsFor(messages);
  const clean = messages.map(({ _name, ...m }) => m);
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '573000000000', phone_number_id: PHONE_NUMBER_ID_IN_PAYLOADS },
    ...(contacts.length ? { contacts } : {}),
    ...(clean.length ? { messages: clean } : {}),
    ...(opts.statuses?.length ? { statuses: opts.statuses } : {}),
  };
}

export const metaChange = <V>(value: V, field = 'messages') => ({ value, field });
export const metaEntry = <C>(changes: C[], id = WABA_ID_IN_PAYLOADS) => ({ id, changes });
export const metaBody = <E>(entries: E[]) => ({ object: 'whatsapp_business_account', entry: entries });

/** The common delivery: one entry, one change. */
export function metaEnvelope(messages: (MetaMessage & { _name?: string })[], opts: { statuses?: unknown[]; contacts?: unknown[] } = {}) {
  return metaBody([metaEntry([metaChange(metaValue(messages, opts))])]);
}

// ---- 2026: business-scoped user ids (BSUIDs), usernames, id and number changes, user_preferences ----
// Shapes from Meta's business-scoped user id guide and its webhook references (messages, status, system,
// user_preferences): `contacts[].user_id` on every message, `profile.username` when the user has one, `wa_id`
// and `from` only while Meta shares the number; `from_user_id` names the sender; statuses carry
// `recipient_user_id` and, for a message sent to a BSUID, may lack `recipient_id`.

export interface Sender2026 {
  /** The number, when Meta shares it. */
  phone?: string;
  bsuid: string;
  parentBsuid?: string;
  username?: string;
  name?: string;
}

/** A customer message as Meta sends it in 2026: `from` only when the number is shared. */
export function metaMessage2026(s: Sender2026, o: { id: string; type?: string; timestamp?: string; [part: string]: unknown }): MetaMessage {
  const { id, type = 'text', timestamp, ...part } = o;
  return {
    ...(s.phone ? { from: s.phone } : {}),
    from_user_id: s.bsuid,
    ...(s.parentBsuid ? { from_parent_user_id: s.parentBsuid } : {}),
    id,
    timestamp: timestamp ?? now(),
    type,
    ...(type === 'text' && !('text' in part) ? { text: { body: 'hola' } } : part),
  } as MetaMessage;
}

export const metaText2026 = (s: Sender2026, id: string, body: string, extra: Record<string, unknown> = {}) => metaMessage2026(s, { id, text: { body }, ...extra });

/** The contact Meta lists for a 2026 sender. */
export function metaContact2026(s: Sender2026) {
  return {
    profile: { name: s.name ?? 'Cliente', ...(s.username ? { username: s.username } : {}) },
    ...(s.phone ? { wa_id: s.phone } : {}),
    user_id: s.bsuid,
    ...(s.parentBsuid ? { parent_user_id: s.parentBsuid } : {}),
  };
}

/** One delivery of 2026 messages, with their senders' contacts. */
export function metaEnvelope2026(items: { sender: Sender2026; message: MetaMessage }[]) {
  const contacts = [...new Map(items.map((i) => [i.sender.bsuid, metaContact2026(i.sender)])).values()];
  return metaEnvelope(items.map((i) => i.message), { contacts });
}

/** The customer's BSUID changed: the old one names the sender, the new one is in `system.user_id`; no number, no contacts. */
export function metaSystemUserIdChange(o: { oldBsuid: string; newBsuid: string; id: string; timestamp?: string }): MetaMessage {
  return {
    from_user_id: o.oldBsuid,
    id: o.id,
    timestamp: o.timestamp ?? now(),
    type: 'system',
    system: { body: 'User changed their business-scoped user ID', user_id: o.newBsuid, type: 'user_changed_user_id' },
  } as MetaMessage;
}

/** A status of a message sent to a BSUID (no `recipient_id` unless Meta shares the number), with per-message pricing. */
export function metaStatus2026(o: {
  id: string; status: string; bsuid?: string; phone?: string; timestamp?: string;
  pricing?: { category: string; type?: string; billable?: boolean }; errors?: { code: number; title: string }[];
}) {
  return {
    id: o.id,
    status: o.status,
    timestamp: o.timestamp ?? now(),
    ...(o.phone ? { recipient_id: o.phone } : {}),
    ...(o.bsuid ? { recipient_user_id: o.bsuid } : {}),
    ...(o.pricing ? { pricing: { billable: o.pricing.billable ?? o.pricing.type !== 'free_customer_service', pricing_model: 'PMP', category: o.pricing.category, type: o.pricing.type ?? 'regular' } } : {}),
    ...(o.errors ? { errors: o.errors.map((e) => ({ ...e, message: e.title, error_data: { details: e.title } })) } : {}),
  };
}

/** Meta's `user_preferences` webhook: the customer stopped or resumed marketing messages in WhatsApp's settings. */
export function metaUserPreferences(o: { phone?: string; bsuid?: string; value: 'stop' | 'resume'; timestamp?: number }) {
  const ids = { ...(o.phone ? { wa_id: o.phone } : {}), ...(o.bsuid ? { user_id: o.bsuid } : {}) };
  return metaBody([metaEntry([metaChange({
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '573000000000', phone_number_id: PHONE_NUMBER_ID_IN_PAYLOADS },
    contacts: [{ profile: { name: 'Cliente' }, ...ids }],
    user_preferences: [{
      ...ids,
      detail: o.value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages',
      category: 'marketing_messages',
      value: o.value,
      timestamp: o.timestamp ?? Math.floor(Date.now() / 1000),
    }],
  }, 'user_preferences')])]);
}
