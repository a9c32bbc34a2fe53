import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviderBreakers, type BreakerState } from '../../src/ai/breakers.ts';
import { createGeminiProvider } from '../../src/ai/gemini.ts';
import { createOpenAiCompatibleProvider } from '../../src/ai/openai-compatible.ts';
import { createAiRouter, type AiRouter } from '../../src/ai/router.ts';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { eventually, intentJson, memoryRecorder, providerConfig, sleep } from './support.ts';

// A provider that accepts the connection and never answers: the worst outage, because without a
// timeout every customer waits on it. The breaker must bound the wait, then remove it altogether.

let openai: FakeOpenAi;
let gemini: FakeGemini;
let router: AiRouter;
let recorder: ReturnType<typeof memoryRecorder>;
let transitions: [string, BreakerState][];

const TIMEOUT_MS = 200;
const RESET_MS = 600;

beforeAll(async () => {
  [openai, gemini] = await Promise.all([startFakeOpenAi(), startFakeGemini()]);
});
afterAll(async () => {
  await Promise.all([openai?.close(), gemini?.close()]);
});
beforeEach(() => {
  recorder = memoryRecorder();
  transitions = [];
  openai.recover();
  gemini.recover();
  openai.requests.length = 0;
  gemini.requests.length = 0;
  openai.reply(intentJson('greeting'));
  gemini.reply(intentJson('greeting'));
  router = createAiRouter({
    providers: [
      createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk', baseURL: openai.url, model: 'gpt-4o-mini' }),
      createGeminiProvider({ apiKey: 'gk', baseUrl: gemini.url, model: 'gemini-2.0-flash' }),
    ],
    config: async () => [
      providerConfig('openai', 10, { timeoutMs: TIMEOUT_MS, volumeThreshold: 3, resetTimeoutMs: RESET_MS }),
      providerConfig('gemini', 20, { timeoutMs: TIMEOUT_MS, volumeThreshold: 3, resetTimeoutMs: RESET_MS }),
    ],
    recordCall: recorder.record,
    enabled: async () => true,
    breakers: createProviderBreakers({ onStateChange: (p, s) => transitions.push([p, s]) }),
  });
});
afterEach(() => router.close());

const timed = async <T>(fn: () => Promise<T>) => {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
};

describe('a provider that hangs', () => {
  it('is aborted at its timeout, shut out after the volume threshold, skipped at once, and let back after recovery', async () => {
    const abortedBefore = openai.aborted();
    openai.hang();

    // 1. each call waits one timeout for openai, whose request is really closed, then gemini answers
    for (let i = 1; i <= 3; i++) {
      const { value, ms } = await timed(() => router.classify('hola'));
      expect(value).toMatchObject({ intent: 'greeting', provider: 'gemini' });
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(TIMEOUT_MS + 400);
      await eventually(() => openai.aborted() - abortedBefore === i);
    }
    expect(openai.requests).toHaveLength(3);
    expect(recorder.calls.filter((c) => c.provider === 'openai').map((c) => c.outcome)).toEqual(['timeout', 'timeout', 'timeout']);

    // 2. the third failure reached the volume threshold: the breaker is open
    expect(router.breakerState('openai')).toBe('open');
    expect(transitions).toContainEqual(['openai', 'open']);

    // 3. with the breaker open, openai is skipped without a request while it still hangs
    const skipped = await timed(() => router.classify('hola'));
    expect(skipped.value).toMatchObject({ provider: 'gemini' });
    expect(skipped.ms).toBeLessThan(50);
    expect(openai.requests).toHaveLength(3);
    expect(recorder.calls.at(-2)).toMatchObject({ provider: 'openai', outcome: 'breaker_open', estimatedCost: 0 });
    expect(recorder.calls.at(-2)!.latencyMs).toBeLessThan(50);

    // 4. the provider recovers; after resetTimeout one trial call goes through and closes the breaker
    openai.recover();
    await sleep(RESET_MS + 50);
    expect(router.breakerState('openai')).toBe('half_open');
    const back = await router.classify('hola');
    expect(back).toMatchObject({ intent: 'greeting', provider: 'openai' });
    expect(router.breakerState('openai')).toBe('closed');
    expect(transitions.filter(([p]) => p === 'openai').map(([, s]) => s)).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed trial call re-opens the breaker for another resetTimeout', async () => {
    openai.failNext(Infinity, { status: 500 });
    for (let i = 0; i < 3; i++) await router.classify('hola');
    expect(router.breakerState('openai')).toBe('open');
    await sleep(RESET_MS + 50);
    expect(await router.classify('hola')).toMatchObject({ provider: 'gemini' });
    expect(openai.requests).toHaveLength(4);
    expect(router.breakerState('openai')).toBe('open');
  });

  it('garbage answers count against the breaker like an outage', async () => {
    openai.reply('lo siento, no entiendo');
    for (let i = 0; i < 3; i++) expect(await router.classify('hola')).toMatchObject({ provider: 'gemini' });
    expect(recorder.calls.filter((c) => c.provider === 'openai').map((c) => c.outcome)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(router.breakerState('openai')).toBe('open');
  });

  it('a request-specific refusal (400) falls back but does not shut the provider out', async () => {
    openai.failNext(Infinity, { status: 400 });
    for (let i = 0; i < 5; i++) expect(await router.classify('hola')).toMatchObject({ provider: 'gemini' });
    expect(recorder.calls.filter((c) => c.provider === 'openai').map((c) => c.outcome)).toEqual(Array(5).fill('error'));
    expect(router.breakerState('openai')).toBe('closed');
  });

  it('all providers hanging: undefined after one timeout each, then at once once both breakers are open', async () => {
    const [abortedBefore, gAbortedBefore] = [openai.aborted(), gemini.aborted()];
    openai.hang();
    gemini.hang();
    const first = await timed(() => router.classify('hola'));
    expect(first.value).toBeUndefined();
    expect(first.ms).toBeLessThan(2 * TIMEOUT_MS + 400);
    await router.classify('hola');
    await router.classify('hola');
    await eventually(() => openai.aborted() - abortedBefore === 3 && gemini.aborted() - gAbortedBefore === 3);
    expect(router.breakerState('openai')).toBe('open');
    expect(router.breakerState('gemini')).toBe('open');
    const fast = await timed(() => router.reply([{ role: 'user', content: 'hola' }]));
    expect(fast.value).toBeUndefined();
    expect(fast.ms).toBeLessThan(50);
  });
});
