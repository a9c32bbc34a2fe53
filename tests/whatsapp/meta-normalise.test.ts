import { describe, expect, it } from 'vitest';
import { normaliseMetaWebhook } from '../../src/whatsapp/meta/normalise.ts';
import type { InboundMessage, NormalisedDelivery } from '../../src/whatsapp/types.ts';
import {
  metaBody,
  metaButtonReply,
  metaChange,
  metaContact,
  metaContactCard,
  metaContactsMessage,
  metaEntry,
  metaEnvelope,
  metaListReply,
  metaLocation,
  metaMedia,
  metaMessage,
  metaOrder,
  metaReaction,
  metaStatus,
  metaSystemNumberChange,
  metaTemplateButton,
  metaTextMessage,
  metaUnsupported,
  metaValue,
  metaEnvelope2026,
  metaStatus2026,
  metaSystemUserIdChange,
  metaText2026,
  metaUserPreferences,
  type Sender2026,
} from '../support/meta-payloads.ts';

const FROM = '573001234567';
const TS = '1767225600'; // 2026-01-01T00:00:00Z
const AT = new Date('2026-01-01T00:00:00Z');
const SERVICE = { category: 'service', billable: true, model: 'CBP' };
const OUR_MESSAGE = 'wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQTVCRDk3OUVGMTdGNjAwQjAA';

/** The one message a delivery carried, after checking nothing else came out of it. */
function onlyMessage(d: NormalisedDelivery): InboundMessage {
  expect(d.skipped).toEqual([]);
  expect(d.statuses).toEqual([]);
  expect(d.messages).toHaveLength(1);
  return d.messages[0];
}
const one = (message: Parameters<typeof metaEnvelope>[0][number], name = 'Cliente') =>
  onlyMessage(normaliseMetaWebhook(metaEnvelope([message], { contacts: [metaContact(message.from!, name)] })));

describe('normaliseMetaWebhook: message types', () => {
  it('text: body, sender, name, provider clock', () => {
    const d = normaliseMetaWebhook(metaEnvelope([metaTextMessage({ from: FROM, id: 'wamid.text.1', body: '¿Tienen envío a Medellín? 🚚', name: 'María José', timestamp: TS })]));
    expect(d).toEqual({
      messages: [{
        provider: 'meta',
        providerMessageId: 'wamid.text.1',
        chatId: FROM,
        sender: { phone: FROM },
        customerName: 'María José',
        sentAt: AT,
        kind: 'text',
        text: '¿Tienen envío a Medellín? 🚚',
        details: {},
      }],
      statuses: [],
      presences: [],
      preferences: [],
      skipped: [],
    });
  });

  it('interactive button_reply: the id is the replyId, the title the text, context the quoted message', () => {
    const m = one(metaButtonReply({ from: FROM, id: 'wamid.btn.1', timestamp: TS, replyId: 'menu:catalog', title: 'Ver catálogo', context: { from: '573000000000', id: OUR_MESSAGE } }));
    expect(m).toEqual({
      provider: 'meta', providerMessageId: 'wamid.btn.1', chatId: FROM, sender: { phone: FROM }, customerName: 'Cliente', sentAt: AT,
      kind: 'interactive', replyId: 'menu:catalog', text: 'Ver catálogo', contextMessageId: OUR_MESSAGE,
      details: { interactiveType: 'button_reply' },
    });
  });

  it('interactive list_reply: keeps the row description in details', () => {
    const m = one(metaListReply({ from: FROM, id: 'wamid.list.1', timestamp: TS, replyId: 'size:m', title: 'Talla M', description: 'Pecho 96–100 cm', context: { from: '573000000000', id: OUR_MESSAGE } }));
    expect(m.kind).toBe('interactive');
    expect(m.replyId).toBe('size:m');
    expect(m.text).toBe('Talla M');
    expect(m.contextMessageId).toBe(OUR_MESSAGE);
    expect(m.details).toEqual({ interactiveType: 'list_reply', description: 'Pecho 96–100 cm' });
  });

  it('interactive replies this bot never asks for (flows) are unsupported', () => {
    const m = one(metaMessage({ from: FROM, id: 'wamid.nfm.1', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{}' } } }));
    expect(m.kind).toBe('unsupported');
    expect(m.details).toEqual({ type: 'interactive', interactiveType: 'nfm_reply' });
    expect(m.replyId).toBeUndefined();
  });

  it('template quick-reply button: payload is the replyId, text the text', () => {
    const m = one(metaTemplateButton({ from: FROM, id: 'wamid.tpl.1', timestamp: TS, payload: 'promo:yes', text: 'Sí, quiero', context: { from: '573000000000', id: OUR_MESSAGE } }));
    expect(m).toEqual({
      provider: 'meta', providerMessageId: 'wamid.tpl.1', chatId: FROM, sender: { phone: FROM }, customerName: 'Cliente', sentAt: AT,
      kind: 'button', replyId: 'promo:yes', text: 'Sí, quiero', contextMessageId: OUR_MESSAGE, details: {},
    });
  });

  it('image with caption: media details, caption as text', () => {
    const m = one(metaMedia({ from: FROM, id: 'wamid.img.1', type: 'image', mediaId: '1593284061543210', mimeType: 'image/jpeg', caption: '¿Lo tienen en rojo?' }));
    expect(m.kind).toBe('image');
    expect(m.text).toBe('¿Lo tienen en rojo?');
    expect(m.details).toEqual({
      media: { id: '1593284061543210', mimeType: 'image/jpeg', sha256: 'Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=', caption: '¿Lo tienen en rojo?' },
    });
  });

  it('video without caption: no text', () => {
    const m = one(metaMedia({ from: FROM, id: 'wamid.vid.1', type: 'video', mediaId: '880011', mimeType: 'video/mp4' }));
    expect(m.kind).toBe('video');
    expect(m).not.toHaveProperty('text');
    expect(m.details).toEqual({ media: { id: '880011', mimeType: 'video/mp4', sha256: 'Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=' } });
  });

  it('audio: voice note flag kept', () => {
    const voice = one(metaMedia({ from: FROM, id: 'wamid.aud.1', type: 'audio', mediaId: '7001', mimeType: 'audio/ogg; codecs=opus', voice: true }));
    expect(voice.kind).toBe('audio');
    expect(voice.details.media).toEqual({ id: '7001', mimeType: 'audio/ogg; codecs=opus', sha256: 'Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=', voice: true });
    const file = one(metaMedia({ from: FROM, id: 'wamid.aud.2', type: 'audio', mediaId: '7002', mimeType: 'audio/mpeg', voice: false }));
    expect(file.details.media).toMatchObject({ voice: false });
  });

  it('document: filename and caption', () => {
    const m = one(metaMedia({ from: FROM, id: 'wamid.doc.1', type: 'document', mediaId: '9001', mimeType: 'application/pdf', filename: 'factura-0042.pdf', caption: 'Mi factura' }));
    expect(m.kind).toBe('document');
    expect(m.text).toBe('Mi factura');
    expect(m.details.media).toEqual({ id: '9001', mimeType: 'application/pdf', sha256: 'Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=', caption: 'Mi factura', filename: 'factura-0042.pdf' });
  });

  it('sticker', () => {
    const m = one(metaMedia({ from: FROM, id: 'wamid.stk.1', type: 'sticker', mediaId: '5005', mimeType: 'image/webp', animated: false }));
    expect(m.kind).toBe('sticker');
    expect(m.details.media).toEqual({ id: '5005', mimeType: 'image/webp', sha256: 'Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=', animated: false });
    expect(m).not.toHaveProperty('text');
  });

  it('location: coordinates in details, name and address as text', () => {
    const m = one(metaLocation({ from: FROM, id: 'wamid.loc.1', latitude: 6.2442, longitude: -75.5812, name: 'Parque Lleras', address: 'Cra. 37A, Medellín' }));
    expect(m.kind).toBe('location');
    expect(m.text).toBe('Parque Lleras, Cra. 37A, Medellín');
    expect(m.details).toEqual({ location: { latitude: 6.2442, longitude: -75.5812, name: 'Parque Lleras', address: 'Cra. 37A, Medellín' } });
    const pin = one(metaLocation({ from: FROM, id: 'wamid.loc.2', latitude: 4.711, longitude: -74.0721 }));
    expect(pin).not.toHaveProperty('text');
    expect(pin.details).toEqual({ location: { latitude: 4.711, longitude: -74.0721 } });
  });

  it('contacts: the shared cards as sent', () => {
    const cards = [metaContactCard('Ana Gómez', '573105550101'), metaContactCard('Luis', '573105550102')];
    const m = one(metaContactsMessage({ from: FROM, id: 'wamid.ctc.1', contacts: cards }));
    expect(m.kind).toBe('contacts');
    expect(m.details).toEqual({ contacts: cards });
    expect(m.details.contacts).toEqual([
      { name: { formatted_name: 'Ana Gómez', first_name: 'Ana', last_name: 'Gómez' }, phones: [{ phone: '+573105550101', wa_id: '573105550101', type: 'CELL' }] },
      { name: { formatted_name: 'Luis', first_name: 'Luis' }, phones: [{ phone: '+573105550102', wa_id: '573105550102', type: 'CELL' }] },
    ]);
  });

  it('reaction: the reacted message is the context; no emoji means the reaction was removed', () => {
    const added = one(metaReaction({ from: FROM, id: 'wamid.rx.1', messageId: OUR_MESSAGE, emoji: '❤️' }));
    expect(added.kind).toBe('reaction');
    expect(added.contextMessageId).toBe(OUR_MESSAGE);
    expect(added.details).toEqual({ reaction: { messageId: OUR_MESSAGE, emoji: '❤️' } });
    const removed = one(metaReaction({ from: FROM, id: 'wamid.rx.2', messageId: OUR_MESSAGE }));
    expect(removed.details).toEqual({ reaction: { messageId: OUR_MESSAGE } });
  });

  it('order: catalog, note and lines with numbers', () => {
    const m = one(metaOrder({
      from: FROM, id: 'wamid.ord.1', catalogId: '1203948576', text: 'Para recoger el sábado',
      items: [{ sku: 'CAM-AZ-M', quantity: 2, price: 59900, currency: 'COP' }, { sku: 'GOR-01', quantity: 1, price: 25000.5, currency: 'COP' }],
    }));
    expect(m.kind).toBe('order');
    expect(m.text).toBe('Para recoger el sábado');
    expect(m.details).toEqual({
      order: {
        catalogId: '1203948576',
        text: 'Para recoger el sábado',
        items: [
          { sku: 'CAM-AZ-M', quantity: 2, itemPrice: 59900, currency: 'COP' },
          { sku: 'GOR-01', quantity: 1, itemPrice: 25000.5, currency: 'COP' },
        ],
      },
    });
  });

  it('system (number change): no contacts in the payload, so no name', () => {
    const body = metaEnvelope([metaSystemNumberChange({ from: FROM, id: 'wamid.sys.1', timestamp: TS, newNumber: '573109998877', name: 'Pedro' })]);
    expect(body.entry[0].changes[0].value).not.toHaveProperty('contacts');
    expect(onlyMessage(normaliseMetaWebhook(body))).toEqual({
      provider: 'meta', providerMessageId: 'wamid.sys.1', chatId: FROM, sender: { phone: FROM }, sentAt: AT, kind: 'system',
      identityChange: { type: 'user_changed_number', phone: '573109998877' },
      details: { system: { body: `User Pedro changed from ${FROM} to 573109998877`, waId: '573109998877', type: 'user_changed_number' } },
    });
  });

  it('unsupported: kept with Meta’s errors', () => {
    const m = one(metaUnsupported({ from: FROM, id: 'wamid.uns.1' }));
    expect(m.kind).toBe('unsupported');
    expect(m.details).toEqual({
      type: 'unsupported',
      errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }],
    });
  });

  it('a type we do not know is unsupported, named in details', () => {
    const m = one(metaMessage({ from: FROM, id: 'wamid.new.1', type: 'request_welcome' }));
    expect(m.kind).toBe('unsupported');
    expect(m.details).toEqual({ type: 'request_welcome' });
  });
});

describe('normaliseMetaWebhook: walking the delivery', () => {
  it('takes every message and status from every change of every entry, in order', () => {
    const body = metaBody([
      metaEntry([
        metaChange(metaValue([
          metaTextMessage({ from: '573001110001', id: 'wamid.a1', body: 'hola', name: 'Ana' }),
          metaTextMessage({ from: '573001110002', id: 'wamid.b1', body: 'buenas', name: 'Beto' }),
          metaTextMessage({ from: '573001110001', id: 'wamid.a2', body: '¿precio?', name: 'Ana' }),
        ])),
        metaChange(metaValue([], { statuses: [metaStatus({ id: 'wamid.out.1', status: 'delivered', recipient: '573001110003', timestamp: TS })] })),
      ], '102290129340398'),
      metaEntry([
        metaChange({ event: 'APPROVED', message_template_id: 12345, message_template_name: 'promo', message_template_language: 'es' }, 'message_template_status_update'),
        metaChange(metaValue([metaTextMessage({ from: '573001110004', id: 'wamid.c1', body: 'otra cuenta', name: 'Caro' })], {
          statuses: [metaStatus({ id: 'wamid.out.2', status: 'read', recipient: '573001110005', timestamp: TS })],
        })),
      ], '109876543210987'),
    ]);
    const d = normaliseMetaWebhook(body);
    expect(d.messages.map((m) => [m.providerMessageId, m.chatId, m.customerName, m.text])).toEqual([
      ['wamid.a1', '573001110001', 'Ana', 'hola'],
      ['wamid.b1', '573001110002', 'Beto', 'buenas'],
      ['wamid.a2', '573001110001', 'Ana', '¿precio?'],
      ['wamid.c1', '573001110004', 'Caro', 'otra cuenta'],
    ]);
    expect(d.statuses).toEqual([
      { provider: 'meta', providerMessageId: 'wamid.out.1', status: 'delivered', at: AT, recipient: '573001110003', recipientPhone: '573001110003', pricing: SERVICE },
      { provider: 'meta', providerMessageId: 'wamid.out.2', status: 'read', at: AT, recipient: '573001110005', recipientPhone: '573001110005' },
    ]);
    expect(d.skipped).toEqual([{ reason: 'change field "message_template_status_update" is not "messages"' }]);
    expect(d.presences).toEqual([]);
  });

  it('names each sender from the contact with its wa_id, whatever the order', () => {
    const d = normaliseMetaWebhook(metaEnvelope(
      [
        metaTextMessage({ from: '573002220001', id: 'wamid.m1', body: 'uno' }),
        metaTextMessage({ from: '573002220002', id: 'wamid.m2', body: 'dos' }),
        metaTextMessage({ from: '573002220003', id: 'wamid.m3', body: 'tres' }),
      ],
      { contacts: [metaContact('573002220002', 'Segundo'), metaContact('573002220001', 'Primera')] },
    ));
    expect(d.messages.map((m) => [m.chatId, m.customerName])).toEqual([
      ['573002220001', 'Primera'],
      ['573002220002', 'Segundo'],
      // listed nowhere among several contacts: no name rather than someone else's
      ['573002220003', undefined],
    ]);
  });

  it('falls back to a lone contact whose wa_id is spelled differently', () => {
    const m = onlyMessage(normaliseMetaWebhook(metaEnvelope([metaTextMessage({ from: '5215512345678', id: 'wamid.mx', body: 'hola' })], { contacts: [metaContact('525512345678', 'Lupita')] })));
    expect(m.customerName).toBe('Lupita');
  });

  it('matches by business-scoped user id when the contact has no wa_id match', () => {
    const message = { ...metaTextMessage({ from: '573003330001', id: 'wamid.bsuid', body: 'hola' }), from_user_id: 'CO.1410018717833190' };
    const contacts = [{ profile: { name: 'Otra' }, wa_id: '573003339999' }, { profile: { name: 'Usuaria' }, user_id: 'CO.1410018717833190', country_code: 'CO' }];
    const m = onlyMessage(normaliseMetaWebhook(metaEnvelope([message], { contacts })));
    expect(m.customerName).toBe('Usuaria');
  });

  it('reads a leading + in `from` as the same number', () => {
    const m = onlyMessage(normaliseMetaWebhook(metaEnvelope([metaTextMessage({ from: '+573001234567', id: 'wamid.plus', body: 'hola' })])));
    expect(m.chatId).toBe('573001234567');
  });
});

describe('normaliseMetaWebhook: statuses', () => {
  it('maps every status Meta sends, failed ones with the first error', () => {
    const statuses = [
      metaStatus({ id: 'wamid.s1', status: 'sent', recipient: FROM, timestamp: TS }),
      metaStatus({ id: 'wamid.s1', status: 'delivered', recipient: FROM, timestamp: '1767225660' }),
      metaStatus({ id: 'wamid.s1', status: 'read', recipient: FROM, timestamp: '1767225720' }),
      metaStatus({ id: 'wamid.s2', status: 'played', recipient: FROM, timestamp: TS }),
      metaStatus({ id: 'wamid.s3', status: 'failed', recipient: FROM, timestamp: TS, errors: [{ code: 131047, title: 'Re-engagement message' }, { code: 131000, title: 'Something went wrong' }] }),
    ];
    const d = normaliseMetaWebhook(metaEnvelope([], { statuses }));
    expect(d).toEqual({
      messages: [],
      presences: [],
      preferences: [],
      skipped: [],
      statuses: [
        { provider: 'meta', providerMessageId: 'wamid.s1', status: 'sent', at: AT, recipient: FROM, recipientPhone: FROM, pricing: SERVICE },
        { provider: 'meta', providerMessageId: 'wamid.s1', status: 'delivered', at: new Date('2026-01-01T00:01:00Z'), recipient: FROM, recipientPhone: FROM, pricing: SERVICE },
        { provider: 'meta', providerMessageId: 'wamid.s1', status: 'read', at: new Date('2026-01-01T00:02:00Z'), recipient: FROM, recipientPhone: FROM },
        { provider: 'meta', providerMessageId: 'wamid.s2', status: 'played', at: AT, recipient: FROM, recipientPhone: FROM },
        { provider: 'meta', providerMessageId: 'wamid.s3', status: 'failed', at: AT, recipient: FROM, recipientPhone: FROM, errorCode: 131047, errorTitle: 'Re-engagement message' },
      ],
    });
  });

  it('keeps statuses that are ours even if Meta never sends them; skips unknown ones', () => {
    const d = normaliseMetaWebhook(metaEnvelope([], {
      statuses: [
        metaStatus({ id: 'wamid.s4', status: 'deleted', recipient: FROM, timestamp: TS }),
        metaStatus({ id: 'wamid.s5', status: 'warning', recipient: FROM, timestamp: TS }),
        { status: 'read', recipient_id: FROM },
        'read',
      ],
    }));
    expect(d.statuses.map((s) => [s.providerMessageId, s.status])).toEqual([['wamid.s4', 'deleted']]);
    expect(d.skipped).toEqual([{ reason: 'unknown status "warning"' }, { reason: 'status without id or status' }, { reason: 'status is not an object' }]);
  });

  it('drops an error code that would not fit an integer column, keeps its title', () => {
    const status = { id: 'wamid.s6', status: 'failed', timestamp: TS, recipient_id: FROM, errors: [{ code: 1e12, title: 'Huge' }] };
    const d = normaliseMetaWebhook(metaEnvelope([], { statuses: [status] }));
    expect(d.statuses).toEqual([{ provider: 'meta', providerMessageId: 'wamid.s6', status: 'failed', at: AT, recipient: FROM, recipientPhone: FROM, errorTitle: 'Huge' }]);
  });
});

describe('normaliseMetaWebhook: anything at all', () => {
  const notMeta = [null, undefined, 0, 42, NaN, '', 'whatsapp_business_account', true, [], [metaEnvelope([])], {}, { object: 'page', entry: [] }, { object: ['whatsapp_business_account'] }];
  it.each(notMeta.map((v) => [v]))('%j is not a delivery: one skip, nothing else', (input) => {
    const d = normaliseMetaWebhook(input);
    expect(d.messages).toEqual([]);
    expect(d.statuses).toEqual([]);
    expect(d.presences).toEqual([]);
    expect(d.skipped).toHaveLength(1);
    expect(d.skipped[0].reason).toMatch(/^object .* is not whatsapp_business_account$/);
  });

  it('says what was wrong at each level, and keeps the good items beside the bad', () => {
    const good = metaTextMessage({ from: FROM, id: 'wamid.good', body: 'sigo aquí' });
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        null,
        'entry',
        { id: '1', changes: 'not-an-array' },
        { id: '2', changes: [null, 7, { field: 'messages' }, { field: 'messages', value: [] }, { field: 'messages', value: { messaging_product: 'whatsapp' } }] },
        { id: '3', changes: [{ field: 'messages', value: { contacts: 'nobody', messages: [null, 'text', 12, {}, { id: 'wamid.nofrom', type: 'text' }, { from: FROM, type: 'text' }, { id: 'wamid.group', from: '120363025246125888@g.us', type: 'text' }, { id: 'wamid.bsuid', from_user_id: 'US.13491208655302741918', type: 'text', text: { body: 'hola' } }, good], statuses: {} } }] },
        { id: '4', changes: [{ field: 'messages', value: { errors: [{ code: 131000, title: 'Something went wrong', message: 'Something went wrong' }] } }] },
      ],
    };
    const d = normaliseMetaWebhook(body);
    // a sender known only by business-scoped id is a customer like any other (issue 14)
    expect(d.messages).toEqual([
      { provider: 'meta', providerMessageId: 'wamid.bsuid', chatId: 'US.13491208655302741918', sender: { bsuid: 'US.13491208655302741918' }, sentAt: expect.any(Date), kind: 'text', text: 'hola', details: {} },
      { provider: 'meta', providerMessageId: 'wamid.good', chatId: FROM, sender: { phone: FROM }, sentAt: expect.any(Date), kind: 'text', text: 'sigo aquí', details: {} },
    ]);
    expect(d.statuses).toEqual([]);
    expect(d.skipped.map((s) => s.reason)).toEqual([
      'entry without changes',
      'entry without changes',
      'entry without changes',
      'change field missing is not "messages"',
      'change field missing is not "messages"',
      'messages change without a value',
      'messages change without a value',
      'messages change with neither messages nor statuses',
      'message is not an object',
      'message is not an object',
      'message is not an object',
      'message without id',
      'message without a sender (from, from_user_id)',
      'message without id',
      'message without a sender (from, from_user_id)',
      'change error 131000: "Something went wrong"',
    ]);
  });

  it('an empty entry list is a skip, not silence', () => {
    expect(normaliseMetaWebhook({ object: 'whatsapp_business_account', entry: [] }).skipped).toEqual([{ reason: 'delivery without entries' }]);
  });

  it('wrongly typed fields inside a message become absent, not crashes', () => {
    const m = one(metaMessage({
      from: FROM, id: 'wamid.weird', type: 'image', timestamp: 'yesterday',
      image: { id: { nested: true }, mime_type: 42, caption: ['a'], voice: 'yes', sha256: null },
      context: 'not-an-object',
    }));
    expect(m).toEqual({ provider: 'meta', providerMessageId: 'wamid.weird', chatId: FROM, sender: { phone: FROM }, customerName: 'Cliente', sentAt: expect.any(Date), kind: 'image', details: { media: { mimeType: '42' } } });
    expect(Math.abs(m.sentAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('prototype-named types and keys are plain data', () => {
    const d = normaliseMetaWebhook(JSON.parse(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[
      {"from":"${FROM}","id":"wamid.p1","type":"constructor"},
      {"from":"${FROM}","id":"wamid.p2","type":"__proto__","__proto__":{"polluted":true}},
      {"from":"${FROM}","id":"wamid.p3","type":"contacts","contacts":[{"__proto__":{"x":1},"name":{"formatted_name":"Ok"}}]}]}}]}]}`));
    expect(d.messages.map((m) => [m.providerMessageId, m.kind])).toEqual([['wamid.p1', 'unsupported'], ['wamid.p2', 'unsupported'], ['wamid.p3', 'contacts']]);
    expect(d.messages[2].details).toEqual({ contacts: [{ name: { formatted_name: 'Ok' } }] });
    const card = (d.messages[2].details.contacts as object[])[0];
    expect(Object.getPrototypeOf(card)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strips NUL characters, which PostgreSQL text and jsonb refuse', () => {
    const message = metaContactsMessage({ from: FROM, id: 'wamid.nul', contacts: [{ name: { formatted_name: 'A\u0000na' }, 'k\u0000': 'v\u0000' }] });
    const d = normaliseMetaWebhook(metaEnvelope([message, metaTextMessage({ from: FROM, id: 'wamid.nul2', body: 'ho\u0000la' })], { contacts: [metaContact(FROM, 'Jo\u0000sé')] }));
    expect(d.messages[0].details).toEqual({ contacts: [{ name: { formatted_name: 'Ana' }, k: 'v' }] });
    expect(d.messages[1].text).toBe('hola');
    expect(d.messages[1].customerName).toBe('José');
    expect(JSON.stringify(d)).not.toContain('\\u0000');
  });

  it('cuts absurdly deep nesting instead of overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const m = one(metaContactsMessage({ from: FROM, id: 'wamid.deep', contacts: [deep] }));
    expect(m.kind).toBe('contacts');
    expect(JSON.stringify(m.details).length).toBeLessThan(200);
  });

  it('timestamps: unix seconds; missing, zero or absurd ones are "now"', () => {
    const at = (timestamp: unknown) => one(metaMessage({ from: FROM, id: `wamid.ts.${String(timestamp)}`, type: 'text', text: { body: 'x' }, timestamp: timestamp as string })).sentAt;
    expect(at('1767225600')).toEqual(AT);
    expect(at(1767225600)).toEqual(AT);
    for (const bad of [undefined, '0', '', 'abc', '-5', '1e300']) expect(Math.abs(at(bad).getTime() - Date.now())).toBeLessThan(5_000);
  });
});

describe('normaliseMetaWebhook: business-scoped user ids and usernames (2026)', () => {
  const U = 'CO.13491208655302741918';
  const PARENT = 'CO.ENT.11815799212886844830';
  const sender2026 = (s: Sender2026, id: string) => normaliseMetaWebhook(metaEnvelope2026([{ sender: s, message: metaText2026(s, id, 'hola') }]));

  it('phone + BSUID + parent + username: every id on the sender, the number as provisional key', () => {
    const m = onlyMessage(sender2026({ phone: FROM, bsuid: U, parentBsuid: PARENT, username: '@Ana.Tienda', name: 'Ana' }, 'wamid.2026.1'));
    expect(m.chatId).toBe(FROM);
    expect(m.sender).toEqual({ phone: FROM, bsuid: U, parentBsuid: PARENT, username: 'ana.tienda' });
    expect(m.customerName).toBe('Ana');
  });

  it('BSUID only (no `from`, no `wa_id`): a customer, keyed for now by the BSUID, named from the contact matched by user_id', () => {
    const other = { bsuid: 'CO.99887766554433221100', name: 'Otra' };
    const me = { bsuid: U, username: 'sin_numero', name: 'Caro' };
    const d = normaliseMetaWebhook(metaEnvelope2026([{ sender: other, message: metaText2026(other, 'wamid.2026.x', 'hola') }, { sender: me, message: metaText2026(me, 'wamid.2026.2', 'hola') }]));
    expect(d.messages[1]).toMatchObject({ chatId: U, sender: { bsuid: U, username: 'sin_numero' }, customerName: 'Caro' });
  });

  it('a BSUID that is not one (wrong shape) is not taken as one', () => {
    const d = normaliseMetaWebhook(metaEnvelope([{ from_user_id: 'not a bsuid', id: 'wamid.2026.3', type: 'text', text: { body: 'hola' }, timestamp: TS } as never], { contacts: [] }));
    expect(d.messages).toEqual([]);
    expect(d.skipped).toEqual([{ reason: 'message without a sender (from, from_user_id)' }]);
  });

  it('user_changed_user_id: the old BSUID names the sender, the new one is the change', () => {
    const m = onlyMessage(normaliseMetaWebhook(metaEnvelope([metaSystemUserIdChange({ oldBsuid: U, newBsuid: 'CO.55555555555555555555', id: 'wamid.2026.4', timestamp: TS })], { contacts: [] })));
    expect(m).toMatchObject({ kind: 'system', chatId: U, sender: { bsuid: U }, identityChange: { type: 'user_changed_user_id', bsuid: 'CO.55555555555555555555' } });
  });

  it('a system message beside another sender\'s message never takes that sender\'s contact (their number would merge two people)', () => {
    const ana = { phone: FROM, bsuid: 'CO.11111111111111111111', name: 'Ana' };
    const body = metaEnvelope2026([{ sender: ana, message: metaText2026(ana, 'wamid.2026.7', 'hola') }]);
    body.entry[0].changes[0].value.messages!.push(metaSystemUserIdChange({ oldBsuid: U, newBsuid: 'CO.55555555555555555555', id: 'wamid.2026.8' }));
    const d = normaliseMetaWebhook(body);
    expect(d.messages.map((m) => [m.providerMessageId, m.sender, m.customerName])).toEqual([
      ['wamid.2026.7', { phone: FROM, bsuid: 'CO.11111111111111111111' }, 'Ana'],
      ['wamid.2026.8', { bsuid: U }, undefined],
    ]);
  });

  it('user_changed_number with a new BSUID riding along', () => {
    const base = metaSystemNumberChange({ from: FROM, id: 'wamid.2026.5', timestamp: TS, newNumber: '573109998877', name: 'Pedro' });
    const change = { ...base, from_user_id: U, system: { ...(base.system as object), user_id: 'CO.66666666666666666666' } };
    const m = onlyMessage(normaliseMetaWebhook(metaEnvelope([change], { contacts: [] })));
    expect(m.sender).toEqual({ phone: FROM, bsuid: U });
    expect(m.identityChange).toEqual({ type: 'user_changed_number', phone: '573109998877', bsuid: 'CO.66666666666666666666' });
  });

  it('a status of a message sent to a BSUID: no recipient_id, recipient_user_id instead, per-message pricing', () => {
    const d = normaliseMetaWebhook(metaEnvelope([], { statuses: [metaStatus2026({ id: 'wamid.out.9', status: 'delivered', bsuid: U, timestamp: TS, pricing: { category: 'marketing' } })] }));
    expect(d.statuses).toEqual([{
      provider: 'meta', providerMessageId: 'wamid.out.9', status: 'delivered', at: AT, recipient: U, recipientUserId: U,
      pricing: { category: 'marketing', billable: true, model: 'PMP', type: 'regular' },
    }]);
  });

  it('pricing without `billable` (deprecated under per-message pricing) is billable when its type is regular', () => {
    const status = { id: 'wamid.out.10', status: 'sent', timestamp: TS, recipient_id: FROM, pricing: { pricing_model: 'PMP', category: 'SERVICE', type: 'free_customer_service' } };
    expect(normaliseMetaWebhook(metaEnvelope([], { statuses: [status] })).statuses[0].pricing).toEqual({ category: 'service', billable: false, model: 'PMP', type: 'free_customer_service' });
  });

  it('user_preferences: a marketing stop or resume, by number or BSUID; other categories are skipped with a reason', () => {
    const d = normaliseMetaWebhook(metaUserPreferences({ bsuid: U, value: 'stop', timestamp: 1767225600 }));
    expect(d.preferences).toEqual([{ provider: 'meta', sender: { bsuid: U }, choice: 'stop', at: AT, detail: 'User requested to stop marketing messages' }]);
    expect(d.skipped).toEqual([]);
    const body = metaUserPreferences({ phone: FROM, value: 'resume' });
    (body.entry[0].changes[0].value.user_preferences[0] as Record<string, unknown>).category = 'calls';
    expect(normaliseMetaWebhook(body).skipped).toEqual([{ reason: 'user preference category "calls" is not marketing_messages' }]);
  });

  it('the older form of user_preferences (a user_preference_changed system message) is read too', () => {
    const m = { from: FROM, id: 'wamid.2026.6', timestamp: TS, type: 'system', system: { body: 'User requested to stop marketing messages', marketing: 'stop', type: 'user_preference_changed' } };
    const d = normaliseMetaWebhook(metaEnvelope([m], { contacts: [metaContact(FROM, 'Ana')] }));
    expect(d.preferences).toEqual([{ provider: 'meta', sender: { phone: FROM }, choice: 'stop', at: AT, detail: 'User requested to stop marketing messages' }]);
  });
});
