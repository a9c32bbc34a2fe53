import { afterAll, expect, it } from 'vitest';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { createDb } from '../../src/db/client.ts';
import type { RecordedCall } from '../support/fake-graph.ts';
import { metaButtonReply, metaListReply, metaTextMessage, type MetaMessage } from '../support/meta-payloads.ts';
import type { ServiceProcess } from '../support/spawn-service.ts';
import { until } from '../support/test-runtime.ts';
import { chatIndex, choicesOf, deliverMeta, faultWorld, inPool, secs, sleep, startAll, stop, textOf } from './harness.ts';
import { startPrivateRedis } from './private-redis.ts';
import { renderReliability, reportFault } from './report.ts';

// DESIGN §4.6 with a real process, over webhooks: 1,000 customers each walk the checkout to its last
// step (cart → "pagar" → name → address → delivery → payment → summary with its confirm button) while
// stock is plentiful; then the stock becomes 10 and all 1,000 tap "confirm" at once. Exactly 10 orders,
// 990 clear "out of stock" answers, stock 0 and never below; then 50 of the taps are replayed (new
// provider message ids, same button) and make no second order.

afterAll(() => renderReliability());

const CUSTOMERS = Number(process.env.FAULT_CHECKOUT_CUSTOMERS ?? 1000);
const UNITS = 10;
const REPLAYS = 50;
/** Customers walking the conversation at once (each one message at a time, as a person would). */
const WALKERS = 250;
const SKU = 'REL-ORO';
const PLACED = /¡Pedido #\d+ confirmado!/;
const SOLD_OUT = 'mientras confirmabas Reloj dorado se agotó';

// `skipIf`: the bot already answered what this step asks for (a shop with one payment method does not ask which)
type Step = { send: (from: string, id: string, last: RecordedCall | undefined) => MetaMessage; until: (reply: RecordedCall) => boolean; skipIf?: (last: RecordedCall | undefined) => boolean };
const tapOn = (reply: RecordedCall | undefined, id: (choice: string) => boolean, list = false) => (from: string, messageId: string) => {
  const choice = choicesOf(reply!).find((c) => id(c.id));
  if (!choice) throw new Error(`no such choice in ${JSON.stringify(choicesOf(reply!))}`);
  return (list ? metaListReply : metaButtonReply)({ from, id: messageId, replyId: choice.id, title: choice.title });
};
const say = (body: string) => (from: string, id: string) => metaTextMessage({ from, id, body, name: 'Ana María Ríos' });
const hasChoice = (prefix: string) => (r: RecordedCall) => choicesOf(r).some((c) => c.id.startsWith(prefix));

/** The conversation of tests/workers/shop-pipeline.test.ts, to the summary and its confirm button. */
const WALK: Step[] = [
  { send: say('quiero 1 reloj dorado'), until: (r) => textOf(r).includes('1 × Reloj dorado') },
  { send: say('quiero pagar'), until: hasChoice('co:name') },
  { send: (f, id, last) => tapOn(last, (c) => c === 'co:name')(f, id), until: (r) => textOf(r).includes('¿A qué dirección') },
  { send: say('Calle 10 # 43-20, El Poblado, Medellín'), until: hasChoice('ship:recoger') },
  { send: (f, id, last) => tapOn(last, (c) => c === 'ship:recoger', true)(f, id), until: (r) => hasChoice('pay:cash_on_delivery')(r) || hasChoice('order:confirm:')(r) },
  { send: say('contra entrega'), until: hasChoice('order:confirm:'), skipIf: (last) => last !== undefined && hasChoice('order:confirm:')(last) },
];

it(`${CUSTOMERS} concurrent checkouts for ${UNITS} units: exactly ${UNITS} orders, clear refusals, stock never below 0, replays make no order`, async () => {
  const redis = await startPrivateRedis();
  const world = await faultWorld(redis.url);
  let svc: ServiceProcess | undefined;
  const sql = createDb({ url: world.env().DATABASE_URL, max: 4 });
  try {
    // Meta lets a number send up to 1,000 messages a second at its top tier; the default 80 would make the walk
    // (6,000 replies) a minute of waiting for the limiter, which is not what this scenario is about.
    svc = await startAll(world.env({ OUTBOUND_RATE_PER_SECOND: '1000' }));
    await sql`INSERT INTO categories (slug, name) VALUES ('relojes', 'Relojes')`;
    await sql`INSERT INTO products (sku, name, description, category_id, price, stock)
              VALUES (${SKU}, 'Reloj dorado', 'Reloj de pulsera dorado, edición limitada', (SELECT id FROM categories WHERE slug = 'relojes'), 250000, 100000)`;
    await refreshCatalogueViews(sql);
    const port = svc.port;
    const sent = chatIndex(world.graph);
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `573301${String(i).padStart(6, '0')}`);
    let n = 0;
    const nextId = (from: string) => `wamid.co.${from}.${++n}`;

    // the walk, each customer one message at a time, waiting for the bot's answer before the next
    const walkStart = Date.now();
    const confirmOf = new Map<string, { id: string; title: string }>();
    let webhookRetries = 0;
    let walkedMessages = 0;
    await inPool(customers, WALKERS, async (from) => {
      let last: RecordedCall | undefined;
      for (const [i, step] of WALK.entries()) {
        if (step.skipIf?.(last)) continue;
        const before = sent(from).length;
        const tries = await deliverMeta(port, [step.send(from, nextId(from), last)]);
        if (!tries) throw new Error(`${from}: step ${i + 1} never acknowledged`);
        webhookRetries += tries - 1;
        walkedMessages++;
        const ok = await until(() => sent(from).slice(before).some(step.until), 60_000, 50);
        if (!ok) throw new Error(`${from}: step ${i + 1} got ${JSON.stringify(sent(from).slice(before).map(textOf))}`);
        last = sent(from).slice(before).find(step.until);
      }
      confirmOf.set(from, choicesOf(last!).find((c) => c.id.startsWith('order:confirm:'))!);
    });
    const walkSeconds = secs(Date.now() - walkStart);
    expect(confirmOf.size).toBe(CUSTOMERS);
    // let the last replies of the walk go out, then the shop sells all but 10 units elsewhere
    await sleep(1000);
    await sql`UPDATE products SET stock = ${UNITS} WHERE sku = ${SKU}`;

    // every customer taps "confirm" at once; stock sampled meanwhile
    let minStock = UNITS;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [{ stock }] = await sql<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${SKU}`;
        minStock = Math.min(minStock, stock);
        await sleep(10);
      }
    })();
    const phaseStart = new Map(customers.map((c) => [c, sent(c).length]));
    const tapStart = Date.now();
    const firstTry = new Map<number, number>();
    const acked = new Set<string>();
    await Promise.all(customers.map(async (from) => {
      const tries = await deliverMeta(port, [metaButtonReply({ from, id: nextId(from), replyId: confirmOf.get(from)!.id, title: confirmOf.get(from)!.title })]);
      firstTry.set(tries, (firstTry.get(tries) ?? 0) + 1);
      if (tries) acked.add(from);
    }));
    const settled = (from: string) => {
      const got = sent(from).slice(phaseStart.get(from));
      return got.some((r) => PLACED.test(textOf(r))) || (got.some((r) => textOf(r).includes(SOLD_OUT)) && got.length >= 2);
    };
    await until(() => customers.every(settled), 120_000, 100);
    const answeredSeconds = secs(Date.now() - tapStart);
    await sleep(3000); // anything sent twice would show by now
    sampling = false;
    await sampler;

    const outcome = (from: string) => {
      const got = sent(from).slice(phaseStart.get(from));
      const bodies = got.map((r) => r.raw);
      return {
        got,
        placed: got.some((r) => PLACED.test(textOf(r))),
        refused: got.some((r) => textOf(r).includes(SOLD_OUT)),
        repeated: new Set(bodies).size < bodies.length,
      };
    };
    const outcomes = customers.map((c) => ({ from: c, ...outcome(c) }));
    const winners = outcomes.filter((o) => o.placed);
    const refusals = outcomes.filter((o) => o.refused);
    const lost = outcomes.filter((o) => acked.has(o.from) && o.got.length === 0).length;
    // an order placed: one message; a refusal: the explanation and the cart (two); more is a duplicate
    const duplicated = outcomes.filter((o) => o.repeated || o.got.length > (o.placed ? 1 : 2)).length;
    const [{ orders, sold }] = await sql<{ orders: number; sold: number }[]>`
      SELECT count(DISTINCT o.id)::int AS orders, coalesce(sum(i.quantity), 0)::int AS sold FROM orders o JOIN order_items i ON i.order_id = o.id`;
    const [{ stock }] = await sql<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${SKU}`;

    // replays: the same confirm buttons tapped again with new provider message ids (all ten buyers, forty others)
    const replayed = [...winners.map((w) => w.from), ...refusals.slice(0, REPLAYS - winners.length).map((r) => r.from)];
    const replayStart = new Map(replayed.map((c) => [c, sent(c).length]));
    const replayAcked = new Set<string>();
    await Promise.all(replayed.map(async (from) => {
      if (await deliverMeta(port, [metaButtonReply({ from, id: nextId(from), replyId: confirmOf.get(from)!.id, title: confirmOf.get(from)!.title })])) replayAcked.add(from);
    }));
    await until(() => replayed.every((c) => sent(c).length > replayStart.get(c)!), 60_000, 100);
    await sleep(2000);
    const replayReplies = replayed.map((c) => sent(c).slice(replayStart.get(c)));
    const [{ ordersAfter }] = await sql<{ ordersAfter: number }[]>`SELECT count(*)::int AS "ordersAfter" FROM orders`;
    const [{ stockAfter }] = await sql<{ stockAfter: number }[]>`SELECT stock AS "stockAfter" FROM products WHERE sku = ${SKU}`;
    const replayLost = replayReplies.filter((r) => r.length === 0).length;
    const replayDuplicated = replayReplies.filter((r) => r.length > 1).length;

    reportFault({
      scenario: `${CUSTOMERS} concurrent checkouts for ${UNITS} units, then ${REPLAYS} replayed`,
      property: '6, 2',
      acknowledged: acked.size + replayAcked.size,
      lost: lost + replayLost,
      duplicated: duplicated + replayDuplicated,
      notes: `${orders} orders (${sold} units), ${refusals.length} "se agotó" answers, final stock ${stock} (lowest seen ${minStock}); ` +
        `replays: ${ordersAfter - orders} new orders, stock ${stockAfter}; all ${CUSTOMERS} taps answered within ${answeredSeconds} s of being fired; ` +
        `webhook first-try answers ${JSON.stringify(Object.fromEntries(firstTry))}; the walk to the confirm button, every customer over webhooks ` +
        `(${walkedMessages} messages, ${WALKERS} customers at a time, ${webhookRetries} retried deliveries), took ${walkSeconds} s with OUTBOUND_RATE_PER_SECOND=1000`,
    });
    expect(acked.size).toBe(CUSTOMERS);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(orders).toBe(UNITS);
    expect(sold).toBe(UNITS);
    expect(winners).toHaveLength(UNITS);
    expect(refusals).toHaveLength(CUSTOMERS - UNITS);
    expect(winners.every((w) => w.got.length === 1 && !w.refused)).toBe(true);
    expect(refusals.every((r) => r.got.length === 2)).toBe(true);
    expect(stock).toBe(0);
    expect(minStock).toBeGreaterThanOrEqual(0);
    expect(replayAcked.size).toBe(replayed.length);
    expect(replayed).toHaveLength(REPLAYS);
    expect(replayLost).toBe(0);
    expect(replayDuplicated).toBe(0);
    expect(ordersAfter).toBe(UNITS);
    expect(stockAfter).toBe(0);
    // the buyers are told their order stands; the others that their summary is no longer valid
    replayReplies.forEach((r, i) => expect(textOf(r[0])).toContain(i < UNITS ? 'ya está confirmado' : 'ya no está vigente'));
  } finally {
    await sql.end();
    await stop(svc);
    await world.drop();
    await redis.stop();
  }
});
