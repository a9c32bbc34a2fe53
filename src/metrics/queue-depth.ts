import { Gauge } from 'prom-client';
import type { Queue } from 'bullmq';
import { registry } from './registry.ts';
import { readJobCounts } from '../queues/job-counts.ts';

const STATES = ['wait', 'active', 'delayed', 'failed'] as const;

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
    help: 'Jobs per queue by state (wait, active, delayed, failed), read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const depth = await readJobCounts(Object.fromEntries(queues.map((q) => [q.name, q])));
      for (const [queue, counts] of Object.entries(depth)) if (counts) for (const state of STATES) this.set({ queue, state }, counts[state]);
    },
  });
}
