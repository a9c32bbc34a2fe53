import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { endHandoff } from '../../src/crm/handoffs.ts';
import { rateLimitKeys } from '../../src/crm/rate-limit-script.ts';
import { metaButtonReply, metaEnvelope, metaListReply, metaOrder, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// The shop through the whole pipeline: signed webhooks in, replies at the fake Graph API, state in
// PostgreSQL. Each test is one customer walking a flow, tapping the buttons and rows the bot sent.

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline({ env: { MESSAGE_BUFFER_MS: '0', BANK_TRANSFER_DETAILS: 'Bancolombia ahorros 123-456789-00, Tienda SAS' } });
  await p.db.sql`INSERT INTO categories (slug, name, sort_order) VALUES ('ropa', 'Ropa', 1), ('calzado', 'Calzado', 2)`;
  const ropa = p.db.sql`(SELECT id FROM categories WHERE slug = 'ropa')`;
  const calzado = p.db.sql`(SELECT id FROM categories WHERE slug = 'calzado')`;
  for (let i = 1; i <= 12; i++) {
    await p.db.sql`INSERT INTO products (sku, name, description, category_id, price, stock, popularity_score)
                   VALUES (${`ROP-${i}`}, ${`Camisa modelo ${i}`}, 'Camisa de algodón', ${ropa}, ${50000 + i * 1000}, 10, ${100 - i})`;
  }
  await p.db.sql`INSERT INTO products (sku, name, description, category_id, price, offer_price, stock, featured, popularity_score) VALUES
    ('CAM-BLA', 'Camiseta blanca', 'Camiseta básica de algodón blanca', ${ropa}, 35000, 29900, 5, true, 500),
    ('ZAP-CUE', 'Zapatos de cuero café', 'Zapatos formales de cuero', ${calzado}, 180000, NULL, 3, false, 300),
    ('TEN-BLA', 'Tenis blancos', 'Tenis urbanos', ${calzado}, 150000, NULL, 1, false, 200)`;
  await refreshCatalogueViews(p.db.sql);
});
afterAll(async () => { await p?.stop(); });

let n = 0;
const customer = () => `5737000${String(++n).padStart(5, '0')}`;
const id = () => `wamid.shop.${++n}`;
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
type Sent = { type: string; text?: { body: string }; interactive?: { type: string; body: { text: string }; action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string; description?: string }[] }[] } } };
const bodyOf = (s: { body: unknown }) => { const b = s.body as Sent; return b.text?.body ?? b.interactive?.body.text ?? ''; };
const choicesOf = (s: { body: unknown }) => {
  const a = (s.body as Sent).interactive?.action;
  return [...(a?.buttons ?? []).map((b) => ({ id: b.reply.id, title: b.reply.title })), ...(a?.sections ?? []).flatMap((x) => x.rows)];
};

/** Send and wait for the next reply(ies); returns the new replies. */
async function exchange(to: string, message: ReturnType<typeof metaTextMessage>, replies = 1) {
  const before = sentTo(to).length;
  expect((await p.postMeta(metaEnvelope([message]))).status).toBe(200);
  expect(await until(() => sentTo(to).length >= before + replies, 10_000)).toBe(true);
  // let the outbound stage finish the chat's replies before the next step
  await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${to} AND status = 'pending'`).length === 0);
  return sentTo(to).slice(before);
}
const say = (to: string, body: string, replies = 1) => exchange(to, metaTextMessage({ from: to, id: id(), body, name: 'Ana María' }), replies);
const tap = (to: string, choice: { id: string; title: string }, replies = 1) =>
  exchange(to, (choice.id.startsWith('prod:') || choice.id.startsWith('cat:') || choice.id.startsWith('ship:') || choice.id.startsWith('line:') ? metaListReply : metaButtonReply)({ from: to, id: id(), replyId: choice.id, title: choice.title }), replies);
const pick = (reply: { body: unknown }, match: (c: { id: string; title: string }) => boolean) => {
  const c = choicesOf(reply).find(match);
  expect(c, JSON.stringify(choicesOf(reply))).toBeDefined();
  return c!;
};
const stockOf = async (sku: string) => (await p.db.sql<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${sku}`)[0].stock;

describe('browsing', () => {
  it('categories → products of a category in pages of at most 10 rows with "ver más" → product card → add → cart', async () => {
    const to = customer();
    const [menu] = await say(to, 'quiero ver el catalogo');
    expect(choicesOf(menu).map((c) => c.id)).toEqual(['cat:ropa:0', 'cat:calzado:0']);
    const [page1] = await tap(to, pick(menu, (c) => c.id === 'cat:ropa:0'));
    const rows1 = choicesOf(page1);
    expect(rows1).toHaveLength(10);
    expect(rows1[0].id).toBe('prod:CAM-BLA'); // featured and on offer first
    expect(rows1[9]).toMatchObject({ id: 'cat:ropa:1', title: 'Ver más ➡️' });
    const [page2] = await tap(to, rows1[9]);
    expect(choicesOf(page2).map((c) => c.id)).toEqual(['prod:ROP-9', 'prod:ROP-10', 'prod:ROP-11', 'prod:ROP-12']);

    const [card] = await tap(to, rows1[0]);
    expect(bodyOf(card)).toContain('Camiseta blanca');
    expect(bodyOf(card)).toContain('$29.900 (antes $35.000)');
    expect(bodyOf(card)).toContain('¡Quedan solo 5!');
    const [added] = await tap(to, pick(card, (c) => c.id === 'add:1:CAM-BLA'));
    expect(bodyOf(added)).toContain('1 × Camiseta blanca');
    const [cart] = await tap(to, pick(added, (c) => c.id === 'menu:cart'));
    expect(bodyOf(cart)).toContain('1 × Camiseta blanca — $29.900');
    expect(bodyOf(cart)).toContain('Descuentos: −$5.100');
  });
});

describe('answers typed instead of tapped', () => {
  it('reads "2" as the second option and an option\'s title as that option (clients that show no buttons)', async () => {
    const to = customer();
    const [menu] = await say(to, 'catalogo');
    expect(choicesOf(menu).map((c) => c.id)).toEqual(['cat:ropa:0', 'cat:calzado:0']);
    const [calzado] = await say(to, '2');
    expect(choicesOf(calzado)[0].id).toBe('prod:ZAP-CUE');
    const [card] = await say(to, 'la 1');
    expect(bodyOf(card)).toContain('Zapatos de cuero café');
    const [added] = await say(to, 'agregar al carrito');
    expect(bodyOf(added)).toContain('1 × Zapatos de cuero café');
    // a number with nothing offered is just words
    const [cart] = await say(to, 'ver carrito');
    expect(bodyOf(cart)).toContain('Tu carrito');
  });
});

describe('the category menu', () => {
  it('is served from its Redis cache, and the maintenance refresh drops it when the catalogue changed', async () => {
    const to = customer();
    const [before] = await say(to, 'catalogo');
    expect(choicesOf(before).map((c) => c.id)).toEqual(['cat:ropa:0', 'cat:calzado:0']);
    await p.db.sql`INSERT INTO categories (slug, name, sort_order) VALUES ('hogar', 'Hogar', 3)`;
    await p.db.sql`INSERT INTO products (sku, name, category_id, price, stock) VALUES ('HOG-1', 'Licuadora', (SELECT id FROM categories WHERE slug = 'hogar'), 200000, 4)`;
    // the menu went to Redis on first use
    expect(await p.rt.redis.keys(`${p.rt.config.QUEUE_PREFIX}:catalogue:categories:*`)).toHaveLength(1);
    // the scheduler's task (fixed id in production); run once here
    const job = await p.rt.queues.maintenance.add('refresh-catalogue', { task: 'refresh-catalogue' });
    expect(await until(async () => (await job.isCompleted()))).toBe(true);
    const [after] = await say(to, 'catalogo');
    expect(choicesOf(after).map((c) => c.id)).toEqual(['cat:ropa:0', 'cat:calzado:0', 'cat:hogar:0']);
  });
});

describe('rate limits', () => {
  it('do not count taps on the bot\'s own buttons: a new customer may browse quickly', async () => {
    const to = customer();
    const bursts = () => p.rt.redis.zcard(rateLimitKeys(p.rt.config.QUEUE_PREFIX, to, '')[0]);
    for (let i = 0; i < 8; i++) {
      const [reply] = await tap(to, { id: 'menu:catalogue', title: 'Ver catálogo' });
      expect(bodyOf(reply)).not.toContain('Recibí tus mensajes');
    }
    expect(await bursts()).toBe(0);
    // words still count: a run of them is one burst (a slot of the minute's 5), none held
    const texts = [];
    for (let i = 0; i < 6; i++) texts.push(...(await say(to, `busco camisa ${i}`)));
    expect(await bursts()).toBe(1);
    expect(texts.map(bodyOf).filter((b) => b.includes('Recibí tus mensajes'))).toHaveLength(0);
  });
});

describe('search and direct adds', () => {
  it('finds products by text, with typos, and lists them', async () => {
    const to = customer();
    const [one] = await say(to, 'tienen sapatos de cuero?');
    expect(bodyOf(one)).toContain('Zapatos de cuero café');
    const [none] = await say(to, 'busco una bicicleta');
    expect(bodyOf(none)).toContain('No encontré');
  });

  it('"quiero 2 camisetas blancas" adds at once; an ambiguous request asks which; too many gets a clear answer', async () => {
    const to = customer();
    const [added] = await say(to, 'quiero 2 camisetas blancas');
    expect(bodyOf(added)).toContain('2 × Camiseta blanca');
    const [which] = await say(to, 'agregame 1 camisa');
    expect(bodyOf(which)).toContain('¿Cuál de estos');
    expect(choicesOf(which).length).toBeGreaterThan(1);
    expect(choicesOf(which)[0].id).toMatch(/^add:1:/);
    const [short] = await say(to, 'quiero 5 camisetas blancas');
    expect(bodyOf(short)).toContain('Solo nos quedan 5 de Camiseta blanca (ya tienes 2 en tu carrito)');
  });
});

describe('the cart', () => {
  it('changes a line\'s quantity, removes it by words, and clears', async () => {
    const to = customer();
    await say(to, 'quiero 1 camiseta blanca');
    await say(to, 'agrega 1 tenis blancos');
    const [cart] = await say(to, 'ver mi carrito');
    const [options] = await tap(to, pick(cart, (c) => c.id === 'line:CAM-BLA'));
    const [more] = await tap(to, pick(options, (c) => c.id === 'add:1:CAM-BLA'));
    expect(bodyOf(more)).toContain('2 × Camiseta blanca');
    const [afterRemove] = await say(to, 'quita los tenis del carrito');
    expect(bodyOf(afterRemove)).toContain('Quité Tenis blancos');
    const [cleared] = await say(to, 'vaciar carrito');
    expect(bodyOf(cleared)).toContain('vacié tu carrito');
    expect((await p.db.sql`SELECT count(*)::int AS n FROM cart_items WHERE phone = ${to}`)[0].n).toBe(0);
  });

  it('a WhatsApp catalogue order fills the cart, as far as stock allows', async () => {
    const to = customer();
    const order = metaOrder({ from: to, id: id(), catalogId: 'CAT1', items: [
      { sku: 'ZAP-CUE', quantity: 1, price: 180000, currency: 'COP' },
      { sku: 'TEN-BLA', quantity: 4, price: 150000, currency: 'COP' },
      { sku: 'NO-EXISTE', quantity: 1, price: 1, currency: 'COP' },
    ] });
    const [cart] = await exchange(to, order);
    expect(bodyOf(cart)).toContain('Tenis blancos: solo quedan 1');
    expect(bodyOf(cart)).toContain('NO-EXISTE: ya no está en el catálogo');
    expect(bodyOf(cart)).toContain('1 × Zapatos de cuero café');
    const lines = await p.db.sql`SELECT p.sku, ci.quantity FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.phone = ${to} ORDER BY p.sku`;
    expect(lines).toEqual([{ sku: 'TEN-BLA', quantity: 1 }, { sku: 'ZAP-CUE', quantity: 1 }]);
  });
});

describe('checkout', () => {
  it('name → address (validated) → delivery → payment → summary → confirmation → order; a second tap finds the same order', async () => {
    const to = customer();
    await say(to, 'quiero 2 camisetas blancas');
    const [askName] = await say(to, 'quiero pagar');
    expect(bodyOf(askName)).toContain('¿A nombre de quién va el pedido?');
    const [askAddress] = await tap(to, pick(askName, (c) => c.id === 'co:name'));
    expect(bodyOf(askAddress)).toContain('¿A qué dirección');
    const [again] = await say(to, 'en mi casa');
    expect(bodyOf(again)).toContain('No me quedó clara la dirección');
    const [shipping] = await say(to, 'Calle 10 # 43-20, El Poblado, Medellín');
    expect(choicesOf(shipping).map((c) => c.id)).toEqual(['ship:estandar', 'ship:express', 'ship:recoger']);
    const [payment] = await tap(to, pick(shipping, (c) => c.id === 'ship:estandar'));
    expect(choicesOf(payment).map((c) => c.id)).toEqual(['pay:cash_on_delivery', 'pay:bank_transfer']); // no gateway configured
    const [summary] = await tap(to, pick(payment, (c) => c.id === 'pay:bank_transfer'));
    expect(bodyOf(summary)).toContain('2 × Camiseta blanca — $59.800');
    expect(bodyOf(summary)).toContain('Envío (Envío estándar): $12.000');
    expect(bodyOf(summary)).toContain('*Total: $71.800*');
    expect(bodyOf(summary)).toContain('A nombre de: Ana María');
    const confirm = pick(summary, (c) => c.id.startsWith('order:confirm:'));
    const stockBefore = await stockOf('CAM-BLA');
    const [placed] = await tap(to, confirm);
    expect(bodyOf(placed)).toMatch(/¡Pedido #\d+ confirmado! Total: \$71\.800/);
    expect(bodyOf(placed)).toContain('Bancolombia ahorros 123-456789-00');
    expect(await stockOf('CAM-BLA')).toBe(stockBefore - 2);
    const number = /#(\d+)/.exec(bodyOf(placed))![1];

    const [dup] = await tap(to, confirm);
    expect(bodyOf(dup)).toContain(`Tu pedido #${number} ya está confirmado`);
    expect((await p.db.sql`SELECT count(*)::int AS n FROM orders WHERE phone = ${to}`)[0].n).toBe(1);
    expect(await stockOf('CAM-BLA')).toBe(stockBefore - 2);

    const [status] = await say(to, `como va mi pedido ${number}?`);
    expect(bodyOf(status)).toContain(`Pedido #${number}`);
    expect(bodyOf(status)).toContain('confirmado, en preparación');
  });

  it('an empty cart cannot check out; cancelling keeps the cart; a person can be asked for mid-checkout', async () => {
    const to = customer();
    const [empty] = await say(to, 'quiero pagar');
    expect(bodyOf(empty)).toContain('Tu carrito está vacío');
    await say(to, 'quiero 1 camiseta blanca');
    await say(to, 'pagar');
    const [human] = await say(to, 'quiero hablar con un asesor');
    expect(bodyOf(human)).toContain('le aviso a una persona');
    // the bot stepped back for the person; once it is given the chat again, checkout is where it was
    const [handoff] = await p.db.sql<{ id: number }[]>`SELECT id FROM handoffs WHERE chat_id = ${to} AND ended_at IS NULL`;
    await p.db.sql.begin((tx) => endHandoff(tx, handoff.id, 'operator'));
    const [cancelled] = await say(to, 'cancelar');
    expect(bodyOf(cancelled)).toContain('cancelé la compra');
    expect((await p.db.sql`SELECT count(*)::int AS n FROM cart_items WHERE phone = ${to}`)[0].n).toBe(1);
    const [session] = await p.db.sql`SELECT session_state FROM customer_sessions WHERE customer_phone = ${to}`;
    expect(session.session_state).toBe('idle');
  });

  it('says clearly when the last unit went to someone else before the confirmation', async () => {
    const to = customer();
    await say(to, 'quiero los zapatos de cuero');
    await say(to, 'pagar');
    await say(to, 'Ana Pérez');
    const [shipping] = await say(to, 'Carrera 45 # 12-30, Laureles, Medellín');
    const [payment] = await tap(to, pick(shipping, (c) => c.id === 'ship:recoger'));
    const [summary] = await say(to, 'contra entrega');
    expect(bodyOf(summary)).toContain('Resumen de tu pedido');
    await p.db.sql`UPDATE products SET stock = 0 WHERE sku = 'ZAP-CUE'`; // sold in the shop meanwhile
    const replies = await tap(to, pick(summary, (c) => c.id.startsWith('order:confirm:')), 2);
    expect(bodyOf(replies[0])).toContain('mientras confirmabas Zapatos de cuero café se agotó');
    expect((await p.db.sql`SELECT count(*)::int AS n FROM orders WHERE phone = ${to}`)[0].n).toBe(0);
    expect(payment).toBeDefined();
  });
});
