import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCallRecorder, type CallRecorder } from '../../src/ai/calls.ts';
import { createGeminiProvider } from '../../src/ai/gemini.ts';
import { createOpenAiCompatibleProvider } from '../../src/ai/openai-compatible.ts';
import { createProviderConfigCache } from '../../src/ai/provider-config.ts';
import { createAiRouter, type AiRouter } from '../../src/ai/router.ts';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { eventually, intentJson } from '../ai/support.ts';

// The router's media calls on a real database: capable providers only, in priority order, behind
// breakers of their own with their own timeout, every call in ai_calls as 'transcription' or 'vision'.

let db: TestDatabase;
let openai: FakeOpenAi; // OpenAI at /v1, DeepSeek at the origin
let gemini: FakeGemini;
let recorder: CallRecorder;
let router: AiRouter;
const audio = randomBytes(2000);
const image = randomBytes(1500);

beforeAll(async () => {
  [db, openai, gemini] = await Promise.all([createTestDatabase(), startFakeOpenAi(), startFakeGemini()]);
});
afterAll(async () => {
  router?.close();
  await Promise.all([db?.drop(), openai?.close(), gemini?.close()]);
});

function makeRouter(mediaTimeoutMs = 2000) {
  router?.close();
  recorder = createCallRecorder(db.sql);
  router = createAiRouter({
    providers: [
      createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk', baseURL: openai.url, model: 'gpt-4o-mini', transcribeModel: 'gpt-4o-mini-transcribe', vision: true }),
      createOpenAiCompatibleProvider({ name: 'deepseek', apiKey: 'ds', baseURL: openai.origin, model: 'deepseek-chat' }),
      createGeminiProvider({ apiKey: 'gk', baseUrl: gemini.url, model: 'gemini-2.0-flash' }),
    ],
    config: createProviderConfigCache(db.sql),
    recordCall: recorder.record,
    enabled: async () => true,
    mediaTimeoutMs,
  });
  return router;
}

const aiCalls = async () => {
  await recorder.flush();
  return db.sql<{ provider: string; purpose: string; outcome: string }[]>`SELECT provider, purpose, outcome FROM ai_calls ORDER BY id`;
};
const paths = () => openai.requests.map((r) => r.path);

beforeEach(async () => {
  openai.recover();
  gemini.recover();
  openai.requests.length = 0;
  gemini.requests.length = 0;
  openai.transcript('necesito factura');
  openai.reply('Una gorra negra.');
  gemini.reply('Una gorra negra (Gemini).');
  await db.sql`DELETE FROM ai_calls`;
  // OpenAI first; chat calls get 300 ms, breakers open after 3 calls
  await db.sql`UPDATE ai_provider_config SET is_enabled = true, timeout_ms = 300, circuit_breaker_threshold = 3, error_threshold_percentage = 50,
                 priority = CASE provider_name WHEN 'openai' THEN 10 WHEN 'deepseek' THEN 20 ELSE 30 END`;
});

describe('media through the router', () => {
  it('transcribes with OpenAI and describes with the first vision provider, recording the purposes', async () => {
    makeRouter();
    expect(router.supports('transcribe')).toBe(true);
    expect(await router.transcribe(audio, 'audio/ogg')).toEqual({ text: 'necesito factura', provider: 'openai' });
    expect(await router.describeImage(image, 'image/jpeg', 'tienen esta?')).toEqual({ text: 'Una gorra negra.', provider: 'openai' });
    expect(await aiCalls()).toEqual([
      { provider: 'openai', purpose: 'transcription', outcome: 'ok' },
      { provider: 'openai', purpose: 'vision', outcome: 'ok' },
    ]);
  });

  it('OpenAI down: the picture is described by Gemini, never by DeepSeek, which cannot see', async () => {
    makeRouter();
    openai.failNext(Infinity, { status: 503 });
    expect(await router.describeImage(image, 'image/png')).toEqual({ text: 'Una gorra negra (Gemini).', provider: 'gemini' });
    expect(paths()).toEqual(['/v1/chat/completions']); // no DeepSeek call (that would be /chat/completions)
    expect(gemini.requests).toHaveLength(1);
    // and nobody else transcribes
    expect(await router.transcribe(audio, 'audio/ogg')).toBeUndefined();
    expect((await aiCalls()).map((c) => [c.provider, c.purpose, c.outcome])).toEqual([
      ['openai', 'vision', 'error'], ['gemini', 'vision', 'ok'], ['openai', 'transcription', 'error'],
    ]);
  });

  it('gives a slow transcription the media timeout, not the chat one', async () => {
    makeRouter(3000);
    openai.delay(700); // past the row's 300 ms, well within the media timeout
    expect(await router.transcribe(audio, 'audio/ogg')).toMatchObject({ provider: 'openai' });
    await router.classify('quiero algo'); // the chat call still times out at 300 ms
    const calls = (await aiCalls()).map((c) => [c.provider, c.purpose, c.outcome]);
    expect(calls.slice(0, 2)).toEqual([['openai', 'transcription', 'ok'], ['openai', 'intent', 'timeout']]);
    expect(router.breakerState('openai:media')).toBe('closed');
  });

  it('aborts a transcription past the media timeout', async () => {
    makeRouter(400);
    openai.hang();
    const started = performance.now();
    expect(await router.transcribe(audio, 'audio/ogg')).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1500);
    await eventually(() => openai.aborted() >= 1);
    expect((await aiCalls()).map((c) => c.outcome)).toEqual(['timeout']);
  });

  it('opens the media breaker on failing transcriptions without shutting OpenAI out of the chat', async () => {
    makeRouter();
    openai.failNext(3, { status: 500 });
    for (let i = 0; i < 3; i++) expect(await router.transcribe(audio, 'audio/ogg')).toBeUndefined();
    expect(router.breakerState('openai:media')).toBe('open');
    const requestsBefore = openai.requests.length;
    expect(await router.transcribe(audio, 'audio/ogg')).toBeUndefined(); // skipped at once
    expect(openai.requests.length).toBe(requestsBefore);
    openai.reply(intentJson('view_cart'));
    expect(await router.classify('que tengo en el carrito')).toMatchObject({ intent: 'view_cart', provider: 'openai' });
    expect(router.breakerState('openai')).toBe('closed');
    expect((await aiCalls()).map((c) => c.outcome)).toEqual(['error', 'error', 'error', 'breaker_open', 'ok']);
  });

  it('supports nothing and answers undefined at once with no provider that can', async () => {
    router?.close();
    const chatOnly = createAiRouter({
      providers: [createOpenAiCompatibleProvider({ name: 'deepseek', apiKey: 'ds', baseURL: openai.origin, model: 'deepseek-chat' })],
      config: async () => [], recordCall: () => {}, enabled: async () => true,
    });
    try {
      expect([chatOnly.supports('transcribe'), chatOnly.supports('describeImage')]).toEqual([false, false]);
      expect(await chatOnly.describeImage(image, 'image/jpeg')).toBeUndefined();
      expect(openai.requests).toHaveLength(0);
    } finally {
      chatOnly.close();
    }
  });
});
