import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCacheRequests } from '../../src/metrics/registry.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// A realistic replay: customers write a few messages each, one after another, as people do. The
// session of every message after a customer's first must come from Redis (seed target > 80 %, ours ≥ 95 %).

let p: Pipeline;
beforeAll(async () => { p = await startPipeline(); });
afterAll(async () => { await p?.stop(); });

const count = async (result: string) => (await sessionCacheRequests.get()).values.find((v) => v.labels.result === result)?.value ?? 0;

describe('session cache', () => {
  it('answers at least 95 % of session reads from Redis, and PostgreSQL holds every session', async () => {
    const [hit0, miss0] = [await count('hit'), await count('miss')];
    const customers = Array.from({ length: 30 }, (_, i) => `57370000${String(i).padStart(4, '0')}`);
    const words = ['hola', 'menu', 'gracias', 'hola', 'chao'];
    for (let k = 0; k < words.length; k++) {
      await Promise.all(customers.map((c) => p.postMeta(metaEnvelope([metaTextMessage({ from: c, id: `wamid.replay.${c}.${k}`, body: words[k] })]))));
      // the next message of each customer comes after its answer, as in a real conversation
      expect(await until(async () => {
        const [{ n }] = await p.db.sql`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`;
        return n >= customers.length * (k + 1);
      }, 20_000)).toBe(true);
    }
    const hits = (await count('hit')) - hit0;
    const misses = (await count('miss')) - miss0;
    expect(hits + misses).toBe(customers.length * (words.length - 1));
    expect(hits / (hits + misses)).toBeGreaterThanOrEqual(0.95);
    const [{ n }] = await p.db.sql`SELECT count(*)::int AS n FROM customer_sessions WHERE (context_data->>'turns')::int = ${words.length}`;
    expect(n).toBe(customers.length);
  });
});
