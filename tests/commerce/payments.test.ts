import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCartLine, getCart } from '../../src/commerce/cart.ts';
import { checkoutKey, placeOrder, type CheckoutDetails } from '../../src/commerce/orders.ts';
import { createPaymentGateway } from '../../src/commerce/payments/create-gateway.ts';
import { attachPaymentLink } from '../../src/commerce/payments/record-payment.ts';
import { ordersWaitingForLinks, sendPaymentLinks } from '../../src/conversation/payment-links.ts';
import { touchGuestProfile } from '../../src/crm/profiles.ts';
import { startFakeWompi, wompiEvent, type FakeWompi } from '../support/fake-wompi.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Payment links and the payments webhook: a paid event marks the order paid exactly once and tells the
// customer; a bad signature changes nothing.

const KEY = 'prv_test_key';
const SECRET = 'test_events_secret';
let wompi: FakeWompi;
let p: Pipeline;
beforeAll(async () => {
  wompi = await startFakeWompi({ privateKey: KEY });
  // no maintenance stage: its sweep (every 500 ms here) would make the links this file makes and asserts itself
  p = await startPipeline({ stages: ['ingest', 'converse', 'outbound'], env: { PAYMENT_PROVIDER: 'wompi', PAYMENT_API_URL: wompi.url, PAYMENT_PRIVATE_KEY: KEY, PAYMENT_EVENTS_SECRET: SECRET } });
  await p.db.sql`INSERT INTO products (sku, name, price, stock) VALUES ('TEN-01', 'Tenis blancos', 180000, 20)`;
});
afterAll(async () => {
  await p?.stop();
  await wompi?.close();
});

const details: CheckoutDetails = { customerName: 'Ana Ruiz', deliveryAddress: 'Calle 10 # 43-20', shippingCode: 'express', paymentMethod: 'payment_link' };
let n = 0;
async function orderWithLink() {
  const phone = `57316${String(++n).padStart(5, '0')}`;
  await touchGuestProfile(p.db.sql, { phone, chatId: phone, name: 'Ana', at: new Date() });
  await changeCartLine(p.db.sql, phone, 'TEN-01', 1);
  const placed = await placeOrder(p.db.sql, phone, checkoutKey(phone, (await getCart(p.db.sql, phone)).version, details), details);
  if (!placed.ok) throw new Error('order not placed');
  const link = await createPaymentGateway(p.rt.config)!.createLink({ orderNumber: placed.order.orderNumber, amount: placed.order.total, description: 'Tenis blancos' });
  await attachPaymentLink(p.db.sql, placed.order.id, link);
  return { phone, order: placed.order, link };
}
const post = (body: unknown, provider = 'wompi') => p.postRaw(`/webhooks/payments/${provider}`, typeof body === 'string' ? body : JSON.stringify(body));
const toCustomer = (phone: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === phone);
const orderRow = async (id: number) => (await p.db.sql`SELECT status, payment_status, paid_at FROM orders WHERE id = ${id}`)[0];

describe('payment links', () => {
  it('are created at the gateway with the private key, the amount in cents and the order number', async () => {
    const { order, link } = await orderWithLink();
    expect(order.total).toBe(205_000); // 180,000 + express 25,000
    const made = wompi.links.find((l) => l.id === link.id)!;
    expect(made.auth).toBe(`Bearer ${KEY}`);
    expect(made.body).toMatchObject({ name: `Pedido ${order.orderNumber}`, amount_in_cents: 20_500_000, currency: 'COP', single_use: true, sku: String(order.orderNumber) });
    expect(link.url).toBe(`https://checkout.wompi.co/l/${link.id}`);
  });

  it('a gateway refusal is a readable error, not a crash', async () => {
    const { createWompiGateway } = await import('../../src/commerce/payments/wompi.ts');
    const wrong = createWompiGateway({ apiUrl: wompi.url, privateKey: 'nope', eventsSecret: SECRET, checkoutUrl: 'x/', currency: 'COP' });
    await expect(wrong.createLink({ orderNumber: 1, amount: 10, description: 'x' })).rejects.toThrow(/wompi answered 401/);
  });
});

describe('sending payment links after checkout', () => {
  it('makes the link, attaches it and sends it once; the sweep finds orders still waiting for one', async () => {
    const phone = `57316${String(++n).padStart(5, '0')}`;
    await touchGuestProfile(p.db.sql, { phone, chatId: phone, name: 'Ana', at: new Date() });
    await changeCartLine(p.db.sql, phone, 'TEN-01', 1);
    const placed = await placeOrder(p.db.sql, phone, checkoutKey(phone, (await getCart(p.db.sql, phone)).version, details), details);
    if (!placed.ok) throw new Error('order not placed');
    await p.db.sql`UPDATE orders SET created_at = now() - interval '1 minute' WHERE id = ${placed.order.id}`;
    expect(await ordersWaitingForLinks(p.db.sql, 30_000, 50)).toContain(placed.order.id);

    const gateway = createPaymentGateway(p.rt.config)!;
    expect(await sendPaymentLinks(p.db.sql, gateway, [placed.order.id])).toEqual([phone]);
    expect(await sendPaymentLinks(p.db.sql, gateway, [placed.order.id])).toEqual([]); // already has one
    expect(await ordersWaitingForLinks(p.db.sql, 30_000, 50)).not.toContain(placed.order.id);
    const [order] = await p.db.sql`SELECT payment_link_id, payment_url FROM orders WHERE id = ${placed.order.id}`;
    expect(wompi.links.map((l) => l.id)).toContain(order.payment_link_id);
    const notices = await p.db.sql<{ content: { text: string } }[]>`SELECT content FROM outbox WHERE chat_id = ${phone} AND inbound_id IS NULL`;
    expect(notices).toHaveLength(1);
    expect(notices[0].content.text).toContain(order.payment_url);
    expect(notices[0].content.text).toContain(`pedido #${placed.order.orderNumber}`);
  });
});

describe('POST /webhooks/payments/:provider', () => {
  it('a paid event marks the order paid once and tells the customer once; replays change nothing', async () => {
    const { phone, order, link } = await orderWithLink();
    const event = wompiEvent({ secret: SECRET, transactionId: `tx-${order.id}`, linkId: link.id, status: 'APPROVED', amountInCents: 20_500_000 });
    const first = await post(event);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ ok: true, outcome: 'paid' });
    expect(await orderRow(order.id)).toMatchObject({ status: 'paid', payment_status: 'paid' });
    expect(await until(() => toCustomer(phone).length === 1)).toBe(true);
    const text = (toCustomer(phone)[0].body as { text: { body: string } }).text.body;
    expect(text).toContain(`pedido #${order.orderNumber}`);
    expect(text).toContain('$205.000');

    for (let i = 0; i < 3; i++) expect(JSON.parse((await post(event)).body)).toEqual({ ok: true, outcome: 'replay' });
    // a replay that had queued a second notice would have written it before answering: none is pending or sent
    expect((await p.db.sql`SELECT count(*)::int AS n FROM outbox WHERE chat_id = ${phone}`)[0].n).toBe(1);
    expect(toCustomer(phone)).toHaveLength(1);
    expect((await p.db.sql`SELECT count(*)::int AS n FROM payment_events WHERE order_id = ${order.id}`)[0].n).toBe(1);
  });

  it('a bad signature or a tampered amount is a 401, and nothing is recorded or changed', async () => {
    const { order, link } = await orderWithLink();
    const good = wompiEvent({ secret: SECRET, transactionId: `tx-${order.id}`, linkId: link.id, status: 'APPROVED', amountInCents: 20_500_000 });
    const forged = wompiEvent({ secret: 'guessed', transactionId: `tx-${order.id}`, linkId: link.id, status: 'APPROVED', amountInCents: 20_500_000 });
    const tampered = { ...good, data: { transaction: { ...good.data.transaction, amount_in_cents: 100 } } };
    const unsigned = { ...good, signature: undefined };
    for (const body of [forged, tampered, unsigned]) expect((await post(body)).status).toBe(401);
    expect((await post('{"event":')).status).toBe(400);
    expect((await post(good, 'paypal')).status).toBe(404);
    expect(await orderRow(order.id)).toMatchObject({ status: 'confirmed', payment_status: 'pending', paid_at: null });
    expect((await p.db.sql`SELECT count(*)::int AS n FROM payment_events WHERE event_id LIKE ${`tx-${order.id}:%`}`)[0].n).toBe(0);
  });

  it('a declined payment and a wrong amount are recorded but do not mark the order paid', async () => {
    const { order, link } = await orderWithLink();
    const declined = wompiEvent({ secret: SECRET, transactionId: `tx-d-${order.id}`, linkId: link.id, status: 'DECLINED', amountInCents: 20_500_000 });
    expect(JSON.parse((await post(declined)).body).outcome).toBe('not_paid');
    const short = wompiEvent({ secret: SECRET, transactionId: `tx-s-${order.id}`, linkId: link.id, status: 'APPROVED', amountInCents: 1_000_000 });
    expect(JSON.parse((await post(short)).body).outcome).toBe('amount_mismatch');
    expect(await orderRow(order.id)).toMatchObject({ payment_status: 'pending' });
    const unknown = wompiEvent({ secret: SECRET, transactionId: 'tx-x', linkId: 'test_nope', status: 'APPROVED', amountInCents: 100 });
    expect(JSON.parse((await post(unknown)).body).outcome).toBe('unknown_order');
  });
});
