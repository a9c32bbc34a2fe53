import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphErrorBody } from '../support/fake-graph.ts';
import { metaEnvelope, metaStatus, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Issue 13.2: every reply that did not reach the customer is seen. The outbound jobs behind a refusal
// complete (bull-board shows no failed job), so the operator reads them here: the admin API, a Prometheus
// counter by code, and the events.

let p: Pipeline;
const TOKEN = 'undelivered-admin-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
const REFUSED_WINDOW = '573620000001';
const REFUSED_NUMBER = '573620000002';
const FAILED_LATER = '573620000003';
const EXPIRED = '573620000004';

const statusOf = async (chat: string) => (await p.db.sql<{ status: string }[]>`SELECT status FROM outbox WHERE chat_id = ${chat} ORDER BY id`).map((r) => r.status);
const undelivered = async (query = '') => {
  const res = await p.app.inject({ method: 'GET', url: `/admin/api/undelivered${query}`, headers: bearer });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body);
};
const counter = async (labels: string) => {
  const res = await p.app.inject({ method: 'GET', url: '/metrics', headers: bearer });
  const line = res.body.split('\n').find((l) => l.startsWith(`wa_replies_undelivered_total{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

beforeAll(async () => {
  p = await startPipeline({ env: { ADMIN_TOKEN: TOKEN } });
  // refused at send: outside the 24 h window, then a number that is not on WhatsApp
  p.graph.failNext(1, { status: 400, body: graphErrorBody(131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.') });
  await p.postMeta(metaEnvelope([metaTextMessage({ from: REFUSED_WINDOW, id: 'wamid.und.1', body: 'hola', name: 'Marta' })]));
  expect(await until(async () => (await statusOf(REFUSED_WINDOW)).includes('failed'), 15_000)).toBe(true);
  p.graph.failNext(1, { status: 400, body: graphErrorBody(131026, 'Message undeliverable') });
  await p.postMeta(metaEnvelope([metaTextMessage({ from: REFUSED_NUMBER, id: 'wamid.und.2', body: 'gracias' })]));
  expect(await until(async () => (await statusOf(REFUSED_NUMBER)).includes('failed'), 15_000)).toBe(true);
  // accepted, then reported failed by Meta's status callback
  await p.postMeta(metaEnvelope([metaTextMessage({ from: FAILED_LATER, id: 'wamid.und.3', body: 'hola' })]));
  expect(await until(async () => (await statusOf(FAILED_LATER)).includes('sent'), 15_000)).toBe(true);
  const [sent] = await p.db.sql<{ id: string }[]>`SELECT provider_message_id AS id FROM outbox WHERE chat_id = ${FAILED_LATER} AND status = 'sent' ORDER BY id LIMIT 1`;
  const status = metaStatus({ id: sent.id, status: 'failed', recipient: FAILED_LATER, errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }] });
  expect((await p.postMeta(metaEnvelope([], { statuses: [status] }))).status).toBe(200);
  expect((await p.postMeta(metaEnvelope([], { statuses: [status] }))).status).toBe(200); // Meta redelivers: counted once
  // a notice written two days ago and never sent: the sweep expires it
  await p.db.sql`INSERT INTO outbox (chat_id, seq, content, created_at) VALUES (${EXPIRED}, 0, ${p.db.sql.json({ type: 'text', text: 'Tu pago fue recibido' })}, now() - interval '2 days')`;
  expect(await until(async () => (await statusOf(EXPIRED)).includes('expired'), 15_000)).toBe(true);
}, 60_000);
afterAll(async () => { await p?.stop(); });

describe('GET /admin/api/undelivered', () => {
  it('refuses requests without the admin token', async () => {
    expect((await p.app.inject({ method: 'GET', url: '/admin/api/undelivered' })).statusCode).toBe(401);
    expect((await p.app.inject({ method: 'GET', url: '/admin/api/undelivered', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
  });

  it('lists every reply that did not reach the customer, newest first, with the customer, the text, the code and its meaning', async () => {
    const list = await undelivered();
    expect(list.count).toBe(4);
    expect(list.items.map((u: { chatId: string }) => u.chatId).sort()).toEqual([REFUSED_WINDOW, REFUSED_NUMBER, FAILED_LATER, EXPIRED]);
    // newest first by when it failed (a reported failure is dated by the provider's timestamp, to the second)
    const at = list.items.map((u: { at: string }) => Date.parse(u.at));
    expect([...at].sort((a, b) => b - a)).toEqual(at);
    const byChat = Object.fromEntries(list.items.map((u: { chatId: string }) => [u.chatId, u]));
    const [windowRow] = await p.db.sql<{ content: { text?: string; body?: string } }[]>`SELECT content FROM outbox WHERE chat_id = ${REFUSED_WINDOW}`;
    expect(byChat[REFUSED_WINDOW]).toMatchObject({
      chatIdMasked: '57…001', customerName: 'Marta', outcome: 'refused', provider: 'meta', code: 131047,
      // buttons and lists are shown as their text form, options numbered
      text: expect.stringContaining((windowRow.content.text ?? windowRow.content.body)!),
      meaning: { es: expect.stringContaining('24 h'), en: expect.stringContaining('window') },
    });
    expect(byChat[REFUSED_WINDOW].title).toMatch(/131047/);
    expect(Date.parse(byChat[REFUSED_WINDOW].at)).toBeGreaterThan(Date.now() - 120_000);
    expect(byChat[REFUSED_NUMBER]).toMatchObject({ outcome: 'refused', code: 131026, meaning: { es: expect.stringMatching(/No entregable/) } });
    expect(byChat[FAILED_LATER]).toMatchObject({ outcome: 'failed', code: 131049, meaning: { en: expect.stringMatching(/marketing/) } });
    expect(byChat[EXPIRED]).toMatchObject({ outcome: 'expired', code: null, title: null, text: 'Tu pago fue recibido', meaning: { es: expect.stringMatching(/Caducó/) } });
    for (const u of list.items) expect(JSON.stringify(u.chatIdMasked)).not.toContain(u.chatId);
  });

  it('takes a limit and a since', async () => {
    const one = await undelivered('?limit=1');
    expect(one.count).toBe(4);
    expect(one.items).toHaveLength(1);
    expect((await undelivered(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).count).toBe(0);
    for (const q of ['?limit=0', '?limit=abc', '?since=yesterday']) {
      expect((await p.app.inject({ method: 'GET', url: `/admin/api/undelivered${q}`, headers: bearer })).statusCode, q).toBe(400);
    }
  });
});

describe('what else records them', () => {
  it('counts them in wa_replies_undelivered_total by provider and code', async () => {
    expect(await counter('provider="meta",code="131047"')).toBe(1);
    expect(await counter('provider="meta",code="131026"')).toBe(1);
    expect(await counter('provider="meta",code="131049"')).toBe(1);
    expect(await counter('provider="none",code="expired"')).toBe(1);
  });

  it('keeps an event for each', async () => {
    const events = await p.db.sql<{ type: string; chat_id: string; data: Record<string, unknown> }[]>`
      SELECT type, chat_id, data FROM events WHERE type IN ('reply_failed', 'reply_expired') ORDER BY id`;
    expect(events.map((e) => [e.type, e.chat_id, e.data])).toEqual([
      ['reply_failed', REFUSED_WINDOW, { code: 131047 }],
      ['reply_failed', REFUSED_NUMBER, { code: 131026 }],
      ['reply_failed', FAILED_LATER, { code: 131049, reported: true }],
      ['reply_expired', EXPIRED, {}],
    ]);
  });
});
