import type { DeliveryStatus, InboundKind, InboundMessage, NormalisedDelivery, StatusUpdate } from '../types.ts';
import { asArray, asNumber, asRecord, asString, compact, dateFromUnixSeconds, digitsOnly, type Json } from '../read-json.ts';

const MEDIA_KINDS = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const STATUSES = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed', 'played', 'deleted', 'pending']);

/**
 * Meta's webhook envelope → our shapes. Every level (entry, change, message, status) may hold several
 * items and all are walked. Never throws: whatever it cannot use is listed in `skipped` with why.
 */
export function normaliseMetaWebhook(body: unknown): NormalisedDelivery {
  const out: NormalisedDelivery = { messages: [], statuses: [], presences: [], skipped: [] };
  const root = asRecord(body);
  if (!root || root.object !== 'whatsapp_business_account') {
    out.skipped.push({ reason: 'not a whatsapp_business_account delivery' });
    return out;
  }
  for (const entry of asArray(root.entry)) {
    for (const change of asArray(asRecord(entry)?.changes)) {
      const c = asRecord(change);
      const value = asRecord(c?.value);
      if (!c || c.field !== 'messages' || !value) {
        out.skipped.push({ reason: `change field ${String(c?.field)} is not handled` });
        continue;
      }
      const contacts = asArray(value.contacts).map(asRecord).filter((x): x is Json => !!x);
      for (const m of asArray(value.messages)) {
        const message = normaliseMessage(asRecord(m), contacts);
        if ('reason' in message) out.skipped.push(message);
        else out.messages.push(message);
      }
      for (const s of asArray(value.statuses)) {
        const status = normaliseStatus(asRecord(s));
        if ('reason' in status) out.skipped.push(status);
        else out.statuses.push(status);
      }
    }
  }
  return out;
}

function normaliseMessage(m: Json | undefined, contacts: Json[]): InboundMessage | { reason: string } {
  const id = asString(m?.id);
  const chatId = digitsOnly(asString(m?.from));
  if (!m || !id || !chatId) return { reason: 'message without id or sender' };
  const contact = contacts.find((c) => asString(c.wa_id) === asString(m.from)) ?? contacts[0];
  const base = {
    provider: 'meta' as const,
    providerMessageId: id,
    chatId,
    customerName: asString(asRecord(contact?.profile)?.name),
    sentAt: dateFromUnixSeconds(m.timestamp),
    contextMessageId: asString(asRecord(m.context)?.id),
  };
  const type = asString(m.type) ?? 'unsupported';
  return compact({ ...base, ...readContent(type, m) }) as InboundMessage;
}

function readContent(type: string, m: Json): { kind: InboundKind; text?: string; replyId?: string; details: Json } {
  const part = asRecord(m[type]);
  if (type === 'text') return { kind: 'text', text: asString(part?.body), details: {} };
  if (type === 'interactive') {
    const kind = asString(part?.type);
    const reply = asRecord(part?.[kind ?? '']);
    if (reply && (kind === 'button_reply' || kind === 'list_reply')) {
      return { kind: 'interactive', replyId: asString(reply.id), text: asString(reply.title), details: compact({ interactiveType: kind, description: asString(reply.description) }) };
    }
    return { kind: 'unsupported', details: { interactiveType: kind ?? null } };
  }
  if (type === 'button') return { kind: 'button', replyId: asString(part?.payload), text: asString(part?.text), details: {} };
  if (MEDIA_KINDS.has(type)) {
    const media = compact({
      id: asString(part?.id),
      mimeType: asString(part?.mime_type),
      sha256: asString(part?.sha256),
      caption: asString(part?.caption),
      filename: asString(part?.filename),
      voice: typeof part?.voice === 'boolean' ? part.voice : undefined,
      animated: typeof part?.animated === 'boolean' ? part.animated : undefined,
    });
    return { kind: type as InboundKind, text: media.caption as string | undefined, details: { media } };
  }
  if (type === 'location') {
    const location = compact({ latitude: asNumber(part?.latitude), longitude: asNumber(part?.longitude), name: asString(part?.name), address: asString(part?.address), url: asString(part?.url) });
    const words = [location.name, location.address].filter(Boolean).join(', ');
    return { kind: 'location', text: words || undefined, details: { location } };
  }
  if (type === 'contacts') return { kind: 'contacts', details: { contacts: asArray(m.contacts) } };
  if (type === 'reaction') {
    // no emoji means the customer took the reaction back
    return { kind: 'reaction', details: { reaction: compact({ messageId: asString(part?.message_id), emoji: asString(part?.emoji) }) } };
  }
  if (type === 'order') {
    const items = asArray(part?.product_items).map(asRecord).filter((x): x is Json => !!x).map((i) =>
      compact({ sku: asString(i.product_retailer_id), quantity: asNumber(i.quantity) ?? 1, itemPrice: asNumber(i.item_price), currency: asString(i.currency) }),
    );
    return { kind: 'order', text: asString(part?.text), details: { order: compact({ catalogId: asString(part?.catalog_id), text: asString(part?.text), items }) } };
  }
  if (type === 'system') {
    return { kind: 'system', details: { system: compact({ body: asString(part?.body), waId: asString(part?.wa_id), type: asString(part?.type) }) } };
  }
  return { kind: 'unsupported', details: compact({ type, errors: Array.isArray(m.errors) ? m.errors : undefined }) };
}

function normaliseStatus(s: Json | undefined): StatusUpdate | { reason: string } {
  const id = asString(s?.id);
  const status = asString(s?.status) as DeliveryStatus | undefined;
  if (!s || !id || !status) return { reason: 'status without id or status' };
  if (!STATUSES.has(status)) return { reason: `unknown status ${status}` };
  const error = asRecord(asArray(s.errors)[0]);
  return compact({
    provider: 'meta' as const,
    providerMessageId: id,
    status,
    at: dateFromUnixSeconds(s.timestamp),
    recipient: asString(s.recipient_id),
    errorCode: asNumber(error?.code),
    errorTitle: asString(error?.title) ?? asString(error?.message),
  });
}
