import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCallRecorder, type CallRecorder } from '../../src/ai/calls.ts';
import { createAi, createAiProviders } from '../../src/ai/create-ai.ts';
import { createGeminiProvider } from '../../src/ai/gemini.ts';
import { createOpenAiCompatibleProvider } from '../../src/ai/openai-compatible.ts';
import { createProviderConfigCache, loadProviderConfig } from '../../src/ai/provider-config.ts';
import { createAiRouter, type AiRouter } from '../../src/ai/router.ts';
import { createRuntimeSettings, writeSetting } from '../../src/crm/system-config.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { intentJson } from './support.ts';

// The router on a real database: order and limits from ai_provider_config, the use_ai_providers switch
// from system_config, every call written to ai_calls.

let db: TestDatabase;
let openai: FakeOpenAi; // serves both OpenAI (/v1) and DeepSeek (no /v1)
let gemini: FakeGemini;
let recorder: CallRecorder;
let router: AiRouter;

beforeAll(async () => {
  [db, openai, gemini] = await Promise.all([createTestDatabase(), startFakeOpenAi(), startFakeGemini()]);
});
afterAll(async () => {
  router?.close();
  await Promise.all([db?.drop(), openai?.close(), gemini?.close()]);
});

function makeRouter(enabled: () => Promise<boolean> = async () => true) {
  router?.close();
  recorder = createCallRecorder(db.sql);
  router = createAiRouter({
    providers: [
      createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk', baseURL: openai.url, model: 'gpt-4o-mini' }),
      createOpenAiCompatibleProvider({ name: 'deepseek', apiKey: 'ds', baseURL: openai.origin, model: 'deepseek-chat' }),
      createGeminiProvider({ apiKey: 'gk', baseUrl: gemini.url, model: 'gemini-2.0-flash' }),
    ],
    config: createProviderConfigCache(db.sql),
    recordCall: recorder.record,
    enabled,
  });
  return router;
}

const aiCalls = async () => {
  await recorder.flush();
  return db.sql<{ provider: string; purpose: string; latency_ms: number; prompt_tokens: number | null; completion_tokens: number | null; estimated_cost: string | null; outcome: string; error: string | null }[]>`
    SELECT provider, purpose, latency_ms, prompt_tokens, completion_tokens, estimated_cost, outcome, error FROM ai_calls ORDER BY id`;
};

beforeEach(async () => {
  openai.recover();
  gemini.recover();
  openai.requests.length = 0;
  gemini.requests.length = 0;
  openai.reply(intentJson('search_products', { query: 'camisa' }));
  gemini.reply(intentJson('search_products', { query: 'camisa' }));
  await db.sql`DELETE FROM ai_calls`;
  // the migration's seed: gemini 90, deepseek 100, openai 110
  await db.sql`UPDATE ai_provider_config SET is_enabled = true, priority = CASE provider_name WHEN 'gemini' THEN 90 WHEN 'deepseek' THEN 100 ELSE 110 END,
                 cost_per_request = CASE provider_name WHEN 'gemini' THEN 0.000075 WHEN 'deepseek' THEN 0.00014 ELSE 0.00015 END,
                 cost_per_1k_prompt_tokens = NULL, cost_per_1k_completion_tokens = NULL`;
  await writeSetting(db.sql, 'use_ai_providers', 'true');
});

describe('ai_provider_config', () => {
  it('is seeded with the three providers, gemini first, in the units the code uses', async () => {
    const rows = await loadProviderConfig(db.sql);
    expect(rows.map((r) => [r.name, r.priority, r.enabled])).toEqual([['gemini', 90, true], ['deepseek', 100, true], ['openai', 110, true]]);
    expect(rows[0]).toMatchObject({ timeoutMs: 3000, costPerRequest: 0.000075, volumeThreshold: 5, resetTimeoutMs: 300_000, maxTokens: 150, temperature: 0.7 });
  });
});

describe('the AI router', () => {
  it('asks the first provider by priority and records the call with latency, tokens and cost', async () => {
    makeRouter();
    const result = await router.classify('busco camisa', { customerName: 'Ana' });
    expect(result).toEqual({ intent: 'search_products', entities: { query: 'camisa' }, confidence: 0.9, provider: 'gemini' });
    expect(openai.requests).toHaveLength(0);
    const [call] = await aiCalls();
    expect(call).toMatchObject({ provider: 'gemini', purpose: 'intent', outcome: 'ok', estimated_cost: '0.00007500', error: null });
    expect(call.latency_ms).toBeGreaterThanOrEqual(0);
    expect(call.prompt_tokens).toBeGreaterThan(0);
    expect(call.completion_tokens).toBeGreaterThan(0);
  });

  it('falls back in priority order: gemini down → deepseek answers; both down → openai', async () => {
    makeRouter();
    gemini.failNext(Infinity, { status: 503 });
    expect(await router.classify('hola')).toMatchObject({ provider: 'deepseek' });
    expect(openai.requests.map((r) => r.path)).toEqual(['/chat/completions']);

    openai.reply((body) => (body.model === 'deepseek-chat' ? 'esto no es JSON' : intentJson('greeting')));
    expect(await router.classify('hola')).toMatchObject({ intent: 'greeting', provider: 'openai' });
    expect(openai.requests.map((r) => r.path)).toEqual(['/chat/completions', '/chat/completions', '/v1/chat/completions']);

    const calls = await aiCalls();
    expect(calls.map((c) => [c.provider, c.outcome])).toEqual([
      ['gemini', 'error'], ['deepseek', 'ok'],
      ['gemini', 'error'], ['deepseek', 'invalid'], ['openai', 'ok'],
    ]);
    expect(calls[0]).toMatchObject({ estimated_cost: '0.00000000', prompt_tokens: null });
    expect(calls[0].error).toContain('503');
    // the invalid answer was paid for, and its tokens are on record
    expect(calls[3].prompt_tokens).toBeGreaterThan(0);
    expect(calls[3].estimated_cost).toBe('0.00014000');
    expect(calls[3].error).toMatch(/invalid answer/);
  });

  it('follows a change of priority or is_enabled in the table', async () => {
    await db.sql`UPDATE ai_provider_config SET priority = 1 WHERE provider_name = 'openai'`;
    await db.sql`UPDATE ai_provider_config SET is_enabled = false WHERE provider_name = 'gemini'`;
    makeRouter();
    expect(await router.classify('hola')).toMatchObject({ provider: 'openai' });
    openai.failNext(Infinity, { status: 500 });
    expect(await router.classify('hola')).toBeUndefined(); // deepseek shares the fake, gemini is disabled
    expect(gemini.requests).toHaveLength(0);
  });

  it('prices by tokens when the row has no flat price', async () => {
    await db.sql`UPDATE ai_provider_config SET cost_per_request = NULL, cost_per_1k_prompt_tokens = 0.15, cost_per_1k_completion_tokens = 0.6 WHERE provider_name = 'gemini'`;
    makeRouter();
    await router.reply([{ role: 'user', content: 'hola' }]);
    const [call] = await aiCalls();
    expect(call.purpose).toBe('reply');
    const expected = (call.prompt_tokens! * 0.15 + call.completion_tokens! * 0.6) / 1000;
    expect(Number(call.estimated_cost)).toBeCloseTo(expected, 8);
  });

  it('answers undefined quickly when every provider is down', async () => {
    makeRouter();
    gemini.failNext(Infinity, { status: 503 });
    openai.failNext(Infinity, { status: 429 });
    const started = performance.now();
    expect(await router.classify('hola')).toBeUndefined();
    expect(await router.reply([{ role: 'user', content: 'hola' }])).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
    expect((await aiCalls()).map((c) => c.outcome)).toEqual(Array(6).fill('error'));
  });

  it('with use_ai_providers=false answers undefined without calling anyone, and resumes when switched back', async () => {
    await writeSetting(db.sql, 'use_ai_providers', 'false');
    const settings = createRuntimeSettings(db.sql, 0);
    makeRouter(() => settings.flag('use_ai_providers'));
    expect(await router.classify('hola')).toBeUndefined();
    expect(await router.reply([{ role: 'user', content: 'hola' }])).toBeUndefined();
    expect(openai.requests).toHaveLength(0);
    expect(gemini.requests).toHaveLength(0);
    expect(await aiCalls()).toHaveLength(0);

    await writeSetting(db.sql, 'use_ai_providers', 'true');
    await settings.prime();
    expect(await router.classify('hola')).toMatchObject({ provider: 'gemini' });
  });

  it('never throws to the caller, even when the switch or the config cannot be read', async () => {
    const r = createAiRouter({
      providers: [createGeminiProvider({ apiKey: 'gk', baseUrl: gemini.url, model: 'gemini-2.0-flash' })],
      config: async () => { throw new Error('db down'); },
      recordCall: () => { throw new Error('db down'); },
      enabled: async () => true,
    });
    // config unreadable: the provider runs on defaults; recording failing costs nothing
    expect(await r.classify('hola')).toMatchObject({ provider: 'gemini' });
    const broken = createAiRouter({ providers: [], config: async () => [], recordCall: () => {}, enabled: async () => { throw new Error('x'); } });
    expect(await broken.classify('hola')).toBeUndefined();
    const brokenSwitch = createAiRouter({
      providers: [createGeminiProvider({ apiKey: 'gk', baseUrl: gemini.url, model: 'gemini-2.0-flash' })],
      config: async () => [], recordCall: () => {}, enabled: async () => { throw new Error('x'); },
    });
    expect(await brokenSwitch.classify('hola')).toBeUndefined();
    r.close();
    broken.close();
    brokenSwitch.close();
  });
});

describe('createAi', () => {
  it('builds only the providers that have an API key; none is keyword mode', async () => {
    expect(createAiProviders(loadConfig({})).map((p) => p.name)).toEqual([]);
    expect(createAiProviders(loadConfig({ DEEPSEEK_API_KEY: 'ds', GEMINI_API_KEY: 'g' })).map((p) => p.name)).toEqual(['deepseek', 'gemini']);

    const keywordMode = createAi({ config: loadConfig({}), db: db.sql, enabled: async () => true });
    expect(keywordMode.providers).toEqual([]);
    expect(await keywordMode.router.classify('hola')).toBeUndefined();
    await keywordMode.close();
  });

  it('wires env, table and ai_calls together', async () => {
    const ai = createAi({
      config: loadConfig({ OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: openai.url, GEMINI_API_KEY: 'gk', GEMINI_BASE_URL: gemini.url }),
      db: db.sql,
      enabled: async () => true,
    });
    expect(ai.providers).toEqual(['openai', 'gemini']);
    gemini.failNext(1, { status: 500 });
    expect(await ai.router.classify('hola')).toMatchObject({ provider: 'openai' });
    expect(openai.requests[0].body).toMatchObject({ model: 'gpt-4o-mini' });
    expect(gemini.requests[0].model).toBe('gemini-2.0-flash');
    await ai.close();
    const rows = await db.sql<{ provider: string; outcome: string }[]>`SELECT provider, outcome FROM ai_calls ORDER BY id`;
    expect(rows).toEqual([{ provider: 'gemini', outcome: 'error' }, { provider: 'openai', outcome: 'ok' }]);
  });
});
