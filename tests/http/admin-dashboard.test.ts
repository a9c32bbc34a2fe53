import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { awayFromMinuteEdge, insertHandoff, insertMinute, insertRefusedReply } from '../support/dashboard-rows.ts';

// The operations dashboard behind /admin: closed to strangers, and its JSON is the roll-ups read right
// (zero-filled minutes, sums over the window, open handoffs, live queue depth).

let p: Pipeline;
const TOKEN = 'test-admin-token';
beforeAll(async () => {
  p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: TOKEN } });
});
afterAll(async () => { await p?.stop(); });

const bearer = { authorization: `Bearer ${TOKEN}` };
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`operador:${password}`).toString('base64')}` });
const get = (url: string, headers: Record<string, string> = {}) => p.app.inject({ method: 'GET', url, headers });
const dashboard = async (query = '') => {
  const res = await get(`/admin/api/dashboard${query}`, bearer);
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body);
};

describe('dashboard authentication', () => {
  for (const url of ['/admin', '/admin/', '/admin/assets/chart.js', '/admin/assets/dashboard.js', '/admin/assets/dashboard.css', '/admin/api/dashboard']) {
    it(`refuses ${url} without credentials or with wrong ones, and serves it with the token`, async () => {
      expect((await get(url)).statusCode).toBe(401);
      expect((await get(url, { authorization: 'Bearer nope' })).statusCode).toBe(401);
      expect((await get(url, basic('nope'))).statusCode).toBe(401);
      expect((await get(url, bearer)).statusCode).toBe(200);
      expect((await get(url, basic(TOKEN))).statusCode).toBe(200);
    });
  }
  it('asks a browser for basic auth', async () => {
    expect((await get('/admin')).headers['www-authenticate']).toMatch(/^Basic /);
  });
});

describe('dashboard page and assets', () => {
  it('serves the page with a canvas per chart, loading only its own scripts', async () => {
    const res = await get('/admin', bearer);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    for (const id of ['messages', 'latency', 'errors', 'intents', 'cost', 'queues']) expect(res.body).toContain(`id="chart-${id}"`);
    expect(res.body).toContain('id="undelivered-rows"');
    expect(res.body).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son[a-z]+="/); // no inline script, no inline handlers
    expect(res.body).toContain('src="/admin/assets/chart.js"');
    expect(res.body).not.toMatch(/https?:\/\//);
  });
  it('serves Chart.js from node_modules and nothing it was not given', async () => {
    const chart = await get('/admin/assets/chart.js', bearer);
    expect(chart.headers['content-type']).toMatch(/javascript/);
    expect(chart.body).toMatch(/Chart\.js v4/);
    expect((await get('/admin/assets/index.html', bearer)).statusCode).toBe(404);
    expect((await get('/admin/assets/..%2F..%2Fpackage.json', bearer)).statusCode).toBe(404);
  });
});

describe('dashboard data', () => {
  it('zero-fills quiet minutes and sums the window: messages, intents, AI cost by provider', async () => {
    await awayFromMinuteEdge(p.db.sql);
    const m1 = await insertMinute(p.db.sql, 1, {
      messages_in: 10, messages_out: 9, e2e_p50_ms: 180, e2e_p95_ms: 420, e2e_p99_ms: 700, errors: 1, error_rate: 0.1,
      session_cache_hits: 8, session_cache_misses: 2, cache_hit_rate: 0.8, ai_calls: 3, ai_cost_usd: 0.0015,
      ai_cost_by_provider: { gemini: 0.0012, openai: 0.0003 }, intents: { greeting: 4, search_products: 2 }, orders: 1,
    });
    const m3 = await insertMinute(p.db.sql, 3, {
      messages_in: 5, messages_out: 5, e2e_p95_ms: 610, ai_calls: 1, ai_cost_usd: 0.001, ai_cost_by_provider: { gemini: 0.001 },
      intents: { greeting: 1, checkout: 3 }, session_cache_hits: 2, session_cache_misses: 8, cache_hit_rate: 0.2,
    });
    await insertMinute(p.db.sql, 90, { messages_in: 100, messages_out: 100, intents: { greeting: 50 } });

    const d = await dashboard();
    expect(d.minutes).toBe(60);
    expect(d.targets.e2eP95Ms).toBe(500);
    // no AI key in this deployment, no burst window in tests: processing is the whole end-to-end time
    expect(d.ai).toEqual({ providers: [], enabled: false });
    expect(d.burstWindowMs).toBe(0);
    expect(d.intentNames).toEqual({ greeting: 'Saludo', search_products: 'Buscar productos', checkout: 'Finalizar la compra' });
    expect(d.series).toHaveLength(60);
    // one point per minute, oldest first, ending at the current minute
    const minutes = d.series.map((s: { minute: string }) => Date.parse(s.minute));
    for (let i = 1; i < minutes.length; i++) expect(minutes[i] - minutes[i - 1]).toBe(60_000);
    expect(minutes[59] - Date.parse(m1)).toBe(60_000);
    const at = (minute: string) => d.series.find((s: { minute: string }) => Date.parse(s.minute) === Date.parse(minute));
    expect(at(m1)).toMatchObject({ messagesIn: 10, messagesOut: 9, e2eP95Ms: 420, errorRate: 0.1, aiCostUsd: 0.0015 });
    expect(at(m3)).toMatchObject({ messagesIn: 5, e2eP95Ms: 610 });
    // a minute with no roll-up row: counts 0, latency unknown
    expect(d.series[0]).toMatchObject({ messagesIn: 0, messagesOut: 0, errors: 0, errorRate: 0, aiCostUsd: 0, e2eP95Ms: null });

    expect(d.totals).toMatchObject({ messagesIn: 15, messagesOut: 14, errors: 1, aiCalls: 4, aiCostUsd: 0.0025, orders: 1, cacheHitRate: 0.5 });
    expect(d.totals.intents).toEqual({ greeting: 5, search_products: 2, checkout: 3 });
    expect(d.totals.aiCostByProvider).toEqual({ gemini: 0.0022, openai: 0.0003 });
    expect(d.current).toMatchObject({
      minute: m1, messagesInLastMinute: 10, messagesOutLastMinute: 9, messagesInLastHour: 15, messagesOutLastHour: 14,
      e2eP95Ms: 420, errorRate: 0.1, cacheHitRate: 0.8,
    });

    const wide = await dashboard('?minutes=120');
    expect(wide.series).toHaveLength(120);
    expect(wide.totals.messagesIn).toBe(115);
    expect(wide.totals.intents.greeting).toBe(55);
    expect(wide.current.messagesInLastHour).toBe(15); // the last hour is the last hour, whatever the window

    const narrow = await dashboard('?minutes=2');
    expect(narrow.series).toHaveLength(2);
    expect(narrow.totals.messagesIn).toBe(10);
    expect(narrow.current.messagesInLastHour).toBe(15);
  });

  it('lists the open handoffs, oldest first, with the real chat id and a masked one; ended ones are not listed', async () => {
    await insertHandoff(p.db.sql, { chat_id: '573001112222', reason: 'requested', customer_name: 'Marta', last_message: 'quiero hablar con alguien', startedMinutesAgo: 5 });
    await insertHandoff(p.db.sql, { chat_id: '573003334444', reason: 'not_understood', customer_name: null, last_message: '???', startedMinutesAgo: 30 });
    await insertHandoff(p.db.sql, { chat_id: '573005556666', reason: 'requested', customer_name: 'Luis', last_message: 'ya', startedMinutesAgo: 60, ended: true });
    const { handoffs } = await dashboard();
    expect(handoffs.count).toBe(2);
    expect(handoffs.items.map((h: { chatId: string }) => h.chatId)).toEqual(['573003334444', '573001112222']);
    expect(handoffs.items[1]).toMatchObject({ chatIdMasked: '57…222', reason: 'requested', customerName: 'Marta', lastMessage: 'quiero hablar con alguien' });
    expect(typeof handoffs.items[1].id).toBe('number');
  });

  it("lists the last day's undelivered replies, newest first, with the code's meaning; older ones only in the admin API", async () => {
    await insertRefusedReply(p.db.sql, { chat_id: '573007778888', text: 'Tu pedido está listo', code: 131047, title: 'Re-engagement message', minutesAgo: 10 });
    await insertRefusedReply(p.db.sql, { chat_id: '573007779999', text: 'Gracias por tu compra', code: 131026, title: 'Message undeliverable', minutesAgo: 2 });
    await insertRefusedReply(p.db.sql, { chat_id: '573007770000', text: 'hace dos días', code: 131047, title: 'Re-engagement message', minutesAgo: 48 * 60 });
    const { undelivered } = await dashboard();
    expect(undelivered.count).toBe(2);
    expect(undelivered.items.map((u: { text: string }) => u.text)).toEqual(['Gracias por tu compra', 'Tu pedido está listo']);
    expect(undelivered.items[1]).toMatchObject({ chatIdMasked: '57…888', outcome: 'refused', provider: 'meta', code: 131047, meaning: { es: expect.stringContaining('24 h') } });
    const all = await get('/admin/api/undelivered', bearer);
    expect(JSON.parse(all.body).count).toBe(3);
  });

  it('reads queue depth live from Redis', async () => {
    const before = await dashboard();
    expect(Object.keys(before.queues).sort()).toEqual(['converse', 'ingest', 'maintenance', 'outbound']);
    expect(before.queues.outbound).toEqual({ wait: 0, active: 0, delayed: 0, failed: 0 });
    await p.rt.queues.outbound.addBulk([1, 2, 3].map((i) => ({ name: 'send', data: { chatId: `57300000000${i}` } })));
    await p.rt.queues.maintenance.add('later', {}, { delay: 60_000 });
    const after = await dashboard();
    expect(after.queues.outbound.wait).toBe(3);
    expect(after.queues.maintenance.delayed).toBe(1);
    await p.rt.queues.outbound.drain(true);
    await p.rt.queues.maintenance.drain(true);
  });

  it('refuses a bad window with a reason', async () => {
    for (const q of ['0', '1441', 'abc', '1.5', '-5']) {
      const res = await get(`/admin/api/dashboard?minutes=${q}`, bearer);
      expect(res.statusCode, q).toBe(400);
      expect(JSON.parse(res.body).error, q).toMatch(/minutes/);
    }
  });
});
