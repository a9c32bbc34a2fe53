import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { metaEnvelope, metaLocation, metaMedia, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { allOf, bodyOf, chatCustomer, choicesOf } from '../support/chat-customer.ts';
import { until } from '../support/test-runtime.ts';

// The dialogue's memory through the whole pipeline, keyword mode: what the bot just showed is what
// "me la llevo", "mándame dos", "quita una", "la segunda" and "el de 1 litro" mean; a burst's questions
// are answered one by one; the checkout offers only what the shop configured and asks for the city; a
// payment receipt and an unanswered question reach a person without silencing the bot.

let p: Pipeline;
let c: ReturnType<typeof chatCustomer>;
beforeAll(async () => {
  p = await startPipeline({ env: { MESSAGE_BUFFER_MS: '0', HANDOFF_OPERATOR_PHONE: '573009999999' } });
  c = chatCustomer(p, 'dialogue', 573810000000);
  await p.db.sql`INSERT INTO categories (slug, name, sort_order) VALUES ('hogar', 'Hogar', 1), ('deporte', 'Deporte', 2)`;
  const hogar = p.db.sql`(SELECT id FROM categories WHERE slug = 'hogar')`;
  const deporte = p.db.sql`(SELECT id FROM categories WHERE slug = 'deporte')`;
  await p.db.sql`INSERT INTO products (sku, name, description, category_id, price, stock, popularity_score) VALUES
    ('TER-05', 'Termo de acero 500 ml', 'Mantiene frío y caliente', ${hogar}, 45000, 10, 50),
    ('TER-10', 'Termo de acero 1 litro', 'Mantiene frío y caliente', ${hogar}, 65000, 10, 40),
    ('TER-20', 'Termo familiar 2 litros', 'Con manija', ${hogar}, 89000, 10, 30),
    ('OLL-01', 'Olla a presión 6 litros', 'Acero inoxidable', ${hogar}, 210000, 4, 20),
    ('BAL-01', 'Balón de fútbol', 'Tamaño 5', ${deporte}, 70000, 8, 10)`;
  await refreshCatalogueViews(p.db.sql);
});
afterAll(async () => { await p?.stop(); });

const units = async (to: string, sku: string) =>
  Number((await p.db.sql<{ n: number }[]>`SELECT coalesce(sum(ci.quantity), 0)::int AS n FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.phone = ${to} AND p.sku = ${sku}`)[0].n);

describe('references to what was just shown', () => {
  it('"me la llevo", "mándame dos" and "quita una" act on the product of the card just shown', async () => {
    const to = c.customer();
    const [card] = await c.say(to, 'muestrame la olla a presion');
    expect(bodyOf(card)).toContain('Olla a presión 6 litros');
    await c.say(to, 'me la llevo');
    expect(await units(to, 'OLL-01')).toBe(1);
    await c.say(to, 'mandame dos');
    expect(await units(to, 'OLL-01')).toBe(3);
    const [took] = await c.say(to, 'quita una');
    expect(await units(to, 'OLL-01')).toBe(2);
    expect(bodyOf(took)).toMatch(/quité una unidad de Olla a presión 6 litros\. Te quedan 2/);
  });

  it('after a list, "el de 1 litro" is that one and "me lo llevo" asks which, with the listed products as rows', async () => {
    const to = c.customer();
    const [list] = await c.say(to, 'tienen termos?');
    expect(choicesOf(list).map((x) => x.id)).toEqual(expect.arrayContaining(['prod:TER-05', 'prod:TER-10', 'prod:TER-20']));
    const [which] = await c.say(to, 'me lo llevo');
    expect(choicesOf(which).map((x) => x.id)).toEqual(['add:1:TER-05', 'add:1:TER-10', 'add:1:TER-20']);
    const [card] = await c.say(to, 'cuanto vale el de 1 litro');
    expect(bodyOf(card)).toContain('Termo de acero 1 litro');
    expect(bodyOf(card)).toContain('$65.000');
    // the card is now what the talk is about
    await c.say(to, 'agregalo');
    expect(await units(to, 'TER-10')).toBe(1);
  });

  it('"quita una" with several lines and none in focus asks which line loses a unit', async () => {
    const to = c.customer();
    await c.say(to, 'agrega 2 balones de futbol');
    await c.say(to, 'agrega 2 ollas a presion');
    const [cart] = await c.say(to, 'ver carrito');
    expect(bodyOf(cart)).toContain('Tu carrito');
    const [which] = await c.say(to, 'quita una');
    expect(bodyOf(which)).toMatch(/De cuál quito una unidad/);
    const row = c.pick(which, (x) => x.id.endsWith('BAL-01'));
    expect(row.id).toBe('dec:BAL-01');
    await c.tap(to, row);
    expect(await units(to, 'BAL-01')).toBe(1);
    expect(await units(to, 'OLL-01')).toBe(2);
  });
});

describe('what was just added', () => {
  it('"me la llevo" right after adding it is not a second one; "dame otra" is; "ese me sirve" and "me aparta 2" add', async () => {
    const to = c.customer();
    const [added] = await c.say(to, 'quiero la olla a presion');
    expect(bodyOf(added)).toContain('1 × Olla a presión 6 litros');
    const [again] = await c.say(to, 'me la llevo');
    expect(bodyOf(again)).toContain('Ya tienes 1 × Olla a presión 6 litros');
    expect(await units(to, 'OLL-01')).toBe(1);
    await c.say(to, 'dame otra');
    expect(await units(to, 'OLL-01')).toBe(2);
    const [card] = await c.say(to, 'muestrame el balon de futbol');
    expect(bodyOf(card)).toContain('Balón de fútbol');
    await c.say(to, 'ese me sirve');
    expect(await units(to, 'BAL-01')).toBe(1);
    await c.say(to, 'me aparta 2 termos de 500 ml?');
    expect(await units(to, 'TER-05')).toBe(2);
  });
});

describe('a burst with several questions', () => {
  it('answers each question, in order', async () => {
    const q = await startPipeline({ env: { MESSAGE_BUFFER_MS: '400' } });
    try {
      await q.db.sql`INSERT INTO products (sku, name, description, price, stock) VALUES ('LIC-1', 'Licuadora de vaso', 'Cinco velocidades', 150000, 3), ('BAL-9', 'Balón de baloncesto', 'Tamaño 7', 90000, 3)`;
      await refreshCatalogueViews(q.db.sql);
      const to = '573810009991';
      for (const [i, body] of ['hola', 'tienen licuadoras?', 'y balones de baloncesto?'].entries()) {
        await q.postMeta(metaEnvelope([metaTextMessage({ from: to, id: `wamid.multi.${i}`, body })]));
        await new Promise((r) => setTimeout(r, 80));
      }
      const sent = () => q.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
      expect(await until(() => sent().length >= 2, 10_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 800));
      const replies = sent();
      expect(replies).toHaveLength(2);
      expect(bodyOf(replies[0])).toMatch(/^¡Hola, Ana|^¡Hola/);
      expect(allOf([replies[0]])).toContain('Licuadora de vaso');
      expect(allOf([replies[1]])).toContain('Balón de baloncesto');
      expect(allOf([replies[1]])).not.toContain('¡Hola');
    } finally {
      await q.stop();
    }
  });
});

describe('greetings and acknowledgements', () => {
  it('greets once per conversation, and answers "ok" or 👍 briefly without counting a miss', async () => {
    const to = c.customer();
    const [hello] = await c.say(to, 'hola');
    expect(bodyOf(hello)).toContain('Soy el asistente virtual');
    const [answer] = await c.say(to, 'hola, tienen balones?');
    expect(bodyOf(answer)).not.toContain('¡Hola');
    const [again] = await c.say(to, 'hola');
    expect(bodyOf(again)).toContain('Hola de nuevo');
    for (const ack of ['ok', '👍', 'vale, perfecto']) {
      const [r] = await c.say(to, ack);
      expect(bodyOf(r)).toContain('Aquí sigo');
    }
    const [session] = await p.db.sql<{ context: Record<string, unknown> }[]>`SELECT context_data AS context FROM customer_sessions WHERE customer_phone = ${to}`;
    expect(session.context.misunderstood ?? 0).toBe(0);
  });
});

describe('checkout without dead ends', () => {
  it('offers only cash on delivery when no transfer account or gateway is set, and asks for the city an address lacks', async () => {
    const to = c.customer();
    await c.say(to, 'agrega un balon de futbol');
    const [name] = await c.say(to, 'quiero pagar');
    const [address] = await c.tap(to, c.pick(name, (x) => x.id === 'co:name'));
    expect(bodyOf(address)).toContain('dirección');
    const [city] = await c.say(to, 'Calle 10 # 43-20 apto 501');
    expect(bodyOf(city)).toContain('¿En qué ciudad');
    const [shipping] = await c.say(to, 'Sopetrán');
    const [summary] = await c.tap(to, c.pick(shipping, (x) => x.id === 'ship:estandar'));
    // one way to pay: no question, straight to the summary, and never a "Transferencia" button
    expect(bodyOf(summary)).toContain('Resumen de tu pedido');
    expect(bodyOf(summary)).toContain('Calle 10 # 43-20 apto 501, Sopetrán');
    expect(bodyOf(summary)).toContain('Pago: contra entrega');
    expect(JSON.stringify(p.graph.sent.filter((s) => (s.body as { to?: string }).to === to))).not.toContain('Transferencia');
    const [placed] = await c.tap(to, c.pick(summary, (x) => x.id.startsWith('order:confirm:')));
    expect(bodyOf(placed)).toMatch(/Pedido #\d+ confirmado/);
    expect(bodyOf(placed)).toMatch(/Envío estándar: llega (entre|el)/);
    const [status] = await c.say(to, 'y eso cuando me llega?');
    expect(bodyOf(status)).toMatch(/Pedido #\d+/);
    expect(bodyOf(status)).toMatch(/🚚 Envío estándar: llega (entre el \p{L}+ \d+|el \p{L}+ \d+)/u);
  });
});

describe('a person sees what the bot cannot settle, and the bot keeps answering', () => {
  it('a receipt picture after a transfer order opens a handoff that does not pause the bot', async () => {
    const to = c.customer();
    const [order] = await p.db.sql<{ id: number }[]>`
      INSERT INTO orders (phone, idempotency_key, customer_name, delivery_address, shipping_code, shipping_cost, subtotal, total, payment_method)
      VALUES (${to}, ${'k-' + to}, 'Ana', 'Calle 1 # 2-3, Cali', 'estandar', 12000, 50000, 62000, 'bank_transfer') RETURNING id`;
    expect(order.id).toBeGreaterThan(0);
    const [ack] = await c.exchange(to, metaMedia({ from: to, id: c.id(), type: 'image', mediaId: 'media-receipt-1', mimeType: 'image/jpeg' }));
    expect(bodyOf(ack)).toContain('Recibí tu comprobante');
    const [h] = await p.db.sql<{ reason: string; pausesBot: boolean }[]>`SELECT reason, pauses_bot AS "pausesBot" FROM handoffs WHERE chat_id = ${to} AND ended_at IS NULL`;
    expect(h).toEqual({ reason: 'payment_receipt', pausesBot: false });
    expect(await until(() => p.graph.sent.some((s) => (s.body as { to?: string }).to === '573009999999' && JSON.stringify(s.body).includes('comprobante')))).toBe(true);
    // the bot still answers, and a request for a person then pauses it (the same handoff, upgraded)
    const [list] = await c.say(to, 'tienen termos?');
    expect(allOf([list])).toContain('Termo');
    await c.say(to, 'quiero hablar con un asesor');
    const open = await p.db.sql<{ reason: string; pausesBot: boolean }[]>`SELECT reason, pauses_bot AS "pausesBot" FROM handoffs WHERE chat_id = ${to} AND ended_at IS NULL`;
    expect(open).toEqual([{ reason: 'requested', pausesBot: true }]);
    expect(await c.say(to, 'hola?', 0)).toEqual([]);
  });

  it('"ya les pagué" with an order waiting for a transfer is put in front of a person too', async () => {
    const to = c.customer();
    await p.db.sql`
      INSERT INTO orders (phone, idempotency_key, customer_name, delivery_address, shipping_code, shipping_cost, subtotal, total, payment_method)
      VALUES (${to}, ${'k-' + to}, 'Ana', 'Calle 1 # 2-3, Cali', 'estandar', 12000, 50000, 62000, 'bank_transfer')`;
    const [r] = await c.say(to, 'ya les pague, me confirman?');
    expect(bodyOf(r)).toContain('Le aviso al equipo para que confirme tu pago');
    const [h] = await p.db.sql<{ reason: string }[]>`SELECT reason FROM handoffs WHERE chat_id = ${to} AND ended_at IS NULL`;
    expect(h.reason).toBe('payment_receipt');
  });

  it('a question nothing written down answers is said plainly and put in front of a person', async () => {
    const to = c.customer();
    const [r] = await c.say(to, '¿a qué hora abren los domingos?');
    expect(bodyOf(r)).toContain('Le paso tu pregunta a una persona');
    const [h] = await p.db.sql<{ reason: string; pausesBot: boolean }[]>`SELECT reason, pauses_bot AS "pausesBot" FROM handoffs WHERE chat_id = ${to} AND ended_at IS NULL`;
    expect(h).toEqual({ reason: 'question', pausesBot: false });
    const [next] = await c.say(to, 'tienen balones?');
    expect(allOf([next])).toContain('Balón de fútbol');
  });
});

describe('a product question in a shop whose facts share its words', () => {
  it('stays a product search when the catalogue has what it names', async () => {
    await p.db.sql`INSERT INTO business_knowledge (topic, content) VALUES ('mascotas', 'Tu perro es bienvenido en la tienda, siempre con correa.') ON CONFLICT DO NOTHING`;
    const to = c.customer();
    const [r] = await c.say(to, 'tienen balones para perro?');
    expect(allOf([r])).toContain('Balón');
    expect(bodyOf(r)).not.toContain('bienvenido');
    const [fact] = await c.say(to, 'aceptan perros en la tienda?');
    expect(bodyOf(fact)).toContain('bienvenido');
    // said, not asked, and the catalogue names it: the product, not the policy
    const [said] = await c.say(to, 'el balon para mi perro');
    expect(allOf([said])).toContain('Balón de fútbol');
    await p.db.sql`DELETE FROM business_knowledge WHERE topic = 'mascotas'`;
  });
});

describe('non-text messages mid-question', () => {
  it('a location or a 👍 while a rental question waits never replays that question', async () => {
    const to = c.customer();
    const [asked] = await c.say(to, 'quiero reservar un apartamento');
    expect(bodyOf(asked)).toMatch(/fechas/);
    const [loc] = await c.exchange(to, metaLocation({ from: to, id: c.id(), latitude: 6.2, longitude: -75.5 }));
    expect(bodyOf(loc)).not.toMatch(/fechas/);
    const [thumb] = await c.say(to, '👍');
    expect(bodyOf(thumb)).not.toMatch(/fechas/);
    const [session] = await p.db.sql<{ state: string }[]>`SELECT session_state AS state FROM customer_sessions WHERE customer_phone = ${to}`;
    expect(session.state).toBe('booking:asking');
  });
});
