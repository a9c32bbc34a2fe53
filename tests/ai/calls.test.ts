import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallRecorder, estimateCost, type AiCall } from '../../src/ai/calls.ts';
import { createDb } from '../../src/db/client.ts';
import { databaseUrl } from '../support/pg-admin.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { providerConfig } from './support.ts';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

const call = (n: number): AiCall => ({ provider: 'gemini', purpose: 'intent', latencyMs: n + 0.4, promptTokens: 10, completionTokens: 5, estimatedCost: 0.000075, outcome: 'ok' });

describe('ai_calls recorder', () => {
  it('writes every call, in order, without making the caller wait', async () => {
    const recorder = createCallRecorder(db.sql);
    for (let i = 0; i < 1200; i++) recorder.record(call(i)); // more than one batch
    await recorder.flush();
    const rows = await db.sql<{ latency_ms: number }[]>`SELECT latency_ms FROM ai_calls ORDER BY id`;
    expect(rows.map((r) => r.latency_ms)).toEqual(Array.from({ length: 1200 }, (_, i) => i));
  });

  it('never throws when the database is away; failures and overflow go to onError', async () => {
    const gone = createDb({ url: databaseUrl('wa_no_such_database'), max: 1, connectTimeout: 1 });
    const failed: AiCall[] = [];
    const recorder = createCallRecorder(gone, (_, calls) => failed.push(...calls), 3);
    for (let i = 0; i < 5; i++) expect(() => recorder.record(call(i))).not.toThrow();
    await recorder.flush();
    expect(failed).toHaveLength(5); // 2 dropped at once (queue of 3 full), 3 failed to write
    await gone.end();
  });
});

describe('estimateCost', () => {
  const flat = providerConfig('gemini', 1, { costPerRequest: 0.000075 });
  const perToken = providerConfig('openai', 1, { costPerRequest: null, costPer1kPromptTokens: 0.15, costPer1kCompletionTokens: 0.6 });
  it('uses the flat price when there is one, else tokens, else unknown', () => {
    expect(estimateCost(flat, { promptTokens: 100, completionTokens: 50 }, 'ok')).toBe(0.000075);
    expect(estimateCost(perToken, { promptTokens: 1000, completionTokens: 500 }, 'ok')).toBeCloseTo(0.45, 10);
    expect(estimateCost(perToken, {}, 'timeout')).toBeNull();
    expect(estimateCost(providerConfig('x', 1, { costPerRequest: null }), { promptTokens: 5 }, 'ok')).toBeNull();
  });
  it('charges nothing for calls the provider refused or never saw', () => {
    expect(estimateCost(flat, {}, 'breaker_open')).toBe(0);
    expect(estimateCost(flat, {}, 'error')).toBe(0);
    expect(estimateCost(flat, { promptTokens: 10 }, 'invalid')).toBe(0.000075);
  });
});
