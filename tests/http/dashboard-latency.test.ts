import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutBurstWait } from '../../src/metrics/dashboard-data.ts';
import { intentLabel, INTENT_LABELS } from '../../src/metrics/intent-labels.ts';
import { INTENTS } from '../../src/conversation/keywords/intent-names.ts';
import { awayFromMinuteEdge, insertMinute } from '../support/dashboard-rows.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// Issue 17's dashboard fixes, in its JSON: processing latency apart from the deliberate burst wait, intents
// named in Spanish, whether AI is configured; and bull-board loading nothing from another site.

const TOKEN = 'dashboard-latency-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
let p: Pipeline;

beforeAll(async () => {
  // the production burst window, and an AI key (no worker runs, so nothing calls it)
  p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: TOKEN, MESSAGE_BUFFER_MS: '2000', GEMINI_API_KEY: 'unused-key' } });
});
afterAll(async () => { await p?.stop(); });

const dashboard = async (query = '') => {
  const res = await p.app.inject({ method: 'GET', url: `/admin/api/dashboard${query}`, headers: bearer });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body);
};

describe('processing latency', () => {
  it('is the end-to-end time less the burst window, never below zero', () => {
    expect(withoutBurstWait(2106, 2000)).toBe(106);
    expect(withoutBurstWait(430, 0)).toBe(430);
    expect(withoutBurstWait(1500, 2000)).toBe(0); // a burst cut short by its longest wait
    expect(withoutBurstWait(null, 2000)).toBeNull();
  });

  it('is reported beside the end-to-end latency, against the target, with the window it leaves out', async () => {
    await awayFromMinuteEdge(p.db.sql);
    await insertMinute(p.db.sql, 2, { messages_in: 5, messages_out: 5, e2e_p50_ms: 2050, e2e_p95_ms: 2106, e2e_p99_ms: 2400, intents: { greeting: 3, search_products: 1, farewell: 1 } });
    const data = await dashboard('?minutes=10');
    expect(data.burstWindowMs).toBe(2000);
    expect(data.targets).toMatchObject({ processingP95Ms: 500 });
    const minute = data.series.at(-3);
    expect(minute).toMatchObject({ e2eP50Ms: 2050, e2eP95Ms: 2106, e2eP99Ms: 2400, processingP50Ms: 50, processingP95Ms: 106, processingP99Ms: 400 });
    expect(data.series.at(-1)).toMatchObject({ e2eP95Ms: null, processingP95Ms: null });
    expect(data.current).toMatchObject({ e2eP95Ms: 2106, processingP95Ms: 106 });
  });
});

describe('intents and AI', () => {
  it('names every intent in Spanish, and an unknown one by its own words', async () => {
    for (const intent of INTENTS) expect(INTENT_LABELS[intent], intent).toMatch(/^[A-ZÁÉÍÓÚ][a-záéíóúñ ]+/);
    expect(intentLabel('farewell_now')).toBe('farewell now');
    const data = await dashboard('?minutes=10');
    expect(data.intentNames).toEqual({ greeting: 'Saludo', search_products: 'Buscar productos', farewell: 'farewell' });
  });

  it('says which AI providers are configured, and that the run-time switch turned them off', async () => {
    expect((await dashboard()).ai).toEqual({ providers: ['gemini'], enabled: true });
    await p.db.sql`UPDATE system_config SET value = 'false' WHERE key = 'use_ai_providers'`;
    expect((await dashboard()).ai).toEqual({ providers: ['gemini'], enabled: false });
    await p.db.sql`UPDATE system_config SET value = 'true' WHERE key = 'use_ai_providers'`;
  });
});

describe('bull-board offline', () => {
  it('loads no font or anything else from another site, and still serves its own scripts and styles', async () => {
    const page = await p.app.inject({ method: 'GET', url: '/admin/queues', headers: bearer });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).not.toMatch(/fonts\.googleapis|fonts\.gstatic/);
    expect(page.body).not.toMatch(/(?:href|src)="https?:\/\//);
    const assets = [...page.body.matchAll(/(?:href|src)="(static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      const res = await p.app.inject({ method: 'GET', url: `/admin/queues/${asset}`, headers: bearer });
      expect(res.statusCode, asset).toBe(200);
    }
    expect((await p.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
  });
});
