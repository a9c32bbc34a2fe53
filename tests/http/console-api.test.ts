import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCartLine } from '../../src/commerce/cart.ts';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { chatsApi } from '../../src/http/console/chats-api.ts';
import { actingOperator } from '../../src/http/console/acting-operator.ts';
import { graphErrorBody } from '../support/fake-graph.ts';
import { chatCustomer } from '../support/chat-customer.ts';
import { metaEnvelope, metaMedia, metaStatus, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// The console's conversation API over the whole pipeline: customers write through signed webhooks, the
// bot answers at the fake Graph API, and the operator reads, searches, replies, takes and gives back.

const TOKEN = 'console-api-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
let p: Pipeline;
let chat: ReturnType<typeof chatCustomer>;

const MARTA = '573640000001'; // with a cart, a label and a question about avena
const JULIAN = '573640000002'; // with an open order
const LUCIA = '573640000003'; // the operator answers her
const PEDRO = '573640000004'; // last wrote two days ago
const SOFIA = '573640000005'; // a refused reply, a picture and delivery ticks

const get = async (url: string) => {
  const res = await p.app.inject({ method: 'GET', url, headers: bearer });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
const post = async (url: string, payload?: unknown) => {
  const res = await p.app.inject({ method: 'POST', url, headers: { ...bearer, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, payload: payload === undefined ? undefined : JSON.stringify(payload) });
  return { status: res.statusCode, body: JSON.parse(res.body || '{}') };
};
const list = async (query = '') => {
  const res = await get(`/admin/api/chats${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: { chatId: string; name: string | null; labels: string[]; unread: number; holder: { by: string; name?: string | null }; hasCart: boolean; hasOpenOrder: boolean; last: { direction: string; text: string; operator: string | null } | null }[]; next: string | null; needingPerson: number };
};
const ids = (page: { items: { chatId: string }[] }) => page.items.map((c) => c.chatId);
const history = async (chatId: string) => {
  const res = await get(`/admin/api/chats/${chatId}/history`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Record<string, unknown>[];
};
const statusOfInbound = async (id: string) => (await p.db.sql<{ status: string }[]>`SELECT status FROM inbound_messages WHERE provider_message_id = ${id}`)[0]?.status;

beforeAll(async () => {
  p = await startPipeline({ env: { ADMIN_TOKEN: TOKEN, MESSAGE_BUFFER_MS: '0' } });
  chat = chatCustomer(p, 'console', 573640000100);
  await p.db.sql`INSERT INTO categories (slug, name, sort_order) VALUES ('mascotas', 'Mascotas', 1)`;
  await p.db.sql`INSERT INTO products (sku, name, description, category_id, price, stock)
                 VALUES ('CHA-AVE', 'Champú de avena', 'Para perros y gatos', (SELECT id FROM categories WHERE slug = 'mascotas'), 25000, 10)`;
  await refreshCatalogueViews(p.db.sql);
  // one message each, oldest first, so the list's order is known
  await p.postMeta(metaEnvelope([metaTextMessage({ from: PEDRO, id: 'wamid.c.pedro', body: 'hola', name: 'Pedro Pérez' })]));
  await p.postMeta(metaEnvelope([metaTextMessage({ from: JULIAN, id: 'wamid.c.julian', body: 'buenas', name: 'Julián' })]));
  await p.postMeta(metaEnvelope([metaTextMessage({ from: LUCIA, id: 'wamid.c.lucia', body: 'hola', name: 'Lucía' })]));
  // every reply so far sent, so the refusal below is Sofía's
  expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE status = 'sent'`).length === 3, 15_000)).toBe(true);
  p.graph.failNext(1, { status: 400, body: graphErrorBody(131026, 'Message undeliverable') });
  await p.postMeta(metaEnvelope([metaTextMessage({ from: SOFIA, id: 'wamid.c.sofia', body: 'hola', name: 'Sofía' })]));
  await p.postMeta(metaEnvelope([metaTextMessage({ from: MARTA, id: 'wamid.c.marta', body: '¿el champú de avena sirve para gatos?', name: 'María José' })]));
  expect(await until(async () => (await p.db.sql`SELECT 1 FROM inbound_messages WHERE status = 'handled'`).length === 5, 15_000)).toBe(true);
  expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE status = 'pending'`).length === 0, 15_000)).toBe(true);
  // Pedro last wrote two days ago: his 24 h window is closed
  await p.db.sql`UPDATE inbound_messages SET sent_at = now() - interval '2 days', received_at = now() - interval '2 days' WHERE chat_id = ${PEDRO}`;
  await p.db.sql`UPDATE guest_profiles SET last_interaction = now() - interval '2 days' WHERE phone_number = ${PEDRO}`;
  await changeCartLine(p.db.sql, MARTA, 'CHA-AVE', 2);
  await p.db.sql`UPDATE guest_profiles SET labels = '["VIP", "mascotas"]' WHERE phone_number = ${MARTA}`;
  const [order] = await p.db.sql<{ id: number }[]>`
    INSERT INTO orders (phone, idempotency_key, customer_name, delivery_address, shipping_code, shipping_cost, subtotal, total, payment_method)
    VALUES (${JULIAN}, 'console-test-1', 'Julián', 'Calle 1 # 2-3, Medellín', 'estandar', 12000, 25000, 37000, 'cash_on_delivery') RETURNING id`;
  await p.db.sql`INSERT INTO order_items (order_id, product_id, sku, name, unit_price, quantity) SELECT ${order.id}, id, sku, name, 25000, 1 FROM products WHERE sku = 'CHA-AVE'`;
}, 60_000);
afterAll(async () => { await p?.stop(); });

const ROUTES: [string, string][] = [
  ['GET', '/admin/api/chats'], ['GET', `/admin/api/chats/${MARTA}`], ['GET', `/admin/api/chats/${MARTA}/history`],
  ['POST', `/admin/api/chats/${MARTA}/read`], ['POST', `/admin/api/chats/${MARTA}/reply`], ['POST', `/admin/api/chats/${MARTA}/take`],
  ['POST', `/admin/api/chats/${MARTA}/resume`], ['POST', `/admin/api/chats/${MARTA}/labels`],
];

describe('strangers', () => {
  it('get 401 from every conversation route, and nothing changes', async () => {
    for (const [method, url] of ROUTES) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${Buffer.from('x:wrong').toString('base64')}` }]) {
        const res = await p.app.inject({ method: method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? '{"text":"hola","add":["x"]}' : undefined });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
    expect(await p.db.sql`SELECT 1 FROM handoffs`).toHaveLength(0);
    expect(await p.db.sql`SELECT 1 FROM outbox WHERE operator_name IS NOT NULL`).toHaveLength(0);
  });
});

describe('GET /admin/api/chats', () => {
  it('lists every chat, newest customer activity first, with who it is, the last message, who has it and unread counts', async () => {
    const page = await list();
    expect(ids(page)).toEqual([MARTA, SOFIA, LUCIA, JULIAN, PEDRO]);
    const marta = page.items[0];
    expect(marta).toMatchObject({ name: 'María José', labels: ['VIP', 'mascotas'], unread: 1, holder: { by: 'bot' }, hasCart: true, hasOpenOrder: false });
    // the bot answered last
    expect(marta.last).toMatchObject({ direction: 'out', operator: null });
    expect(marta.last!.text.length).toBeGreaterThan(0);
    expect(page.items.find((c) => c.chatId === JULIAN)).toMatchObject({ hasOpenOrder: true, hasCart: false });
    expect(page.needingPerson).toBe(0);
  });

  it('filters: a label (any case), an open cart, an open order, a person needed', async () => {
    expect(ids(await list('?label=vip'))).toEqual([MARTA]);
    expect(ids(await list('?filter=cart'))).toEqual([MARTA]);
    expect(ids(await list('?filter=order'))).toEqual([JULIAN]);
    expect(ids(await list('?filter=person'))).toEqual([]);
  });

  it('searches names without accents, numbers in any format, labels and the words customers wrote', async () => {
    expect(ids(await list('?q=maria%20jose'))).toEqual([MARTA]);
    expect(ids(await list('?q=JULIAN'))).toEqual([JULIAN]);
    expect(ids(await list(`?q=${encodeURIComponent('+57 364 000 0003')}`))).toEqual([LUCIA]);
    expect(ids(await list('?q=mascot'))).toEqual([MARTA]);
    expect(ids(await list('?q=champu%20de%20avena'))).toEqual([MARTA]);
    expect(ids(await list('?q=buenas'))).toEqual([JULIAN]);
    // the user's % is a percent sign, not a wildcard
    expect(ids(await list('?q=%25'))).toEqual([]);
    expect(ids(await list('?q=nadie%20dijo%20esto'))).toEqual([]);
  });

  it('pages with the cursor it gives, never repeating or skipping a chat', async () => {
    const first = await list('?limit=2');
    expect(ids(first)).toEqual([MARTA, SOFIA]);
    const second = await list(`?limit=2&before=${encodeURIComponent(first.next!)}`);
    const third = await list(`?limit=2&before=${encodeURIComponent(second.next!)}`);
    expect([...ids(second), ...ids(third)]).toEqual([LUCIA, JULIAN, PEDRO]);
    expect(third.next).toBeNull();
  });

  it('answers bad queries 400 with the reason', async () => {
    for (const [query, reason] of [['?filter=todas', /filter/], ['?limit=0', /limit/], ['?limit=1000', /limit/], ['?before=yesterday', /before/], [`?label=${'x'.repeat(65)}`, /label/]] as const) {
      const res = await get(`/admin/api/chats${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatch(reason);
    }
  });
});

describe('one chat', () => {
  it('shows the profile, full number, labels, cart, orders, the 24 h window and unread messages', async () => {
    const { status, body } = await get(`/admin/api/chats/${MARTA}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      chatId: MARTA, profile: { phoneNumber: MARTA, userName: 'María José', labels: ['VIP', 'mascotas'] },
      cart: { lines: [{ sku: 'CHA-AVE', quantity: 2 }], totals: { total: 50000 } }, orders: [], window: { open: true }, unread: 1, handoff: null,
    });
    const julian = (await get(`/admin/api/chats/${JULIAN}`)).body;
    expect(julian.orders).toMatchObject([{ status: 'confirmed', total: 37000, items: [{ sku: 'CHA-AVE', quantity: 1 }] }]);
    expect((await get(`/admin/api/chats/${PEDRO}`)).body.window).toMatchObject({ open: false });
    expect(await get('/admin/api/chats/573649999999')).toMatchObject({ status: 404, body: { error: 'no chat 573649999999' } });
    expect((await get('/admin/api/chats/%20x')).status).toBe(400);
  });

  it('marks a chat read up to its newest message', async () => {
    expect((await post(`/admin/api/chats/${MARTA}/read`)).status).toBe(200);
    expect((await get(`/admin/api/chats/${MARTA}`)).body.unread).toBe(0);
    expect((await list()).items[0].unread).toBe(0);
    await chat.say(MARTA, 'gracias');
    expect((await list()).items[0].unread).toBe(1);
    expect((await post('/admin/api/chats/573649999999/read')).status).toBe(404);
  });

  it('has the whole history: media placeholders, delivery and read ticks, refused sends with the provider’s reason', async () => {
    await p.postMeta(metaEnvelope([metaMedia({ from: SOFIA, id: 'wamid.c.sofia.photo', type: 'image', mediaId: 'media-1', mimeType: 'image/jpeg', caption: 'así llegó' })]));
    expect(await until(async () => ['handled', 'skipped'].includes((await statusOfInbound('wamid.c.sofia.photo')) ?? ''), 15_000)).toBe(true);
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${SOFIA} AND status = 'sent'`).length > 0, 15_000)).toBe(true);
    const [sent] = await p.db.sql<{ id: string }[]>`SELECT provider_message_id AS id FROM outbox WHERE chat_id = ${SOFIA} AND status = 'sent' ORDER BY id DESC LIMIT 1`;
    expect((await p.postMeta(metaEnvelope([], { statuses: [metaStatus({ id: sent.id, status: 'delivered', recipient: SOFIA }), metaStatus({ id: sent.id, status: 'read', recipient: SOFIA })] }))).status).toBe(200);

    const items = await history(SOFIA);
    const photo = items.find((i) => i.type === 'in' && i.kind === 'image');
    expect(photo).toMatchObject({ placeholder: 'Imagen', text: 'así llegó' });
    const refused = items.find((i) => i.type === 'out' && i.status === 'failed');
    expect(refused).toMatchObject({ operator: null, error: { provider: 'meta', code: 131026, meaning: { es: expect.stringMatching(/No entregable/) } } });
    expect(await until(async () => (await history(SOFIA)).some((i) => i.type === 'out' && i.status === 'read' && i.readAt !== null))).toBe(true);
    // oldest first, the customer's message before its answer
    const first = items[0];
    expect(first).toMatchObject({ type: 'in', text: 'hola' });
  });

  it('pages the history back with an item’s mark', async () => {
    const all = await history(SOFIA);
    const latest = (await get(`/admin/api/chats/${SOFIA}/history?limit=2`)).body;
    expect(latest.items).toEqual(all.slice(-2));
    expect(latest.more).toBe(true);
    const before = (await get(`/admin/api/chats/${SOFIA}/history?limit=500&before=${encodeURIComponent(String(latest.items[0].mark))}`)).body;
    expect([...before.items, ...latest.items]).toEqual(all);
    expect((await get(`/admin/api/chats/${SOFIA}/history?before=ayer`)).status).toBe(400);
  });
});

describe('replying as a person', () => {
  it('reaches the customer through the outbox and takes the chat, so the bot stays quiet', async () => {
    const sentBefore = chat.sentTo(LUCIA).length;
    const res = await post(`/admin/api/chats/${LUCIA}/reply`, { text: '  Hola Lucía, soy Ana de la tienda.  ' });
    expect(res).toMatchObject({ status: 202, body: { queued: true, chatId: LUCIA, took: true } });
    expect(await until(() => chat.sentTo(LUCIA).length > sentBefore)).toBe(true);
    expect(chat.sentTo(LUCIA).at(-1)!.body).toMatchObject({ to: LUCIA, type: 'text', text: { body: 'Hola Lucía, soy Ana de la tienda.' } });
    const [row] = await p.db.sql`SELECT operator_name, inbound_id, status FROM outbox WHERE id = ${res.body.outboxId}`;
    expect(row).toMatchObject({ operator_name: 'admin', inbound_id: null });
    expect((await list()).items.find((c) => c.chatId === LUCIA)).toMatchObject({ holder: { by: 'person', name: 'admin' }, unread: 0 });

    // the customer answers the person: stored, shown, not answered by the bot
    const replies = chat.sentTo(LUCIA).length;
    await chat.say(LUCIA, 'gracias Ana, ¿tienen envíos a Cali?', 0);
    expect(chat.sentTo(LUCIA).length).toBe(replies);
    const items = await history(LUCIA);
    expect(items.find((i) => i.type === 'out' && i.operator === 'admin')).toMatchObject({ text: 'Hola Lucía, soy Ana de la tienda.' });
    expect(items.find((i) => i.type === 'handoff' && i.event === 'started')).toMatchObject({ reason: 'taken', operator: 'admin', pausesBot: true });
    expect(items.at(-1)).toMatchObject({ type: 'in', status: 'skipped', text: 'gracias Ana, ¿tienen envíos a Cali?' });
  });

  it('is refused outside WhatsApp’s 24-hour window, with that reason, and writes nothing', async () => {
    const res = await post(`/admin/api/chats/${PEDRO}/reply`, { text: 'Hola Pedro' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'outside_window', templates: false });
    expect(res.body.error).toMatch(/24-hour window.*template/);
    expect(Date.parse(res.body.lastInboundAt)).toBeLessThan(Date.now() - 47 * 3600_000);
    expect(await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${PEDRO} AND operator_name IS NOT NULL`).toHaveLength(0);
    expect(await p.db.sql`SELECT 1 FROM handoffs WHERE chat_id = ${PEDRO}`).toHaveLength(0);
  });

  it('answers a bad body 400 with the reason, an unknown chat 404', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /text is required/], [{ text: '   ' }, /text is blank/], [{ text: 123 }, /text must be a string/],
      [{ text: 'hola', to: '57300' }, /unknown field to/], [{ text: 'x'.repeat(4097) }, /at most 4096/], [['hola'], /JSON object/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(`/admin/api/chats/${JULIAN}/reply`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(reason);
    }
    expect((await post('/admin/api/chats/573649999999/reply', { text: 'hola' })).status).toBe(404);
    expect(await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${JULIAN} AND operator_name IS NOT NULL`).toHaveLength(0);
  });
});

describe('taking a chat from the bot and giving it back', () => {
  it('pauses the bot until the chat is given back; both are recorded with the operator', async () => {
    const taken = await post(`/admin/api/chats/${JULIAN}/take`);
    expect(taken).toMatchObject({ status: 200, body: { changed: true, operator: 'admin' } });
    expect((await post(`/admin/api/chats/${JULIAN}/take`)).body.changed).toBe(false); // already theirs
    expect(ids(await list('?filter=person'))).toEqual(expect.arrayContaining([JULIAN, LUCIA]));
    const replies = chat.sentTo(JULIAN).length;
    await chat.say(JULIAN, 'hola?', 0);
    expect(chat.sentTo(JULIAN).length).toBe(replies);

    expect(await post(`/admin/api/chats/${JULIAN}/resume`)).toMatchObject({ status: 200, body: { resumed: true, handoffId: taken.body.handoffId } });
    const [h] = await p.db.sql`SELECT ended_by, ended_by_name, taken_by FROM handoffs WHERE id = ${taken.body.handoffId}`;
    expect(h).toEqual({ ended_by: 'operator', ended_by_name: 'admin', taken_by: 'admin' });
    // the bot answers again
    expect(await chat.say(JULIAN, 'quiero ver el catálogo')).toHaveLength(1);
    const events = (await history(JULIAN)).filter((i) => i.type === 'handoff').map((i) => [i.event, i.operator]);
    expect(events).toEqual([['started', 'admin'], ['ended', 'admin']]);

    expect(await post(`/admin/api/chats/${JULIAN}/resume`)).toMatchObject({ status: 409, body: { error: expect.stringMatching(/bot already has/) } });
    expect((await post('/admin/api/chats/573649999999/take')).status).toBe(404);
    expect((await post('/admin/api/chats/573649999999/resume')).status).toBe(404);
  });
});

describe('labels', () => {
  it('adds and removes, records who changed what, and shows it in the history', async () => {
    await p.db.sql`UPDATE guest_profiles SET labels = '[]' WHERE phone_number = ${SOFIA}`;
    expect(await post(`/admin/api/chats/${SOFIA}/labels`, { add: ['reclamo', 'VIP'] })).toMatchObject({ status: 200, body: { labels: ['reclamo', 'VIP'] } });
    expect(await post(`/admin/api/chats/${SOFIA}/labels`, { add: ['vip'], remove: ['RECLAMO'] })).toMatchObject({ status: 200, body: { labels: ['VIP'] } });
    const changes = await p.db.sql`SELECT operator_name, added, removed FROM label_changes WHERE chat_id = ${SOFIA} ORDER BY id`;
    // adding vip to a chat labelled VIP changes nothing, so only the removal is recorded
    expect(changes).toEqual([{ operator_name: 'admin', added: ['reclamo', 'VIP'], removed: [] }, { operator_name: 'admin', added: [], removed: ['reclamo'] }]);
    expect((await history(SOFIA)).filter((i) => i.type === 'labels')).toMatchObject([{ operator: 'admin', added: ['reclamo', 'VIP'] }, { removed: ['reclamo'] }]);
    expect(ids(await list('?label=VIP'))).toEqual(expect.arrayContaining([SOFIA, MARTA]));
  });

  it('answers a bad body 400 with the reason', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /at least one of add, remove/], [{ add: 'vip' }, /add must be a list/], [{ add: [''] }, /blank/], [{ add: [7] }, /must be a string/],
      [{ labels: ['vip'] }, /unknown field labels/], [{ add: Array.from({ length: 51 }, (_, i) => `l${i}`) }, /at most 50/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(`/admin/api/chats/${SOFIA}/labels`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(reason);
    }
    expect((await post('/admin/api/chats/573649999999/labels', { add: ['x'] })).status).toBe(404);
  });
});

describe('the acting operator', () => {
  it('is the signed-in operator when the request carries one, else admin', async () => {
    expect(actingOperator({} as never)).toBe('admin');
    expect(actingOperator({ operator: { id: 3, name: '  Ana  ' } } as never)).toBe('Ana');
    expect(actingOperator({ operator: { id: null, name: '' } } as never)).toBe('admin');
  });

  it('names the operator on replies, take-overs, resumes and label changes', async () => {
    const app = Fastify();
    app.addHook('onRequest', async (request) => { request.operator = { id: 7, name: 'Ana Gómez' }; });
    await app.register(chatsApi, { sql: p.db.sql, sendQueued: async () => {}, resumeAfterMs: 3600_000 });
    try {
      const go = (url: string, payload?: unknown) => app.inject({ method: 'POST', url, ...(payload ? { payload: payload as object } : {}) });
      expect((await go(`/admin/api/chats/${MARTA}/take`)).statusCode).toBe(200);
      expect((await go(`/admin/api/chats/${MARTA}/reply`, { text: 'Te atiende Ana' })).statusCode).toBe(202);
      expect((await go(`/admin/api/chats/${MARTA}/labels`, { add: ['atendida'] })).statusCode).toBe(200);
      expect((await go(`/admin/api/chats/${MARTA}/resume`)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const items = await history(MARTA);
    expect(items.filter((i) => i.type !== 'in' && (i.operator ?? null) !== null).map((i) => [i.type, i.type === 'handoff' ? i.event : '', i.operator]))
      .toEqual([['handoff', 'started', 'Ana Gómez'], ['out', '', 'Ana Gómez'], ['labels', '', 'Ana Gómez'], ['handoff', 'ended', 'Ana Gómez']]);
  });
});
