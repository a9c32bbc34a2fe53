// Intent latency while every AI provider is down: once the breaker is open, a message must be understood
// at keyword speed, not after a timeout. A fake OpenAI on loopback hangs; the real client and router run.
import { createOpenAiCompatibleProvider } from '../src/ai/openai-compatible.ts';
import { defaultProviderConfig } from '../src/ai/provider-config.ts';
import { createAiRouter } from '../src/ai/router.ts';
import { readIntent } from '../src/conversation/respond.ts';
import { understandWithAi } from '../src/conversation/understand.ts';
import type { CustomerTurn } from '../src/conversation/turn.ts';
import { startFakeOpenAi } from '../tests/support/fake-openai.ts';
import { percentile, round } from './stats.ts';

const turn = (text: string): CustomerTurn => ({ kind: 'text', text, replyId: null, customerName: 'Bench', details: {} });

/** p50/p95 of understanding one message (AI attempt + keyword fallback) with the breaker open, and with keywords alone. */
export async function measureIntentLatencyWithBreakerOpen(texts: string[], samples = 2000) {
  const openai = await startFakeOpenAi();
  openai.hang();
  const cfg = { ...defaultProviderConfig('openai'), priority: 1, timeoutMs: 100, volumeThreshold: 3 };
  const router = createAiRouter({
    providers: [createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk-bench', baseURL: openai.url, model: 'gpt-4o-mini' })],
    config: async () => [cfg],
    recordCall: () => {},
    enabled: async () => true,
  });
  const deps = { ai: router, history: async () => [], knowledge: async () => '', guestFacts: async () => [] };
  const understand = async (text: string) => readIntent([turn(text)], await understandWithAi([turn(text)], deps));
  try {
    // open it: timeouts until the breaker has seen its volume of failures
    for (let i = 0; i < 10 && router.breakerState('openai') !== 'open'; i++) await understand('a que hora abren el domingo?');
    if (router.breakerState('openai') !== 'open') throw new Error('the breaker did not open');
    const requestsWhenOpened = openai.requests.length;
    const time = async (fn: (t: string) => unknown) => {
      const ms: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t = texts[i % texts.length];
        const start = performance.now();
        await fn(t);
        ms.push(performance.now() - start);
      }
      return ms;
    };
    const open = await time(understand);
    const keywords = await time((t) => readIntent([turn(t)]));
    return {
      intent_latency_breaker_open_p50_ms: round(percentile(open, 50), 3),
      intent_latency_breaker_open_p95_ms: round(percentile(open, 95), 3),
      intent_latency_keywords_p95_ms: round(percentile(keywords, 95), 3),
      provider_requests_while_open: openai.requests.length - requestsWhenOpened,
    };
  } finally {
    router.close();
    await openai.close();
  }
}
