import type { DeliveryStatus, InboundKind, InboundMessage, NormalisedDelivery, PresenceUpdate, StatusUpdate } from '../types.ts';
import { asArray, asNumber, asRecord, asString, compact, dateFromUnixSeconds, digitsOnly, type Json } from '../read-json.ts';

const MEDIA_KINDS = new Set(['image', 'video', 'document', 'sticker', 'audio', 'voice', 'gif', 'short']);
const STATUSES = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed', 'played', 'deleted', 'pending']);

/**
 * Whapi.cloud's webhook → our shapes. Only one-to-one chats with people are for us: the bot's own
 * messages (`from_me`; answering them would loop), groups, channels and broadcasts are skipped.
 */
export function normaliseWhapiWebhook(body: unknown): NormalisedDelivery {
  const out: NormalisedDelivery = { messages: [], statuses: [], presences: [], skipped: [] };
  const root = asRecord(body);
  if (!root) {
    out.skipped.push({ reason: 'not a Whapi delivery' });
    return out;
  }
  for (const m of asArray(root.messages)) {
    const message = normaliseMessage(asRecord(m));
    if ('reason' in message) out.skipped.push(message);
    else out.messages.push(message);
  }
  for (const s of asArray(root.statuses)) {
    const status = normaliseStatus(asRecord(s));
    if ('reason' in status) out.skipped.push(status);
    else out.statuses.push(status);
  }
  for (const p of asArray(root.presences)) {
    const presence = asRecord(p);
    const chatId = digitsOnly(asString(presence?.contact_id));
    const status = asString(presence?.status);
    if (chatId && status && isPersonalChat(asString(presence?.contact_id)!)) out.presences.push({ chatId, status } satisfies PresenceUpdate);
    else out.skipped.push({ reason: 'presence without contact or status' });
  }
  return out;
}

const isPersonalChat = (chatId: string) => !chatId.includes('@') || chatId.endsWith('@s.whatsapp.net') || chatId.endsWith('@c.us');

function normaliseMessage(m: Json | undefined): InboundMessage | { reason: string } {
  if (!m) return { reason: 'message is not an object' };
  if (m.from_me === true) return { reason: 'from_me' };
  const id = asString(m.id);
  const providerChatId = asString(m.chat_id);
  if (!id || !providerChatId) return { reason: 'message without id or chat_id' };
  if (!isPersonalChat(providerChatId)) return { reason: 'not a one-to-one chat (group, channel or broadcast)' };
  const chatId = digitsOnly(providerChatId);
  if (!chatId) return { reason: 'chat_id is not a phone number' };
  const type = asString(m.type) ?? 'unknown';
  return compact({
    provider: 'whapi' as const,
    providerMessageId: id,
    chatId,
    providerChatId,
    customerName: asString(m.from_name),
    sentAt: dateFromUnixSeconds(m.timestamp),
    contextMessageId: asString(asRecord(m.context)?.quoted_id),
    ...readContent(type, m),
  }) as InboundMessage;
}

function readContent(type: string, m: Json): { kind: InboundKind; text?: string; replyId?: string; details: Json } {
  const part = asRecord(m[type]);
  if (type === 'text') return { kind: 'text', text: asString(part?.body), details: {} };
  if (type === 'reply') {
    const replyType = asString(part?.type);
    const choice = asRecord(part?.[replyType ?? '']);
    if (choice) return { kind: 'interactive', replyId: asString(choice.id), text: asString(choice.title), details: compact({ interactiveType: replyType, description: asString(choice.description) }) };
    return { kind: 'unsupported', details: { type } };
  }
  if (MEDIA_KINDS.has(type)) {
    const kind: InboundKind = type === 'voice' ? 'audio' : type === 'gif' || type === 'short' ? 'video' : (type as InboundKind);
    const media = compact({
      id: asString(part?.id),
      link: asString(part?.link),
      mimeType: asString(part?.mime_type),
      sha256: asString(part?.sha256),
      caption: asString(part?.caption),
      filename: asString(part?.file_name),
      voice: type === 'voice' ? true : undefined,
    });
    return { kind, text: media.caption as string | undefined, details: { media } };
  }
  if (type === 'location' || type === 'live_location') {
    const location = compact({ latitude: asNumber(part?.latitude), longitude: asNumber(part?.longitude), name: asString(part?.name), address: asString(part?.address) });
    const words = [location.name, location.address].filter(Boolean).join(', ');
    return { kind: 'location', text: words || undefined, details: { location } };
  }
  if (type === 'contact' || type === 'contact_list') return { kind: 'contacts', details: { contacts: part ? [part] : asArray(m.contact_list) } };
  if (type === 'action') {
    const action = part;
    if (asString(action?.type) === 'reaction') {
      return { kind: 'reaction', details: { reaction: compact({ messageId: asString(action?.target), emoji: asString(action?.emoji) }) } };
    }
    return { kind: 'system', details: { system: compact({ type: asString(action?.type) }) } };
  }
  if (type === 'order') {
    return { kind: 'order', details: { order: compact({ orderId: asString(part?.order_id), itemCount: asNumber(part?.item_count) }) } };
  }
  return { kind: 'unsupported', details: { type } };
}

function normaliseStatus(s: Json | undefined): StatusUpdate | { reason: string } {
  const id = asString(s?.id);
  const status = asString(s?.status) as DeliveryStatus | undefined;
  if (!s || !id || !status) return { reason: 'status without id or status' };
  if (!STATUSES.has(status)) return { reason: `unknown status ${status}` };
  return compact({
    provider: 'whapi' as const,
    providerMessageId: id,
    status,
    at: dateFromUnixSeconds(s.timestamp),
    recipient: digitsOnly(asString(s.recipient_id)),
    errorCode: status === 'failed' ? asNumber(s.code) : undefined,
  });
}
