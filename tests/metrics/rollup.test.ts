import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';
import { pruneOldMetrics, rollUpMinutes, rollUpRecentMinutes } from '../../src/metrics/rollup.ts';
import { recordEvents } from '../../src/db/events.ts';
import { insertAiCalls } from '../../src/ai/calls.ts';
import { HANDOFF_SCHEDULER_ID, PRUNE_SCHEDULER_ID, ROLLUP_SCHEDULER_ID } from '../../src/roles/worker-role.ts';

// Events are written by real traffic where the work happens, and the roll-up turns them into the
// per-minute rows the dashboard draws: right, and the same however often it runs.

let p: Pipeline;
beforeAll(async () => { p = await startPipeline(); });
afterAll(async () => { await p?.stop(); });

const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const minuteRows = () => p.db.sql`SELECT * FROM metric_minutes ORDER BY minute`;
const withoutComputedAt = (rows: Record<string, unknown>[]) => rows.map(({ computed_at: _, ...r }) => r);

describe('events from real traffic', () => {
  it('records each message in, each intent, each reply with its end-to-end time', async () => {
    const chats = ['573005550001', '573005550002', '573005550003'];
    for (const [i, from] of chats.entries()) {
      await p.postMeta(metaEnvelope([metaTextMessage({ from, id: `wamid.roll.${i}a`, body: 'hola', name: 'Rosa' })]));
      await p.postMeta(metaEnvelope([metaTextMessage({ from, id: `wamid.roll.${i}b`, body: 'muchas gracias', name: 'Rosa' })]));
    }
    expect(await until(() => chats.every((c) => sentTo(c).length === 2))).toBe(true);
    const counts = async () => Object.fromEntries((await p.db.sql<{ type: string; n: number }[]>`SELECT type, count(*)::int AS n FROM events GROUP BY type`).map((r) => [r.type, r.n]));
    expect(await until(async () => (await counts()).reply_sent === 6)).toBe(true);
    expect(await counts()).toMatchObject({ message_received: 6, intent_detected: 6, reply_sent: 6 });

    const sent = await p.db.sql<{ data: { e2eMs: number; provider: string } }[]>`SELECT data FROM events WHERE type = 'reply_sent'`;
    for (const { data } of sent) {
      expect(data.provider).toBe('meta');
      expect(data.e2eMs).toBeGreaterThan(0);
      expect(data.e2eMs).toBeLessThan(10_000);
    }
    const intents = await p.db.sql<{ data: { intent: string; source: string; cache: string } }[]>`SELECT data FROM events WHERE type = 'intent_detected' ORDER BY id`;
    expect(intents.map((e) => e.data.intent).sort()).toEqual(['greeting', 'greeting', 'greeting', 'thanks', 'thanks', 'thanks']);
    expect(intents.every((e) => e.data.source === 'keywords' && ['hit', 'miss', 'new'].includes(e.data.cache))).toBe(true);
  });
});

describe('errors', () => {
  it('records a job given up on as an error event, with its reason', async () => {
    await p.rt.queues.ingest.add('poisoned', { inboundId: 'not-a-number' });
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM events WHERE type = 'error'`).length === 1)).toBe(true);
    const [event] = await p.db.sql<{ data: { stage: string; final: boolean; message: string } }[]>`SELECT data FROM events WHERE type = 'error'`;
    expect(event.data).toMatchObject({ stage: 'ingest', final: true });
    expect(event.data.message).toContain('invalid ingest payload');
  });
});

describe('the per-minute roll-up', () => {
  it('turns the minute\'s events into its row', async () => {
    const result = await rollUpRecentMinutes(p.db.sql);
    expect(result.minutes).toBeGreaterThanOrEqual(1);
    const rows = (await minuteRows()) as Record<string, unknown>[];
    const total = (k: string) => rows.reduce((s, r) => s + Number(r[k]), 0);
    expect(total('messages_in')).toBe(6);
    expect(total('messages_out')).toBe(6);
    const busy = rows.filter((r) => Number(r.messages_out) > 0);
    for (const r of busy) {
      expect(r.e2e_p50_ms).toBeGreaterThan(0);
      expect(r.e2e_p95_ms as number).toBeGreaterThanOrEqual(r.e2e_p50_ms as number);
      expect(r.e2e_p99_ms as number).toBeGreaterThanOrEqual(r.e2e_p95_ms as number);
    }
    const mix: Record<string, number> = {};
    for (const r of rows) for (const [k, v] of Object.entries(r.intents as Record<string, number>)) mix[k] = (mix[k] ?? 0) + v;
    expect(mix).toEqual({ greeting: 3, thanks: 3 });
    expect(total('errors')).toBe(1); // the poisoned job
  });

  it('is idempotent: running it again, or twice at once, changes nothing', async () => {
    const first = withoutComputedAt((await minuteRows()) as Record<string, unknown>[]);
    await rollUpRecentMinutes(p.db.sql);
    await Promise.all([rollUpRecentMinutes(p.db.sql), rollUpRecentMinutes(p.db.sql)]);
    expect(withoutComputedAt((await minuteRows()) as Record<string, unknown>[])).toEqual(first);
  });

  it('takes in an event committed late into a minute already rolled up', async () => {
    const [{ minute }] = await p.db.sql<{ minute: Date }[]>`SELECT max(minute) AS minute FROM metric_minutes WHERE messages_in > 0`;
    const before = Number((await p.db.sql`SELECT messages_in FROM metric_minutes WHERE minute = ${minute}`)[0].messages_in);
    await recordEvents(p.db.sql, [{ type: 'message_received', chatId: '573005559999', data: { kind: 'text', provider: 'meta' }, at: new Date(minute.getTime() + 30_000) }]);
    await rollUpRecentMinutes(p.db.sql);
    expect(Number((await p.db.sql`SELECT messages_in FROM metric_minutes WHERE minute = ${minute}`)[0].messages_in)).toBe(before + 1);
  });

  it('sums AI cost per provider, counts failures, and reads the accuracy signals', async () => {
    const at = new Date(Date.UTC(2026, 0, 5, 10, 7, 12));
    await insertAiCalls(p.db.sql, [
      { provider: 'gemini', purpose: 'intent', latencyMs: 120, outcome: 'ok', estimatedCost: 0.000075, at },
      { provider: 'gemini', purpose: 'reply', latencyMs: 300, outcome: 'ok', estimatedCost: 0.000075, at },
      { provider: 'openai', purpose: 'intent', latencyMs: 5000, outcome: 'timeout', estimatedCost: 0.00015, at },
      { provider: 'openai', purpose: 'intent', latencyMs: 0, outcome: 'breaker_open', estimatedCost: 0, at },
    ]);
    const intent = (data: Record<string, unknown>) => ({ type: 'intent_detected' as const, chatId: '573005558888', data: data as never, at });
    await recordEvents(p.db.sql, [
      intent({ intent: 'search_products', source: 'ai', keywordIntent: 'search_products', confidence: 0.9, cache: 'hit' }),
      intent({ intent: 'add_to_cart', source: 'ai', keywordIntent: 'search_products', confidence: 0.8, cache: 'hit' }),
      intent({ intent: 'help', source: 'ai', keywordIntent: 'unknown', confidence: 0.7, cache: 'miss' }),
      intent({ intent: 'unknown', source: 'keywords', keywordIntent: 'unknown', confidence: 0.3, lowConfidence: true, cache: 'hit' }),
      { type: 'error', chatId: null, data: { stage: 'converse', final: true, message: 'boom' }, at },
      { type: 'error', chatId: null, data: { stage: 'converse', final: false, message: 'retrying' }, at },
    ]);
    await rollUpMinutes(p.db.sql, at, at);
    const [row] = await p.db.sql`SELECT * FROM metric_minutes WHERE minute = ${new Date(Date.UTC(2026, 0, 5, 10, 7))}`;
    expect(row).toMatchObject({ ai_calls: 3, ai_failures: 1, ai_cost_by_provider: { gemini: 0.00015, openai: 0.00015 }, errors: 1, error_rate: 1 });
    expect(Number(row.ai_cost_usd)).toBeCloseTo(0.0003, 8);
    expect(row.ai_agreement).toBeCloseTo(0.5); // of the two AI readings where keywords had an opinion, one agreed
    expect(row.ai_low_confidence).toBeCloseTo(0.25);
    expect(row.cache_hit_rate).toBeCloseTo(0.75);
    expect(row.intents).toEqual({ search_products: 1, add_to_cart: 1, help: 1, unknown: 1 });
  });

  it('runs every minute from the maintenance queue under fixed scheduler ids', async () => {
    const ids = (await p.rt.queues.maintenance.getJobSchedulers()).map((s) => s.key);
    expect(ids).toEqual(expect.arrayContaining([ROLLUP_SCHEDULER_ID, PRUNE_SCHEDULER_ID, HANDOFF_SCHEDULER_ID]));
    const rollup = (await p.rt.queues.maintenance.getJobSchedulers()).find((s) => s.key === ROLLUP_SCHEDULER_ID)!;
    expect(Number(rollup.every)).toBe(60_000);
  });
});

describe('retention', () => {
  it('prunes raw events and roll-up rows past their age, keeping the rest', async () => {
    const old = new Date(Date.now() - 20 * 24 * 3600 * 1000);
    await recordEvents(p.db.sql, Array.from({ length: 25 }, () => ({ type: 'message_received' as const, chatId: '573005557777', data: { kind: 'text', provider: 'meta' }, at: old })));
    await p.db.sql`INSERT INTO metric_minutes (minute) VALUES (date_trunc('minute', now() - interval '500 days'))`;
    const recentEvents = Number((await p.db.sql`SELECT count(*) FROM events WHERE occurred_at > now() - interval '14 days'`)[0].count);
    // the 25 above and the AI test's events of January 2026
    const oldEvents = Number((await p.db.sql`SELECT count(*) FROM events WHERE occurred_at <= now() - interval '14 days'`)[0].count);
    expect(oldEvents).toBeGreaterThanOrEqual(25);

    const pruned = await pruneOldMetrics(p.db.sql, { eventDays: 14, minuteDays: 400, batch: 10 });
    expect(pruned).toEqual({ events: oldEvents, minutes: 1 });
    expect(Number((await p.db.sql`SELECT count(*) FROM events`)[0].count)).toBe(recentEvents);
    expect(await pruneOldMetrics(p.db.sql, { eventDays: 14, minuteDays: 400 })).toEqual({ events: 0, minutes: 0 });
  });
});
