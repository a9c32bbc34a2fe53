// Webhook bodies as Whapi.cloud sends them, for tests to build on: build messages, statuses and
// presences one at a time, then wrap them with whapiEnvelope / whapiStatuses / whapiPresences.

export const WHAPI_CHANNEL_ID = 'MANTIS-M7QXK';
const now = () => Math.floor(Date.now() / 1000);
export const personChat = (number: string) => `${number}@s.whatsapp.net`;

export interface WhapiMessage {
  id: string;
  from_me: boolean;
  type: string;
  chat_id: string;
  timestamp: number;
  source: string;
  [part: string]: unknown;
}

type Base = { id: string; from: string; name?: string; timestamp?: number; fromMe?: boolean; chatId?: string; quotedId?: string; source?: string };
const base = (o: Base, type: string, part: Record<string, unknown>): WhapiMessage => ({
  id: o.id,
  from_me: o.fromMe ?? false,
  type,
  chat_id: o.chatId ?? personChat(o.from),
  timestamp: o.timestamp ?? now(),
  source: o.source ?? 'mobile',
  ...part,
  ...(o.quotedId ? { context: { quoted_id: o.quotedId, quoted_author: personChat('573000000000'), quoted_type: 'text', quoted_content: { body: '…' } } } : {}),
  from: o.from,
  ...(o.name !== undefined ? { from_name: o.name } : {}),
});

export function whapiTextMessage(o: Base & { body: string }): WhapiMessage {
  return base(o, 'text', { text: { body: o.body } });
}

export function whapiMessage(o: Base & { type: string; [part: string]: unknown }): WhapiMessage {
  const { id, from, name, timestamp, fromMe, chatId, quotedId, source, type, ...part } = o;
  return base({ id, from, name, timestamp, fromMe, chatId, quotedId, source }, type, part);
}

/** Whapi prefixes our button id with "ButtonsV3:" and a list row id with "ListV3:". */
export function whapiButtonsReply(o: Base & { buttonId: string; title: string }): WhapiMessage {
  return base(o, 'reply', { reply: { type: 'buttons_reply', buttons_reply: { id: `ButtonsV3:${o.buttonId}`, title: o.title } } });
}

export function whapiListReply(o: Base & { rowId: string; title: string; description?: string }): WhapiMessage {
  const row = { id: `ListV3:${o.rowId}`, title: o.title, ...(o.description ? { description: o.description } : {}) };
  return base(o, 'reply', { reply: { type: 'list_reply', list_reply: row } });
}

export function whapiMedia(o: Base & { type: 'image' | 'video' | 'gif' | 'short' | 'document' | 'sticker' | 'audio' | 'voice'; mediaId: string; mimeType: string; caption?: string; fileName?: string; seconds?: number }): WhapiMessage {
  const part: Record<string, unknown> = {
    id: o.mediaId,
    mime_type: o.mimeType,
    file_size: 48213,
    sha256: 'mY2+q3hR0mYh1y0xqYkM4zGZtq0eX0xk3cOsX7xQ9Zs=',
    link: `https://s3.eu-central-1.wasabisys.com/in-files/${o.mediaId}.bin`,
    timestamp: o.timestamp ?? now(),
  };
  if (o.caption !== undefined) part.caption = o.caption;
  if (o.fileName !== undefined) part.file_name = o.fileName;
  if (o.seconds !== undefined) part.seconds = o.seconds;
  return base(o, o.type, { [o.type]: part });
}

export function whapiLocation(o: Base & { latitude: number; longitude: number; name?: string; address?: string }): WhapiMessage {
  return base(o, 'location', { location: { latitude: o.latitude, longitude: o.longitude, ...(o.name ? { name: o.name } : {}), ...(o.address ? { address: o.address } : {}) } });
}

export const vcard = (name: string, phone: string) => `BEGIN:VCARD\nVERSION:3.0\nN:;${name};;;\nFN:${name}\nTEL;type=CELL;waid=${phone}:+${phone}\nEND:VCARD`;

export function whapiContact(o: Base & { contactName: string; phone: string }): WhapiMessage {
  return base(o, 'contact', { contact: { name: o.contactName, vcard: vcard(o.contactName, o.phone) } });
}

export function whapiContactList(o: Base & { contacts: { name: string; phone: string }[] }): WhapiMessage {
  return base(o, 'contact_list', { contact_list: { list: o.contacts.map((c) => ({ name: c.name, vcard: vcard(c.name, c.phone) })) } });
}

/** An empty emoji is a reaction taken back. */
export function whapiReaction(o: Base & { target: string; emoji: string }): WhapiMessage {
  return base(o, 'action', { action: { target: o.target, type: 'reaction', emoji: o.emoji } });
}

export function whapiOrder(o: Base & { orderId: string; text?: string; itemCount: number; totalPrice: number; currency: string }): WhapiMessage {
  return base(o, 'order', {
    order: { order_id: o.orderId, seller: personChat('573000000000'), title: 'Pedido', ...(o.text ? { text: o.text } : {}), token: 'QVJ0b2tlbg==', item_count: o.itemCount, currency: o.currency, total_price: o.totalPrice, status: 'pending' },
  });
}

export function whapiEnvelope(messages: unknown[], opts: { channelId?: string; event?: string } = {}) {
  return { messages, event: { type: 'messages', event: opts.event ?? 'post' }, channel_id: opts.channelId ?? WHAPI_CHANNEL_ID };
}

/** `code` is Whapi's number for the status (not used by us); errors ride in errors[]. */
const STATUS_CODES: Record<string, number> = { failed: 0, pending: 1, sent: 2, delivered: 3, read: 4, played: 5 };

export function whapiStatus(o: { id: string; status: string; recipient: string; timestamp?: number; errors?: { code: number; message: string }[] }) {
  return {
    id: o.id,
    code: STATUS_CODES[o.status] ?? 2,
    status: o.status,
    recipient_id: personChat(o.recipient),
    timestamp: String(o.timestamp ?? now()),
    ...(o.errors ? { errors: o.errors.map((e) => ({ ...e, details: e.message })) } : {}),
  };
}

export function whapiStatuses(statuses: unknown[], opts: { channelId?: string } = {}) {
  return { statuses, event: { type: 'statuses', event: 'post' }, channel_id: opts.channelId ?? WHAPI_CHANNEL_ID };
}

export const whapiPresence = (contactId: string, status: string) => ({ contact_id: contactId, status });

export function whapiPresences(presences: unknown[], opts: { channelId?: string } = {}) {
  return { presences, event: { type: 'presences', event: 'post' }, channel_id: opts.channelId ?? WHAPI_CHANNEL_ID };
}
