import { hostname } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import type { Redis } from 'ioredis';
import { registry } from './registry.ts';
import { withTimeout } from '../lib/with-timeout.ts';

// Worker processes serve no HTTP (on Railway they expose no port; under pm2 several would want the
// same one), yet their counters are most of what matters: jobs, AI calls, end-to-end latency. So each
// worker process publishes its registry to one Redis hash every few seconds, and the web role's
// /metrics answers with the sum over itself and every process heard from recently: one scrape target
// for the whole deployment. A process that stops publishing drops out after three periods (its
// counters leave the sum, which Prometheus's rate() reads as a counter reset).

const PUBLISH_EVERY_MS = 5000;
const hashKey = (prefix: string) => `${prefix}:metrics:processes`;

/** Publish this process's metrics until the returned stop is called. */
export function publishMetrics(redis: Redis, prefix: string, everyMs = PUBLISH_EVERY_MS): () => Promise<void> {
  const field = `${hostname()}:${process.pid}`;
  const publish = async () => {
    const snapshot = JSON.stringify({ at: Date.now(), metrics: await registry.getMetricsAsJSON() });
    await withTimeout(redis.hset(hashKey(prefix), field, snapshot), everyMs, 'publish metrics').catch(() => {});
  };
  void publish();
  const timer = setInterval(() => void publish(), everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await withTimeout(redis.hdel(hashKey(prefix), field), 1000, 'unpublish metrics').catch(() => {});
  };
}

/** Prometheus text of this process summed with every process that published within three periods. */
export async function metricsOfAllProcesses(redis: Redis, prefix: string, everyMs = PUBLISH_EVERY_MS): Promise<string> {
  const own = await registry.getMetricsAsJSON();
  const published = await withTimeout(redis.hgetall(hashKey(prefix)), 1000, 'read metrics').catch(() => ({}) as Record<string, string>);
  const fresh: object[] = [];
  const gone: string[] = [];
  for (const [field, raw] of Object.entries(published)) {
    const { at, metrics } = JSON.parse(raw) as { at: number; metrics: object };
    if (Date.now() - at > 3 * everyMs) gone.push(field);
    else fresh.push(metrics);
  }
  if (gone.length) await redis.hdel(hashKey(prefix), ...gone).catch(() => {});
  return AggregatorRegistry.aggregate([own, ...fresh]).metrics();
}
