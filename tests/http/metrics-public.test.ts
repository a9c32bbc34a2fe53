import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// METRICS_PUBLIC opens /metrics alone (a Prometheus on a private network scrapes without the admin
// token); everything else under admin stays closed.

let p: Pipeline;
beforeAll(async () => { p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: 'metrics-admin', METRICS_PUBLIC: 'true' } }); });
afterAll(async () => { await p?.stop(); });

describe('METRICS_PUBLIC=true', () => {
  it('serves Prometheus text without credentials', async () => {
    const res = await p.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('# TYPE wa_e2e_latency_seconds histogram');
    expect(res.body).toMatch(/wa_queue_jobs\{queue="ingest",state="wait"\} 0/);
  });

  it('keeps the rest of admin closed', async () => {
    for (const url of ['/admin/api/config', '/admin/api/handoffs', '/admin/queues', '/admin']) {
      expect((await p.app.inject({ url })).statusCode, url).toBe(401);
    }
  });
});
