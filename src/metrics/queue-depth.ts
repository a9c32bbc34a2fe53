import { Gauge } from 'prom-client';
import type { Queue } from 'bullmq';
import { registry } from './registry.ts';
import { withTimeout } from '../lib/with-timeout.ts';

const STATES = ['wait', 'active', 'delayed', 'failed', 'prioritized'] as const;

/**
 * Jobs per queue and state, read from Redis when Prometheus scrapes (not kept up to date between
 * scrapes: the counts live in Redis and every process would otherwise poll them). A scrape while Redis
 * is away leaves the gauge as it was rather than failing the whole /metrics answer.
 */
export function registerQueueDepthGauge(queues: Queue[]): Gauge<'queue' | 'state'> {
  const existing = registry.getSingleMetric('wa_queue_jobs');
  if (existing) registry.removeSingleMetric('wa_queue_jobs'); // a second web app in one process (tests) owns the gauge now
  return new Gauge({
    name: 'wa_queue_jobs',
    help: 'Jobs per queue by state (wait, active, delayed, failed, prioritized), read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (q) => {
          const counts = await withTimeout(q.getJobCounts(...STATES), 1000, 'queue counts').catch(() => undefined);
          if (!counts) return;
          for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
