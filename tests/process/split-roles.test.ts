import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { signMeta } from '../support/pipeline-harness.ts';
import { spawnService, type ServiceProcess } from '../support/spawn-service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, META_SECRET, META_VERIFY, newQueuePrefix, until } from '../support/test-runtime.ts';

// The deployment the Procfile describes: the web role in one process, the stages in others. The
// workers serve no HTTP, yet their counters must reach the one /metrics Prometheus scrapes.

const prefix = newQueuePrefix();
const TOKEN = 'split-admin';
let db: TestDatabase;
let graph: FakeGraph;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await startFakeGraph();
});
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await graph?.close();
  await db?.drop();
  await dropQueuePrefix(prefix);
});

const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: db.url,
  QUEUE_PREFIX: prefix,
  WHATSAPP_PROVIDER: 'meta',
  META_APP_SECRET: META_SECRET,
  META_VERIFY_TOKEN: META_VERIFY,
  META_ACCESS_TOKEN: 'split-token',
  META_PHONE_NUMBER_ID: '777',
  META_GRAPH_URL: graph.url,
  MESSAGE_BUFFER_MS: '0',
  ADMIN_TOKEN: TOKEN,
  ...extra,
});

describe('web and each stage as separate processes', () => {
  it('answers, and the web role\'s /metrics sums the worker processes\' counters', async () => {
    const web = await spawnService(env(), ['--role', 'web']);
    processes.push(web);
    for (const stages of ['ingest,maintenance', 'converse', 'outbound']) processes.push(await spawnService(env({ WORKER_STAGES: stages }), ['--role', 'worker'], false));

    const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from: '573006660001', id: 'wamid.split.1', body: 'hola' })]));
    const res = await fetch(`http://127.0.0.1:${web.port}/webhooks/meta`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    expect(res.status).toBe(200);
    expect(await until(() => graph.sent.length === 1, 20_000)).toBe(true);

    const scrape = async () => (await fetch(`http://127.0.0.1:${web.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const value = (text: string, line: RegExp) => Number(text.split('\n').find((l) => line.test(l))?.split(' ').pop());
    const completed = (text: string, stage: string) => value(text, new RegExp(`^wa_stage_jobs_total\\{stage="${stage}",outcome="completed"\\}`));
    // each worker process publishes every 5 s
    const stages = ['ingest', 'converse', 'outbound'];
    expect(await until(async () => { const t = await scrape(); return stages.every((s) => completed(t, s) >= 1); }, 15_000, 250)).toBe(true);
    const text = await scrape();
    expect(value(text, /^wa_e2e_latency_seconds_count /)).toBe(1);
    expect(value(text, /^wa_webhook_requests_total\{provider="meta",status="200"\}/)).toBe(1); // the web process's own
    expect(value(text, /^wa_replies_total\{outcome="sent"\}/)).toBe(1);
  });
});
