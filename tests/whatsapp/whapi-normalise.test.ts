import { describe, expect, it } from 'vitest';
import { normaliseWhapiWebhook } from '../../src/whatsapp/whapi/normalise.ts';
import type { InboundMessage, NormalisedDelivery } from '../../src/whatsapp/types.ts';
import {
  personChat,
  whapiButtonsReply,
  whapiContact,
  whapiContactList,
  whapiEnvelope,
  whapiListReply,
  whapiLocation,
  whapiMedia,
  whapiMessage,
  whapiOrder,
  whapiPresence,
  whapiPresences,
  whapiReaction,
  whapiStatus,
  whapiStatuses,
  whapiTextMessage,
  type WhapiMessage,
  vcard,
} from '../support/whapi-payloads.ts';

const FROM = '573001234567';
const CHAT = `${FROM}@s.whatsapp.net`;
const TS = 1767225600; // 2026-01-01T00:00:00Z
const AT = new Date('2026-01-01T00:00:00Z');
const OURS = 'PsqXn5SVAnk9lLEBYAqQ6w-gO3tFKw';
const LINK = (mediaId: string) => `https://s3.eu-central-1.wasabisys.com/in-files/${mediaId}.bin`;
const SHA = 'mY2+q3hR0mYh1y0xqYkM4zGZtq0eX0xk3cOsX7xQ9Zs=';

function onlyMessage(d: NormalisedDelivery): InboundMessage {
  expect(d.skipped).toEqual([]);
  expect(d.messages).toHaveLength(1);
  return d.messages[0];
}
const one = (m: WhapiMessage) => onlyMessage(normaliseWhapiWebhook(whapiEnvelope([m])));
const skipsOf = (body: unknown) => normaliseWhapiWebhook(body).skipped.map((s) => s.reason);

describe('normaliseWhapiWebhook: message types', () => {
  it('text: number from chat_id, Whapi address kept, pushname, provider clock', () => {
    const d = normaliseWhapiWebhook(whapiEnvelope([whapiTextMessage({ id: 'Ys6hYQUo9tN9AqR-wh3oDQ', from: FROM, name: 'Andrés Peña', body: 'Hola, ¿tienen domicilio? 🛵', timestamp: TS })]));
    expect(d).toEqual({
      messages: [{
        provider: 'whapi',
        providerMessageId: 'Ys6hYQUo9tN9AqR-wh3oDQ',
        chatId: FROM,
        sender: { phone: FROM },
        providerChatId: CHAT,
        customerName: 'Andrés Peña',
        sentAt: AT,
        kind: 'text',
        text: 'Hola, ¿tienen domicilio? 🛵',
        details: {},
      }],
      statuses: [],
      presences: [],
      preferences: [],
      skipped: [],
    });
  });

  it('a quoted reply names the quoted message', () => {
    const m = one(whapiTextMessage({ id: 'W-q1', from: FROM, body: 'este', quotedId: OURS }));
    expect(m.contextMessageId).toBe(OURS);
  });

  it('a text with a link arrives as link_preview and is read as text', () => {
    const m = one(whapiMessage({ id: 'W-lp', from: FROM, type: 'link_preview', link_preview: { body: 'Mira https://tienda.co/p/42', url: 'https://tienda.co/p/42', title: 'Camiseta azul' } }));
    expect(m.kind).toBe('text');
    expect(m.text).toBe('Mira https://tienda.co/p/42');
    expect(m.details).toEqual({ url: 'https://tienda.co/p/42' });
  });

  it('buttons_reply: our id without Whapi’s "ButtonsV3:" prefix, the title as text', () => {
    const m = one(whapiButtonsReply({ id: 'W-b1', from: FROM, timestamp: TS, buttonId: 'menu:catalog', title: 'Ver catálogo', quotedId: OURS }));
    expect(m).toEqual({
      provider: 'whapi', providerMessageId: 'W-b1', chatId: FROM, sender: { phone: FROM }, providerChatId: CHAT, sentAt: AT,
      kind: 'interactive', replyId: 'menu:catalog', text: 'Ver catálogo', contextMessageId: OURS,
      details: { interactiveType: 'buttons_reply', rawReplyId: 'ButtonsV3:menu:catalog' },
    });
  });

  it('list_reply: our row id without "ListV3:", description in details', () => {
    const m = one(whapiListReply({ id: 'W-l1', from: FROM, rowId: 'size:m', title: 'Talla M', description: 'Pecho 96–100 cm' }));
    expect(m.kind).toBe('interactive');
    expect(m.replyId).toBe('size:m');
    expect(m.text).toBe('Talla M');
    expect(m.details).toEqual({ interactiveType: 'list_reply', description: 'Pecho 96–100 cm', rawReplyId: 'ListV3:size:m' });
  });

  it('a reply id without a known prefix is kept whole', () => {
    const m = one(whapiMessage({ id: 'W-b2', from: FROM, type: 'reply', reply: { type: 'buttons_reply', buttons_reply: { id: 'Other:yes', title: 'Sí' } } }));
    expect(m.replyId).toBe('Other:yes');
    expect(m.details).toEqual({ interactiveType: 'buttons_reply' });
  });

  it('a reply of a kind we do not know is unsupported', () => {
    const m = one(whapiMessage({ id: 'W-r3', from: FROM, type: 'reply', reply: { type: 'carousel_reply', carousel_reply: { id: 'x' } } }));
    expect(m.kind).toBe('unsupported');
    expect(m.details).toEqual({ type: 'reply' });
  });

  it('image with caption: direct link, caption as text', () => {
    const m = one(whapiMedia({ id: 'W-i1', from: FROM, type: 'image', mediaId: 'jpeg-4b1c2e9a7d', mimeType: 'image/jpeg', caption: '¿Lo tienen en rojo?' }));
    expect(m.kind).toBe('image');
    expect(m.text).toBe('¿Lo tienen en rojo?');
    expect(m.details).toEqual({ media: { id: 'jpeg-4b1c2e9a7d', link: LINK('jpeg-4b1c2e9a7d'), mimeType: 'image/jpeg', sha256: SHA, caption: '¿Lo tienen en rojo?' } });
  });

  it('video, gif and short are all video', () => {
    for (const type of ['video', 'gif', 'short'] as const) {
      const m = one(whapiMedia({ id: `W-${type}`, from: FROM, type, mediaId: `mp4-${type}`, mimeType: 'video/mp4' }));
      expect(m.kind).toBe('video');
      expect(m.details).toEqual({ media: { id: `mp4-${type}`, link: LINK(`mp4-${type}`), mimeType: 'video/mp4', sha256: SHA } });
      expect(m).not.toHaveProperty('text');
    }
  });

  it('document: file name', () => {
    const m = one(whapiMedia({ id: 'W-d1', from: FROM, type: 'document', mediaId: 'pdf-77', mimeType: 'application/pdf', fileName: 'factura-0042.pdf', caption: 'Mi factura' }));
    expect(m.kind).toBe('document');
    expect(m.text).toBe('Mi factura');
    expect(m.details.media).toEqual({ id: 'pdf-77', link: LINK('pdf-77'), mimeType: 'application/pdf', sha256: SHA, caption: 'Mi factura', filename: 'factura-0042.pdf' });
  });

  it('sticker', () => {
    const m = one(whapiMedia({ id: 'W-s1', from: FROM, type: 'sticker', mediaId: 'webp-1', mimeType: 'image/webp' }));
    expect(m.kind).toBe('sticker');
    expect(m.details.media).toEqual({ id: 'webp-1', link: LINK('webp-1'), mimeType: 'image/webp', sha256: SHA });
  });

  it('voice and audio are both audio; only the voice note says voice', () => {
    const voice = one(whapiMedia({ id: 'W-v1', from: FROM, type: 'voice', mediaId: 'oga-1', mimeType: 'audio/ogg; codecs=opus', seconds: 7 }));
    expect(voice.kind).toBe('audio');
    expect(voice.details.media).toEqual({ id: 'oga-1', link: LINK('oga-1'), mimeType: 'audio/ogg; codecs=opus', sha256: SHA, voice: true, seconds: 7 });
    const audio = one(whapiMedia({ id: 'W-a1', from: FROM, type: 'audio', mediaId: 'mp3-1', mimeType: 'audio/mpeg' }));
    expect(audio.kind).toBe('audio');
    expect(audio.details.media).toEqual({ id: 'mp3-1', link: LINK('mp3-1'), mimeType: 'audio/mpeg', sha256: SHA, voice: false });
  });

  it('location and live location', () => {
    const m = one(whapiLocation({ id: 'W-loc', from: FROM, latitude: 6.2442, longitude: -75.5812, name: 'Parque Lleras', address: 'Cra. 37A, Medellín' }));
    expect(m.kind).toBe('location');
    expect(m.text).toBe('Parque Lleras, Cra. 37A, Medellín');
    expect(m.details).toEqual({ location: { latitude: 6.2442, longitude: -75.5812, name: 'Parque Lleras', address: 'Cra. 37A, Medellín' } });
    const live = one(whapiMessage({ id: 'W-live', from: FROM, type: 'live_location', live_location: { latitude: 4.711, longitude: -74.0721, accuracy: 10 } }));
    expect(live.kind).toBe('location');
    expect(live).not.toHaveProperty('text');
    expect(live.details).toEqual({ location: { latitude: 4.711, longitude: -74.0721 } });
  });

  it('contact and contact_list are contacts, as name and vCard', () => {
    const single = one(whapiContact({ id: 'W-c1', from: FROM, contactName: 'Ana Gómez', phone: '573105550101' }));
    expect(single.kind).toBe('contacts');
    expect(single.details).toEqual({ contacts: [{ name: 'Ana Gómez', vcard: vcard('Ana Gómez', '573105550101') }] });
    const list = one(whapiContactList({ id: 'W-c2', from: FROM, contacts: [{ name: 'Ana', phone: '573105550101' }, { name: 'Luis', phone: '573105550102' }] }));
    expect(list.kind).toBe('contacts');
    expect(list.details).toEqual({ contacts: [{ name: 'Ana', vcard: vcard('Ana', '573105550101') }, { name: 'Luis', vcard: vcard('Luis', '573105550102') }] });
  });

  it('reaction: the target is the context; an empty emoji means the reaction was removed', () => {
    const added = one(whapiReaction({ id: 'W-rx1', from: FROM, target: OURS, emoji: '👍' }));
    expect(added.kind).toBe('reaction');
    expect(added.contextMessageId).toBe(OURS);
    expect(added.details).toEqual({ reaction: { messageId: OURS, emoji: '👍' } });
    const removed = one(whapiReaction({ id: 'W-rx2', from: FROM, target: OURS, emoji: '' }));
    expect(removed.details).toEqual({ reaction: { messageId: OURS } });
  });

  it('edits and deletions are system events about the earlier message, not new questions', () => {
    const edit = one(whapiMessage({ id: 'W-e1', from: FROM, type: 'action', action: { target: 'W-orig', type: 'edit', edited_type: 'text', edited_content: { body: 'Quiero 3, no 2' } } }));
    expect(edit).toMatchObject({ kind: 'system', contextMessageId: 'W-orig', details: { system: { type: 'edit', target: 'W-orig', body: 'Quiero 3, no 2' } } });
    const del = one(whapiMessage({ id: 'W-e2', from: FROM, type: 'action', action: { target: 'W-orig', type: 'delete' } }));
    expect(del.details).toEqual({ system: { type: 'delete', target: 'W-orig' } });
    expect(del).not.toHaveProperty('text');
  });

  it('order: the totals Whapi gives, with the id and token to fetch the lines', () => {
    const m = one(whapiOrder({ id: 'W-o1', from: FROM, orderId: '1847293847561', text: 'Para el sábado', itemCount: 3, totalPrice: 144800, currency: 'COP' }));
    expect(m.kind).toBe('order');
    expect(m.text).toBe('Para el sábado');
    expect(m.details).toEqual({ order: { orderId: '1847293847561', token: 'QVJ0b2tlbg==', title: 'Pedido', text: 'Para el sábado', itemCount: 3, totalPrice: 144800, currency: 'COP', items: [] } });
  });

  it('WhatsApp’s own notices (system, unknown, source system) are system, never unsupported', () => {
    const notice = one(whapiMessage({ id: 'W-sys1', from: FROM, type: 'system', system: { body: 'Los mensajes están cifrados de extremo a extremo' } }));
    expect(notice).toMatchObject({ kind: 'system', details: { system: { type: 'system', body: 'Los mensajes están cifrados de extremo a extremo' } } });
    const unknown = one(whapiMessage({ id: 'W-sys2', from: FROM, type: 'unknown', source: 'system' }));
    expect(unknown.kind).toBe('system');
    expect(unknown.details).toEqual({ system: { type: 'unknown' } });
    const call = one(whapiMessage({ id: 'W-sys3', from: FROM, type: 'call', source: 'system', subtype: 'missed' }));
    expect(call.details).toEqual({ system: { type: 'call', subtype: 'missed' } });
  });

  it('anything else from a person is unsupported, named in details', () => {
    const m = one(whapiMessage({ id: 'W-poll', from: FROM, type: 'poll', poll: { title: '¿Color?', options: ['Rojo', 'Azul'] } }));
    expect(m.kind).toBe('unsupported');
    expect(m.details).toEqual({ type: 'poll' });
  });
});

describe('normaliseWhapiWebhook: which chats are ours', () => {
  it('drops our own messages (from_me), or the bot would answer itself', () => {
    const d = normaliseWhapiWebhook(whapiEnvelope([
      whapiTextMessage({ id: 'W-me', from: '573000000000', chatId: CHAT, fromMe: true, body: 'Hola, soy el asistente', source: 'api' }),
      whapiTextMessage({ id: 'W-them', from: FROM, body: 'hola' }),
    ]));
    expect(d.messages.map((m) => m.providerMessageId)).toEqual(['W-them']);
    expect(d.skipped).toEqual([{ reason: 'from_me' }]);
  });

  it('drops groups, channels and broadcasts', () => {
    expect(skipsOf(whapiEnvelope([
      whapiTextMessage({ id: 'W-g', from: FROM, chatId: '120363025246125888@g.us', body: 'hola grupo' }),
      whapiTextMessage({ id: 'W-n', from: FROM, chatId: '120363167846734501@newsletter', body: 'novedades' }),
      whapiTextMessage({ id: 'W-st', from: FROM, chatId: 'status@broadcast', body: 'mi estado' }),
      whapiTextMessage({ id: 'W-bc', from: FROM, chatId: '1767225600@broadcast', body: 'lista' }),
    ]))).toEqual(['group chat (@g.us)', 'channel (@newsletter)', 'broadcast or status (@broadcast)', 'broadcast or status (@broadcast)']);
  });

  it('a linked-id chat (@lid) is a customer: known by the linked id, and by the number in `from` when there is one', () => {
    const d = normaliseWhapiWebhook(whapiEnvelope([
      whapiTextMessage({ id: 'W-lid1', from: FROM, chatId: '204882146754671@lid', body: 'hola' }),
      whapiTextMessage({ id: 'W-lid2', from: '204882146754672@lid', chatId: '204882146754672@lid', body: 'hola' }),
      // `from` repeating the linked id's digits is not a number
      whapiTextMessage({ id: 'W-lid3', from: '204882146754673', chatId: '204882146754673@lid', body: 'hola' }),
    ]));
    expect(d.messages.map((m) => [m.chatId, m.sender, m.providerChatId])).toEqual([
      [FROM, { lid: '204882146754671@lid', phone: FROM }, '204882146754671@lid'],
      ['204882146754672@lid', { lid: '204882146754672@lid' }, '204882146754672@lid'],
      ['204882146754673@lid', { lid: '204882146754673@lid' }, '204882146754673@lid'],
    ]);
    expect(d.skipped).toEqual([]);
  });

  it('keeps every message of a mixed delivery, in order', () => {
    const d = normaliseWhapiWebhook(whapiEnvelope([
      whapiTextMessage({ id: 'W-1', from: '573004440001', name: 'Ana', body: 'hola' }),
      whapiTextMessage({ id: 'W-2', from: '573000000000', chatId: personChat('573004440001'), fromMe: true, body: '¡Hola Ana!' }),
      whapiButtonsReply({ id: 'W-3', from: '573004440001', name: 'Ana', buttonId: 'menu:hours', title: 'Horario' }),
      whapiTextMessage({ id: 'W-4', from: '573004440002', name: 'Beto', body: 'buenas' }),
    ]));
    expect(d.messages.map((m) => [m.providerMessageId, m.chatId, m.customerName, m.kind, m.replyId ?? m.text])).toEqual([
      ['W-1', '573004440001', 'Ana', 'text', 'hola'],
      ['W-3', '573004440001', 'Ana', 'interactive', 'menu:hours'],
      ['W-4', '573004440002', 'Beto', 'text', 'buenas'],
    ]);
    expect(d.skipped).toEqual([{ reason: 'from_me' }]);
  });
});

describe('normaliseWhapiWebhook: statuses and presences', () => {
  it('maps statuses; a failed one carries its first error; the status code is not an error', () => {
    const d = normaliseWhapiWebhook(whapiStatuses([
      whapiStatus({ id: OURS, status: 'sent', recipient: FROM, timestamp: TS }),
      whapiStatus({ id: OURS, status: 'delivered', recipient: FROM, timestamp: TS + 60 }),
      whapiStatus({ id: OURS, status: 'read', recipient: FROM, timestamp: TS + 120 }),
      whapiStatus({ id: 'W-out-2', status: 'failed', recipient: FROM, timestamp: TS, errors: [{ code: 470, message: 'Recipient is not a valid WhatsApp user' }] }),
      whapiStatus({ id: 'W-out-3', status: 'pending', recipient: FROM, timestamp: TS }),
      whapiStatus({ id: 'W-out-4', status: 'queued', recipient: FROM, timestamp: TS }),
    ]));
    expect(d).toEqual({
      messages: [],
      presences: [],
      preferences: [],
      statuses: [
        { provider: 'whapi', providerMessageId: OURS, status: 'sent', at: AT, recipient: FROM },
        { provider: 'whapi', providerMessageId: OURS, status: 'delivered', at: new Date('2026-01-01T00:01:00Z'), recipient: FROM },
        { provider: 'whapi', providerMessageId: OURS, status: 'read', at: new Date('2026-01-01T00:02:00Z'), recipient: FROM },
        { provider: 'whapi', providerMessageId: 'W-out-2', status: 'failed', at: AT, recipient: FROM, errorCode: 470, errorTitle: 'Recipient is not a valid WhatsApp user' },
        { provider: 'whapi', providerMessageId: 'W-out-3', status: 'pending', at: AT, recipient: FROM },
      ],
      skipped: [{ reason: 'unknown status "queued"' }],
    });
  });

  it('presences: the number of a person who is typing; groups and junk skipped', () => {
    const d = normaliseWhapiWebhook(whapiPresences([
      whapiPresence(CHAT, 'typing'),
      whapiPresence('573004440002', 'recording'),
      whapiPresence('120363025246125888@g.us', 'typing'),
      whapiPresence(CHAT, ''),
      { status: 'online' },
      'typing',
    ]));
    expect(d.presences).toEqual([{ chatId: FROM, status: 'typing' }, { chatId: '573004440002', status: 'recording' }]);
    expect(d.skipped).toEqual([
      { reason: 'group chat (@g.us)' },
      { reason: 'presence without contact_id or status' },
      { reason: 'presence without contact_id or status' },
      { reason: 'presence without contact_id or status' },
    ]);
    expect(d.messages).toEqual([]);
  });
});

describe('normaliseWhapiWebhook: anything at all', () => {
  it.each([[null], [undefined], [0], [7.5], [''], ['{"messages":[]}'], [true], [[]], [[whapiEnvelope([])]]])('%j is not a delivery', (input) => {
    expect(normaliseWhapiWebhook(input)).toEqual({ messages: [], statuses: [], presences: [], preferences: [], skipped: [{ reason: 'delivery is not a JSON object' }] });
  });

  it('an event with nothing for us says which event it was', () => {
    expect(skipsOf({ chats_updates: [{ before_update: {}, after_update: {} }], event: { type: 'chats', event: 'patch' }, channel_id: 'C' })).toEqual([
      'event chats.patch carries no messages, statuses or presences',
    ]);
    expect(skipsOf({})).toEqual(['event ?.? carries no messages, statuses or presences']);
  });

  it('says what was wrong with each bad item and keeps the good ones', () => {
    const d = normaliseWhapiWebhook({
      messages: [null, 'hola', 5, {}, { id: 'W-x', type: 'text' }, { chat_id: CHAT, type: 'text' }, { id: 'W-y', chat_id: 'no-number', type: 'text' }, { id: 'W-z', chat_id: { nested: true } }, whapiTextMessage({ id: 'W-ok', from: FROM, body: 'sigo' })],
      statuses: 'none',
      presences: { contact_id: CHAT },
      event: 7,
    });
    expect(d.messages.map((m) => m.providerMessageId)).toEqual(['W-ok']);
    expect(d.skipped.map((s) => s.reason)).toEqual([
      'message is not an object',
      'message is not an object',
      'message is not an object',
      'message without id or chat_id',
      'message without id or chat_id',
      'message without id or chat_id',
      'chat_id "no-number" is neither a phone number nor a linked id (@lid)',
      'message without id or chat_id',
    ]);
  });

  it('wrongly typed fields become absent; a missing or absurd timestamp is "now"', () => {
    const m = one({ id: 'W-weird', from_me: 'no' as unknown as boolean, type: 'image', chat_id: CHAT, timestamp: 'soon' as unknown as number, source: 'mobile', image: { id: 99, link: ['x'], caption: {}, mime_type: null }, from_name: 12, context: [] });
    expect(m).toEqual({ provider: 'whapi', providerMessageId: 'W-weird', chatId: FROM, sender: { phone: FROM }, providerChatId: CHAT, customerName: '12', sentAt: expect.any(Date), kind: 'image', details: { media: { id: '99' } } });
    expect(Math.abs(m.sentAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('strips NUL characters before they reach PostgreSQL', () => {
    const m = one(whapiTextMessage({ id: 'W-nul', from: FROM, name: 'An\u0000a', body: 'ho\u0000la' }));
    expect([m.text, m.customerName]).toEqual(['hola', 'Ana']);
  });
});
