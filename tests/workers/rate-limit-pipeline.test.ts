import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKeys } from '../../src/crm/rate-limit-script.ts';
import { ingestJobId } from '../../src/queues/names.ts';
import { metaButtonReply, metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Property 11 for rate limits: a flood is held back and told once, and every held message is answered
// after its wait, once, in order with the chat's later messages. Never closed unanswered; never at a
// person's pace.

const NOTICE = 'Recibí tus mensajes';
const sentTo = (p: Pipeline, chat: string) => p.graph.sent.map((s) => s.body as { to?: string; text?: { body?: string } }).filter((b) => b.to === chat);
const post = async (p: Pipeline, chat: string, id: string, body = 'hola') =>
  expect((await p.postMeta(metaEnvelope([metaTextMessage({ from: chat, id, body })]))).status).toBe(200);

async function settled(p: Pipeline, chat: string, timeoutMs = 20_000) {
  return until(async () => {
    const [{ open }] = await p.db.sql`SELECT count(*)::int AS open FROM inbound_messages WHERE chat_id = ${chat} AND status IN ('received', 'held', 'ingested')`;
    const [{ pending }] = await p.db.sql`SELECT count(*)::int AS pending FROM outbox WHERE chat_id = ${chat} AND status = 'pending'`;
    return open === 0 && pending === 0;
  }, timeoutMs, 50);
}

/** Every message answered once, answers sent in the order of the messages, and the statuses. */
async function expectAnsweredInOrder(p: Pipeline, chat: string, n: number) {
  const rows = await p.db.sql<{ id: number; status: string }[]>`SELECT id, status FROM inbound_messages WHERE chat_id = ${chat} ORDER BY id`;
  expect(rows).toHaveLength(n);
  expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'handled'));
  const answers = await p.db.sql<{ inboundId: number }[]>`
    SELECT inbound_id AS "inboundId" FROM outbox WHERE chat_id = ${chat} AND seq >= 0 AND status = 'sent' ORDER BY sent_at, id`;
  expect(answers.map((a) => Number(a.inboundId))).toEqual(rows.map((r) => Number(r.id))); // MESSAGE_BUFFER_MS 0: one answer each
}

describe('rate limits in the pipeline, real default windows', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline(); });
  afterAll(async () => { await p?.stop(); });

  it('answers a new customer writing a dozen messages in quick succession, every one, and holds none', async () => {
    const chat = '573500000001';
    const words = ['hola', 'quiero', 'una camisa', 'roja', 'talla m', 'cuánto cuesta', 'y el envío', 'a bogotá', 'gracias', 'otra pregunta', 'tienen azul', 'ok'];
    for (const [i, w] of words.entries()) {
      await post(p, chat, `wamid.rl.person.${i}`, w);
      await new Promise((r) => setTimeout(r, 150)); // a person's couple of seconds, shortened
    }
    expect(await settled(p, chat)).toBe(true);
    await expectAnsweredInOrder(p, chat, words.length);
    const [{ held }] = await p.db.sql`SELECT count(*)::int AS held FROM message_logs WHERE customer_phone = ${chat} AND rate_limit_exceeded`;
    expect(held).toBe(0);
    expect(sentTo(p, chat).filter((b) => JSON.stringify(b).includes(NOTICE))).toHaveLength(0);
  });
});

describe('rate limits in the pipeline, held messages (windows shortened)', () => {
  let p: Pipeline;
  // new tier: one burst of two messages a 1.5 s "minute"; a pause up to 1.5 s continues a burst
  const windows = { burst: 100, minute: 1500, hour: 150_000, day: 1_500_000 };
  beforeAll(async () => {
    // "too old to answer" after 2 s: longer than a message waits unheld, shorter than a hold and what queues behind it
    p = await startPipeline({ workerSets: 0, env: { SWEEP_INTERVAL_MS: '500', SWEEP_GRACE_MS: '300', STALE_MESSAGE_AGE_MS: '2000' } });
    await p.db.sql`UPDATE rate_limit_config SET max_per_minute = 1, max_per_hour = 100, max_per_day = 1000, burst_size = 2 WHERE customer_tier = 'new'`;
    await p.addWorkers({ rateLimitWindowsMs: windows });
  });
  afterAll(async () => { await p?.stop(); });

  const heldIds = async (chat: string) =>
    (await p.db.sql<{ id: number }[]>`SELECT id FROM inbound_messages WHERE chat_id = ${chat} AND status = 'held' ORDER BY id`).map((r) => Number(r.id));

  it('holds what is over the limit, tells once, and answers every held message after its wait, in order, once', async () => {
    const chat = '573500000002';
    for (let i = 0; i < 5; i++) await post(p, chat, `wamid.rl.hold.${i}`);
    // two pass, three wait; the customer hears one honest notice
    expect(await until(async () => (await heldIds(chat)).length === 3, 5000)).toBe(true);
    expect(await until(() => sentTo(p, chat).some((b) => b.text?.body?.includes(NOTICE)), 5000)).toBe(true);
    const notice = sentTo(p, chat).find((b) => b.text?.body?.includes(NOTICE))!;
    expect(notice.text!.body).toMatch(/^Recibí tus mensajes 🙏 Te respondo en unos \d+ segundos\.$/);
    const [{ waiting }] = await p.db.sql`SELECT count(*)::int AS waiting FROM inbound_messages WHERE chat_id = ${chat} AND status = 'held' AND held_until > now()`;
    expect(waiting).toBe(3);

    // a message sent while the others wait is held behind them and answered after them; so is a tap on
    // our buttons (never counted, so never held: it waits in line, older than "stale" by the time it is answered)
    await post(p, chat, 'wamid.rl.hold.5');
    expect((await p.postMeta(metaEnvelope([metaButtonReply({ from: chat, id: 'wamid.rl.hold.6', replyId: 'menu:cart', title: 'Mi carrito' })]))).status).toBe(200);
    expect(await settled(p, chat)).toBe(true);
    await expectAnsweredInOrder(p, chat, 7);
    expect(sentTo(p, chat).filter((b) => JSON.stringify(b).includes(NOTICE))).toHaveLength(1);
    expect(sentTo(p, chat)).toHaveLength(8); // seven answers and the notice

    // the record: held ones logged as over the limit, released, counted once each as rate-limited
    const logs = await p.db.sql`SELECT rate_limit_exceeded AS over, details ? 'releasedAt' AS released FROM message_logs WHERE customer_phone = ${chat} ORDER BY inbound_id`;
    // (which two of the first five passed depends on which ingest ran first: they run in parallel)
    expect(logs.filter((l) => l.over)).toHaveLength(4);
    expect(logs[5].over && !logs[6].over).toBe(true);
    expect(logs.map((l) => l.released)).toEqual(logs.map((l) => l.over));
    const [{ events }] = await p.db.sql`SELECT count(*)::int AS events FROM events WHERE type = 'rate_limited' AND chat_id = ${chat}`;
    expect(events).toBe(4);
    const [{ closed }] = await p.db.sql`SELECT count(*)::int AS closed FROM inbound_messages WHERE chat_id = ${chat} AND status IN ('rate_limited', 'stale', 'skipped')`;
    expect(closed).toBe(0);
  }, 30_000);

  it('answers a held message whose delayed job Redis lost (the recovery sweep finds it)', async () => {
    const chat = '573500000003';
    for (let i = 0; i < 3; i++) await post(p, chat, `wamid.rl.lost.${i}`);
    expect(await until(async () => (await heldIds(chat)).length === 1, 5000)).toBe(true);
    const [id] = await heldIds(chat);
    // wait for the job to be parked as delayed, then lose it
    expect(await until(async () => (await (await p.rt.queues.ingest.getJob(ingestJobId(id)))?.getState()) === 'delayed', 5000)).toBe(true);
    await (await p.rt.queues.ingest.getJob(ingestJobId(id)))!.remove();
    expect(await p.rt.queues.ingest.getJob(ingestJobId(id))).toBeUndefined();
    expect(await settled(p, chat)).toBe(true);
    await expectAnsweredInOrder(p, chat, 3);
    expect(sentTo(p, chat)).toHaveLength(4);
  }, 30_000);

  it('counts and answers a held message once however often its ingest job runs', async () => {
    const chat = '573500000004';
    for (let i = 0; i < 4; i++) await post(p, chat, `wamid.rl.rerun.${i}`);
    expect(await until(async () => (await heldIds(chat)).length === 2, 5000)).toBe(true);
    const held = await heldIds(chat);
    // re-runs, as after a crash or a duplicate enqueue: now (still held) and alongside the release
    for (const id of held) for (let k = 0; k < 3; k++) await p.rt.queues.ingest.add('ingest', { inboundId: id }, { jobId: `rerun-${id}-${k}` });
    expect(await settled(p, chat)).toBe(true);
    await expectAnsweredInOrder(p, chat, 4);
    expect(sentTo(p, chat)).toHaveLength(5);
    // two bursts counted: the first two messages, then the two released together
    expect(await p.rt.redis.zcard(rateLimitKeys(p.rt.config.QUEUE_PREFIX, chat, '')[0])).toBe(2);
    const [{ events }] = await p.db.sql`SELECT count(*)::int AS events FROM events WHERE type = 'rate_limited' AND chat_id = ${chat}`;
    expect(events).toBe(2);
  }, 30_000);
});
