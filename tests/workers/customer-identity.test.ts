import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { insertNotice } from '../../src/db/outbox.ts';
import { enqueueOutbound } from '../../src/queues/enqueue.ts';
import { setPrice } from '../../src/billing/prices.ts';
import { registry } from '../../src/metrics/registry.ts';
import {
  metaEnvelope, metaEnvelope2026, metaMessage2026, metaStatus2026, metaSystemNumberChange, metaSystemUserIdChange, metaText2026,
  metaTextMessage, metaUserPreferences, type Sender2026,
} from '../support/meta-payloads.ts';
import type { RecordedCall } from '../support/fake-graph.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Issue 14, end to end: customers known by phone number, business-scoped user id (BSUID), username, or
// all of them, through signed webhooks in the shapes Meta sends in 2026, replies at the fake Graph API,
// state in PostgreSQL. One customer whatever the id; replies to the number when known, else to `recipient`.

const ADMIN = 'identity-admin-token';
let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline({ env: { ADMIN_TOKEN: ADMIN } });
  await p.db.sql`INSERT INTO categories (slug, name, sort_order) VALUES ('ropa', 'Ropa', 1)`;
  await p.db.sql`INSERT INTO products (sku, name, description, category_id, price, stock)
                 VALUES ('CAM-BLA', 'Camiseta blanca', 'Camiseta básica de algodón', (SELECT id FROM categories WHERE slug = 'ropa'), 35000, 20)`;
  await refreshCatalogueViews(p.db.sql);
});
afterAll(async () => { await p?.stop(); });

let n = 0;
const wamid = () => `wamid.identity.${++n}`;
const phone = () => `5731${String(++n).padStart(8, '0')}`;
const bsuid = () => `CO.${String(++n).padStart(4, '0')}491208655302741918`;
type Body = { to?: string; recipient?: string; recipient_type?: string; text?: { body: string }; interactive?: { body: { text: string } } };
const bodyOf = (s: { body: unknown }) => s.body as Body;
const textOf = (s: { body: unknown }) => bodyOf(s).text?.body ?? bodyOf(s).interactive?.body.text ?? '';
const toPhone = (to: string) => p.graph.sent.filter((s) => bodyOf(s).to === to);
const toBsuid = (recipient: string) => p.graph.sent.filter((s) => bodyOf(s).recipient === recipient);

/** Post a delivery and wait for `count` more replies to arrive at `where`. */
async function deliver(body: unknown, where: () => RecordedCall[], count = 1) {
  const before = where().length;
  expect((await p.postMeta(body)).status).toBe(200);
  expect(await until(() => where().length >= before + count, 10_000)).toBe(true);
  return where().slice(before);
}
const say2026 = (s: Sender2026, text: string) =>
  deliver(metaEnvelope2026([{ sender: s, message: metaText2026(s, wamid(), text) }]), () => (s.phone ? toPhone(s.phone) : toBsuid(s.bsuid)));
const keyOf = async (kind: string, value: string) =>
  (await p.db.sql<{ key: string }[]>`SELECT customer_key AS key FROM customer_identities WHERE kind = ${kind} AND value = ${value}`)[0]?.key;
const idsOf = async (key: string) =>
  p.db.sql<{ kind: string; value: string; current: boolean }[]>`
    SELECT kind, value, retired_at IS NULL AS current FROM customer_identities WHERE customer_key = ${key} ORDER BY kind, value`;
const chatsOf = async (ids: string[]) => (await p.db.sql<{ chat: string }[]>`
  SELECT DISTINCT chat_id AS chat FROM inbound_messages WHERE provider_message_id = ANY(${ids}::text[])`).map((r) => r.chat);
async function putInCart(key: string, quantity = 1) {
  await p.db.sql`INSERT INTO carts (phone) VALUES (${key}) ON CONFLICT DO NOTHING`;
  await p.db.sql`INSERT INTO cart_items (phone, product_id, quantity) VALUES (${key}, (SELECT id FROM products WHERE sku = 'CAM-BLA'), ${quantity})
                 ON CONFLICT (phone, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`;
}
async function placeOrder(key: string): Promise<number> {
  const [o] = await p.db.sql<{ orderNumber: number }[]>`
    INSERT INTO orders (phone, idempotency_key, customer_name, delivery_address, shipping_code, shipping_cost, subtotal, total, payment_method)
    VALUES (${key}, ${'k-' + key + n++}, 'Ana', 'Calle 1 # 2-3, Cali', 'estandar', 12000, 35000, 47000, 'cash_on_delivery') RETURNING order_number AS "orderNumber"`;
  return o.orderNumber;
}
const idle = (key: string) => until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${key} AND status = 'pending'`).length === 0);

describe('inbound: any combination of ids is one customer', () => {
  it('phone only (the payload before 2026): the number is the key and the reply goes to it', async () => {
    const to = phone();
    const [reply] = await deliver(metaEnvelope([metaTextMessage({ from: to, id: wamid(), body: 'hola' })]), () => toPhone(to));
    expect(bodyOf(reply)).toMatchObject({ to, recipient_type: 'individual' });
    expect(bodyOf(reply).recipient).toBeUndefined();
    expect(await idsOf(to)).toEqual([{ kind: 'phone', value: to, current: true }]);
  });

  it('phone + BSUID + username: all three name one customer, keyed by the number; the reply goes to the number', async () => {
    const s = { phone: phone(), bsuid: bsuid(), username: 'Ana.Tienda', name: 'Ana' };
    const [reply] = await say2026(s, 'hola');
    expect(bodyOf(reply).to).toBe(s.phone);
    expect(bodyOf(reply).recipient).toBeUndefined();
    expect(await idsOf(s.phone)).toEqual([
      { kind: 'bsuid', value: s.bsuid, current: true },
      { kind: 'phone', value: s.phone, current: true },
      { kind: 'username', value: 'ana.tienda', current: true },
    ]);
  });

  it('a customer who wrote with a number and later only with their BSUID keeps cart, orders, labels and history', async () => {
    const s = { phone: phone(), bsuid: bsuid(), username: 'beto', name: 'Beto' };
    const first = wamid();
    await deliver(metaEnvelope2026([{ sender: s, message: metaText2026(s, first, 'hola') }]), () => toPhone(s.phone));
    await idle(s.phone);
    await putInCart(s.phone, 2);
    const order = await placeOrder(s.phone);
    await p.db.sql`UPDATE guest_profiles SET labels = labels || '["vip"]' WHERE phone_number = ${s.phone}`;

    // Meta withholds the number now: only the BSUID and the username
    const hidden = { bsuid: s.bsuid, username: 'beto', name: 'Beto' };
    const cartId = wamid();
    const [cart] = await deliver(metaEnvelope2026([{ sender: hidden, message: metaText2026(hidden, cartId, 'ver carrito') }]), () => toPhone(s.phone));
    // the number is still known, so the reply goes there (Meta asks for the number when there is one)
    expect(bodyOf(cart).recipient).toBeUndefined();
    expect(textOf(cart)).toContain('Camiseta blanca');
    await idle(s.phone);
    const [status] = await deliver(metaEnvelope2026([{ sender: hidden, message: metaText2026(hidden, wamid(), '¿cómo va mi pedido?') }]), () => toPhone(s.phone));
    expect(textOf(status)).toContain(String(order));
    expect(await chatsOf([first, cartId])).toEqual([s.phone]);
    const [guest] = await p.db.sql<{ labels: string[] }[]>`SELECT labels FROM guest_profiles WHERE phone_number = ${s.phone}`;
    expect(guest.labels).toContain('vip');
    const history = await p.db.sql`SELECT 1 FROM conversation_history WHERE chat_id = ${s.phone} AND direction = 'in'`;
    expect(history.length).toBe(3);
  });

  it('BSUID only (a username, no number): answered through `recipient`, never with the BSUID in `to`', async () => {
    const s = { bsuid: bsuid(), username: 'sin_numero', name: 'Caro' };
    const [reply] = await say2026(s, 'hola');
    expect(bodyOf(reply)).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', recipient: s.bsuid });
    expect(bodyOf(reply).to).toBeUndefined();
    expect(p.graph.dropped).toEqual([]); // nothing Meta would have taken and thrown away
    expect(await keyOf('bsuid', s.bsuid)).toBe(s.bsuid);
    const [guest] = await p.db.sql<{ chatId: string; userName: string }[]>`SELECT chat_id AS "chatId", user_name AS "userName" FROM guest_profiles WHERE phone_number = ${s.bsuid}`;
    expect(guest).toEqual({ chatId: s.bsuid, userName: 'Caro' });
  });

  it('several deliveries of a brand-new customer at once make one customer', async () => {
    const s = { phone: phone(), bsuid: bsuid(), name: 'Dani' };
    const ids = [wamid(), wamid(), wamid(), wamid(), wamid()];
    const results = await Promise.all(ids.map((id) => p.postMeta(metaEnvelope2026([{ sender: s, message: metaText2026(s, id, 'hola') }]))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await chatsOf(ids)).toEqual([s.phone]);
    expect((await idsOf(s.phone)).map((i) => i.kind)).toEqual(['bsuid', 'phone']);
  });

  it('a customer known only by number and another only by BSUID, joined by a message naming both, become one (the first keeps its key)', async () => {
    const number = phone();
    const u = bsuid();
    await deliver(metaEnvelope([metaTextMessage({ from: number, id: wamid(), body: 'hola' })]), () => toPhone(number));
    await idle(number);
    const order = await placeOrder(number);
    await p.db.sql`UPDATE guest_profiles SET labels = '["vip"]' WHERE phone_number = ${number}`;
    const hidden = { bsuid: u, name: 'Eva' };
    const bsuidOnly = wamid();
    await deliver(metaEnvelope2026([{ sender: hidden, message: metaText2026(hidden, bsuidOnly, 'hola') }]), () => toBsuid(u));
    await idle(u);
    await putInCart(u, 3);
    await p.db.sql`INSERT INTO chat_reads (chat_id, read_up_to, read_by) VALUES (${u}, now(), 'Sofía')`;
    await p.db.sql`INSERT INTO label_changes (chat_id, operator_name, added) VALUES (${u}, 'Sofía', '{vip}')`;

    const both = { phone: number, bsuid: u, name: 'Eva' };
    const [cart] = await deliver(metaEnvelope2026([{ sender: both, message: metaText2026(both, wamid(), 'ver carrito') }]), () => toPhone(number));
    expect(textOf(cart)).toContain('Camiseta blanca');
    expect(await chatsOf([bsuidOnly])).toEqual([number]);
    expect(await idsOf(number)).toEqual([{ kind: 'bsuid', value: u, current: true }, { kind: 'phone', value: number, current: true }]);
    const [merged] = await p.db.sql`
      SELECT (SELECT count(*)::int FROM customers WHERE phone = ${u}) AS "bsuidCustomers",
             (SELECT quantity FROM cart_items WHERE phone = ${number}) AS quantity,
             (SELECT labels FROM guest_profiles WHERE phone_number = ${number}) AS labels,
             (SELECT phone FROM orders WHERE order_number = ${order}) AS "orderOf"`;
    expect(merged).toEqual({ bsuidCustomers: 0, quantity: 3, labels: expect.arrayContaining(['vip']), orderOf: number });
    // the console's records of the chat follow it
    const [consoleRecords] = await p.db.sql`
      SELECT (SELECT read_by FROM chat_reads WHERE chat_id = ${number}) AS "readBy",
             (SELECT count(*)::int FROM label_changes WHERE chat_id = ${number}) AS "labelChanges",
             (SELECT count(*)::int FROM chat_reads WHERE chat_id = ${u}) + (SELECT count(*)::int FROM label_changes WHERE chat_id = ${u}) AS "leftBehind"`;
    expect(consoleRecords).toEqual({ readBy: 'Sofía', labelChanges: 1, leftBehind: 0 });
  });
});

describe('inbound: id and number changes', () => {
  it('user_changed_number: replies go to the new number, and the customer keeps their cart', async () => {
    const s = { phone: phone(), bsuid: bsuid(), name: 'Fer' };
    await say2026(s, 'hola');
    await idle(s.phone);
    await putInCart(s.phone);
    const newNumber = phone();
    const change = { ...metaSystemNumberChange({ from: s.phone, id: wamid(), newNumber, name: 'Fer' }), from_user_id: s.bsuid };
    expect((await p.postMeta(metaEnvelope([change], { contacts: [] }))).status).toBe(200);
    await until(async () => (await keyOf('phone', newNumber)) === s.phone);
    // the old BSUID retires with the old number: WhatsApp gives a new one with a new number
    expect(await idsOf(s.phone)).toEqual(expect.arrayContaining([
      { kind: 'bsuid', value: s.bsuid, current: false },
      { kind: 'phone', value: newNumber, current: true },
      { kind: 'phone', value: s.phone, current: false },
    ]));
    // a message naming only the BSUID: its reply goes to the number the change gave, read when sending
    const hidden = { bsuid: s.bsuid, name: 'Fer' };
    const [cart] = await deliver(metaEnvelope2026([{ sender: hidden, message: metaText2026(hidden, wamid(), 'ver carrito') }]), () => toPhone(newNumber));
    expect(textOf(cart)).toContain('Camiseta blanca');
    expect(toPhone(s.phone).length).toBe(1); // only the greeting, before the change
    await idle(s.phone);
    // the new number with its new BSUID: the same customer, not someone who got a recycled number
    const renewed = { phone: newNumber, bsuid: bsuid(), name: 'Fer' };
    const [again] = await say2026(renewed, 'ver carrito');
    expect(textOf(again)).toContain('Camiseta blanca');
    expect(await keyOf('bsuid', renewed.bsuid)).toBe(s.phone);
    // the same change delivered again later changes nothing
    expect((await p.postMeta(metaEnvelope([change], { contacts: [] }))).status).toBe(200);
    expect((await idsOf(s.phone)).filter((i) => i.current).map((i) => i.value)).toEqual([renewed.bsuid, newNumber]);
  });

  it('user_changed_user_id: the new BSUID reaches the same customer, and replies go to it', async () => {
    const old = { bsuid: bsuid(), name: 'Gabi' };
    await say2026(old, 'hola');
    await idle(old.bsuid);
    await putInCart(old.bsuid);
    const renewed = bsuid();
    expect((await p.postMeta(metaEnvelope([metaSystemUserIdChange({ oldBsuid: old.bsuid, newBsuid: renewed, id: wamid() })], { contacts: [] }))).status).toBe(200);
    await until(async () => (await keyOf('bsuid', renewed)) === old.bsuid);
    const [cart] = await say2026({ bsuid: renewed, name: 'Gabi' }, 'ver carrito');
    expect(textOf(cart)).toContain('Camiseta blanca');
    expect(bodyOf(cart)).toMatchObject({ recipient: renewed });
    expect(toBsuid(old.bsuid).length).toBe(1); // nothing more to the retired id
  });
});

describe('statuses and billing', () => {
  it('a status naming only recipient_user_id moves the reply on and records its billing; a later one teaches the number', async () => {
    const s = { bsuid: bsuid(), name: 'Hugo' };
    const [reply] = await say2026(s, 'hola');
    await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${s.bsuid} AND status = 'sent'`).length === 1);
    const id = reply.responseId!;
    const delivered = metaStatus2026({ id, status: 'delivered', bsuid: s.bsuid, pricing: { category: 'service', type: 'free_customer_service' } });
    expect((await p.postMeta(metaEnvelope([], { statuses: [delivered] }))).status).toBe(200);
    const [row] = await p.db.sql`SELECT status FROM outbox WHERE provider_message_id = ${id}`;
    expect(row.status).toBe('delivered');
    const [bill] = await p.db.sql`SELECT category, billable, pricing_model, pricing_type, country, delivered_at IS NOT NULL AS delivered FROM message_billing WHERE provider_message_id = ${id}`;
    expect(bill).toEqual({ category: 'service', billable: false, pricing_model: 'PMP', pricing_type: 'free_customer_service', country: 'CO', delivered: true });

    // the read receipt names the number too: the customer is now reachable by number, which Meta prefers
    const number = phone();
    const read = metaStatus2026({ id, status: 'read', bsuid: s.bsuid, phone: number });
    expect((await p.postMeta(metaEnvelope([], { statuses: [read] }))).status).toBe(200);
    expect(await keyOf('phone', number)).toBe(s.bsuid);
    await idle(s.bsuid);
    const [next] = await deliver(metaEnvelope2026([{ sender: s, message: metaText2026(s, wamid(), 'hola otra vez') }]), () => toPhone(number));
    expect(bodyOf(next).recipient).toBeUndefined();
  });

  it('estimates what billable messages cost from the price table, by category and country, on the dashboard and in Prometheus', async () => {
    await setPrice(p.db.sql, 'marketing', 'CO', '0.0125');
    await setPrice(p.db.sql, 'marketing', '*', '0.0500');
    const co = phone();
    const [reply] = await deliver(metaEnvelope([metaTextMessage({ from: co, id: wamid(), body: 'hola' })]), () => toPhone(co));
    const mx = `52${String(++n).padStart(10, '0')}`;
    await p.postMeta(metaEnvelope([], {
      statuses: [
        metaStatus2026({ id: reply.responseId!, status: 'sent', phone: co, pricing: { category: 'marketing' } }),
        metaStatus2026({ id: reply.responseId!, status: 'delivered', phone: co, pricing: { category: 'marketing' } }),
        metaStatus2026({ id: 'wamid.campaign.mx', status: 'delivered', phone: mx, pricing: { category: 'marketing' } }),
        metaStatus2026({ id: 'wamid.campaign.util', status: 'delivered', phone: co, pricing: { category: 'utility' } }),
      ],
    }));
    const bills = await p.db.sql`SELECT provider_message_id AS id, country, price_usd::float8 AS price FROM message_billing WHERE provider_message_id = ANY(${[reply.responseId!, 'wamid.campaign.mx', 'wamid.campaign.util']}::text[]) ORDER BY id`;
    expect(bills).toEqual([
      { id: 'wamid.campaign.mx', country: 'MX', price: 0.05 },
      { id: 'wamid.campaign.util', country: 'CO', price: null },
      { id: reply.responseId!, country: 'CO', price: 0.0125 },
    ]);
    const res = await p.app.inject({ url: '/admin/api/dashboard', headers: { authorization: `Bearer ${ADMIN}` } });
    const { whatsapp } = res.json() as { whatsapp: { costUsd: number; unpriced: number; byCategory: Record<string, { messages: number; billable: number; charged: number; costUsd: number }> } };
    expect(whatsapp.byCategory.marketing).toMatchObject({ messages: 2, billable: 2, charged: 2, costUsd: 0.0625 });
    expect(whatsapp.byCategory.utility).toMatchObject({ charged: 1, costUsd: 0 });
    expect(whatsapp.unpriced).toBe(1);
    const text = await registry.metrics();
    const value = (line: RegExp) => Number(text.split('\n').find((l) => line.test(l))?.split(' ').pop());
    expect(value(/^wa_whatsapp_estimated_cost_usd_total\{category="marketing"\}/)).toBeCloseTo(0.0625, 6);
    expect(value(/^wa_whatsapp_messages_total\{category="marketing",billable="true"\}/)).toBe(2);
    expect(value(/^wa_whatsapp_unpriced_messages_total\{category="utility"\}/)).toBe(1);
  });
});

describe('outbound: templates a business-scoped id cannot receive', () => {
  it('an authentication template to a customer known only by BSUID is refused with its reason, never sent; a marketing one goes to `recipient`', async () => {
    const s = { bsuid: bsuid(), name: 'Iris' };
    await say2026(s, 'hola');
    await idle(s.bsuid);
    const attempts = p.graph.attempts.length;
    await insertNotice(p.db.sql, s.bsuid, { type: 'template', name: 'codigo_acceso', language: 'es', category: 'authentication' });
    await enqueueOutbound(p.rt.queues, s.bsuid);
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${s.bsuid} AND status = 'failed'`).length === 1)).toBe(true);
    const [failed] = await p.db.sql`SELECT error_code, error_title FROM outbox WHERE chat_id = ${s.bsuid} AND status = 'failed'`;
    expect(failed.error_code).toBe(131062);
    expect(failed.error_title).toMatch(/needs the customer's phone number/);
    expect(p.graph.attempts.length).toBe(attempts);

    await insertNotice(p.db.sql, s.bsuid, { type: 'template', name: 'novedades', language: 'es', category: 'marketing' });
    await enqueueOutbound(p.rt.queues, s.bsuid);
    expect(await until(() => toBsuid(s.bsuid).some((c) => (c.body as { type?: string }).type === 'template'))).toBe(true);
  });
});

describe('opt-outs from WhatsApp settings (user_preferences)', () => {
  it('a stop is recorded as a typed opt-out is; a resume undoes it; a typed STOP stands', async () => {
    const s = { phone: phone(), bsuid: bsuid(), name: 'Juan' };
    await say2026(s, 'hola');
    await idle(s.phone);
    const state = async () => (await p.db.sql`
      SELECT c.opted_out_at IS NOT NULL AS out, c.opted_out_source AS source, g.labels ? 'no_contactar' AS labelled
        FROM customers c JOIN guest_profiles g ON g.phone_number = c.phone WHERE c.phone = ${s.phone}`)[0];
    // named by BSUID only, as Meta may
    expect((await p.postMeta(metaUserPreferences({ bsuid: s.bsuid, value: 'stop' }))).status).toBe(200);
    expect(await state()).toEqual({ out: true, source: 'user_preferences', labelled: true });
    expect((await p.postMeta(metaUserPreferences({ phone: s.phone, bsuid: s.bsuid, value: 'resume', timestamp: Math.floor(Date.now() / 1000) + 5 }))).status).toBe(200);
    expect(await state()).toEqual({ out: false, source: null, labelled: false });

    await deliver(metaEnvelope2026([{ sender: s, message: metaText2026(s, wamid(), 'STOP') }]), () => toPhone(s.phone));
    await idle(s.phone);
    expect((await p.postMeta(metaUserPreferences({ bsuid: s.bsuid, value: 'resume', timestamp: Math.floor(Date.now() / 1000) + 10 }))).status).toBe(200);
    expect(await state()).toEqual({ out: true, source: 'typed', labelled: true });
  });

  it('a stop for a customer never seen before is kept for when they write', async () => {
    const u = bsuid();
    expect((await p.postMeta(metaUserPreferences({ bsuid: u, value: 'stop' }))).status).toBe(200);
    const [c] = await p.db.sql`SELECT opted_out_source FROM customers WHERE phone = ${u}`;
    expect(c.opted_out_source).toBe('user_preferences');
    const s = { bsuid: u, name: 'Kim' };
    await say2026(s, 'hola');
    const [still] = await p.db.sql`SELECT opted_out_at IS NOT NULL AS out FROM customers WHERE phone = ${u}`;
    expect(still.out).toBe(true);
  });
});

describe('parent BSUIDs', () => {
  it('a message naming a parent BSUID links it; a later message with only the parent finds the customer', async () => {
    const parent = `CO.ENT.${String(++n).padStart(4, '0')}815799212886844830`;
    const s = { bsuid: bsuid(), parentBsuid: parent, name: 'Lía' };
    await say2026(s, 'hola');
    await idle(s.bsuid);
    const onlyParent = metaMessage2026({ bsuid: s.bsuid, parentBsuid: parent }, { id: wamid(), text: { body: 'hola de nuevo' } });
    delete (onlyParent as { from_user_id?: string }).from_user_id;
    const ids = [onlyParent.id];
    expect((await p.postMeta(metaEnvelope([onlyParent], { contacts: [{ profile: { name: 'Lía' }, parent_user_id: parent }] }))).status).toBe(200);
    expect(await until(async () => (await chatsOf(ids)).length === 1)).toBe(true);
    expect(await chatsOf(ids)).toEqual([s.bsuid]);
  });
});

describe('operators find a customer by any of their ids', () => {
  it('GET /admin/api/customers/:id takes a number, a BSUID or an @username, and answers with the one customer and their ids', async () => {
    const s = { phone: phone(), bsuid: bsuid(), username: 'Mia.Shop', name: 'Mía' };
    await say2026(s, 'hola');
    const get = (id: string) => p.app.inject({ url: `/admin/api/customers/${encodeURIComponent(id)}`, headers: { authorization: `Bearer ${ADMIN}` } });
    for (const id of [s.phone, s.bsuid, '@mia.shop', '@Mia.Shop']) {
      const res = await get(id);
      expect(res.statusCode, id).toBe(200);
      expect(res.json()).toMatchObject({ key: s.phone, profile: { phoneNumber: s.phone, userName: 'Mía' } });
    }
    expect((await get(s.bsuid)).json().identities).toEqual([
      { kind: 'bsuid', value: s.bsuid, current: true }, { kind: 'phone', value: s.phone, current: true }, { kind: 'username', value: 'mia.shop', current: true },
    ]);
    expect((await get('@nadie')).statusCode).toBe(404);
    expect((await get('mia.shop')).statusCode).toBe(400); // a username is written with its @
  });
});
