import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/roles/web-role.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { createTestRuntime, until } from '../support/test-runtime.ts';

// /ready is what a load balancer and a deploy route on: PostgreSQL and Redis answer, and every queue
// moves. A queue whose jobs wait with nothing consuming them (no worker, or workers that silently
// stopped) is named in a 503 once the stall window has passed.

const STALL_MS = 1500;
let p: Pipeline | undefined;
afterEach(async () => { await p?.stop(); p = undefined; });

const ready = async (pl: Pipeline) => {
  const res = await pl.app.inject({ url: '/ready' });
  return { status: res.statusCode, checks: JSON.parse(res.body).checks as Record<string, string> };
};
const post = (pl: Pipeline, from: string, id: string) => pl.postMeta(metaEnvelope([metaTextMessage({ from, id, body: 'hola' })]));
const sentTo = (pl: Pipeline, to: string) => pl.graph.sent.filter((s) => (s.body as { to?: string })?.to === to).length;

describe('/ready', () => {
  it('is 200 while work moves, 503 naming the queue once jobs wait a window with nothing consuming them, 200 again once they move', async () => {
    p = await startPipeline({ workerSets: 0, env: { QUEUE_STALL_MS: String(STALL_MS) } });
    expect(await ready(p)).toEqual({ status: 200, checks: { postgres: 'ok', redis: 'ok', queues: 'ok' } });

    expect((await post(p, '573005550001', 'wamid.ready.1')).status).toBe(200);
    // fresh work on an idle queue is not a stall
    expect((await ready(p)).status).toBe(200);
    await new Promise((r) => setTimeout(r, STALL_MS + 200));
    const stalled = await ready(p);
    expect(stalled.status).toBe(503);
    expect(stalled.checks.queues).toMatch(/^stalled: ingest: 1 waiting, the oldest for \d+ s, no worker has ever reported$/);
    expect(stalled.checks.postgres).toBe('ok');

    await p.addWorkers();
    expect(await until(() => sentTo(p!, '573005550001') === 1, 15_000)).toBe(true);
    expect(await until(async () => (await ready(p!)).status === 200, 5000)).toBe(true);
  });

  it('does not call a paused or rate-limited queue stalled', async () => {
    p = await startPipeline({ workerSets: 0, env: { QUEUE_STALL_MS: String(STALL_MS) } });
    const { ingest, outbound } = p.rt.queues;
    await ingest.pause(); // an operator's pause in bull-board
    await outbound.rateLimit(60_000); // a provider's 429 pauses sends for its window
    await outbound.add('send', { kind: 'send', chatId: '573005550002' });
    expect((await post(p, '573005550003', 'wamid.ready.3')).status).toBe(200);
    await new Promise((r) => setTimeout(r, STALL_MS + 200));
    expect(await ready(p)).toMatchObject({ status: 200, checks: { queues: 'ok' } });

    await ingest.resume(); // nothing consumes it once the pause is over: that is a stall
    expect((await ready(p)).checks.queues).toMatch(/^stalled: ingest: 1 waiting/);
    expect((await ready(p)).checks.queues).not.toMatch(/outbound/);
  });

  it('is 503 naming Redis when Redis does not answer', async () => {
    p = await startPipeline({ workerSets: 0 });
    const deadRedis = await createTestRuntime({ DATABASE_URL: p.db.url, REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: p.rt.config.QUEUE_PREFIX });
    const app = await createWebApp(deadRedis);
    try {
      const res = await app.inject({ url: '/ready' });
      expect(res.statusCode).toBe(503);
      const { checks } = JSON.parse(res.body);
      expect(checks.postgres).toBe('ok');
      expect(checks.redis).not.toBe('ok');
      expect(checks.queues).not.toBe('ok');
    } finally {
      await app.close();
      await deadRedis.close();
    }
  });

  it('is 503 naming PostgreSQL when PostgreSQL does not answer', async () => {
    p = await startPipeline({ workerSets: 0 });
    const deadPg = await createTestRuntime({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', QUEUE_PREFIX: p.rt.config.QUEUE_PREFIX });
    const app = await createWebApp(deadPg);
    try {
      const res = await app.inject({ url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(JSON.parse(res.body).checks).toMatchObject({ redis: 'ok', queues: 'ok' });
      expect(JSON.parse(res.body).checks.postgres).not.toBe('ok');
    } finally {
      await app.close();
      await deadPg.close().catch(() => {});
    }
  });
});
