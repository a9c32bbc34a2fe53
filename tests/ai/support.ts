import { defaultProviderConfig, type ProviderConfig } from '../../src/ai/provider-config.ts';
import type { AiCall } from '../../src/ai/calls.ts';

/** A config row for tests: quick timeouts, small breaker windows. */
export const providerConfig = (name: string, priority: number, overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  ...defaultProviderConfig(name),
  priority,
  timeoutMs: 1000,
  volumeThreshold: 3,
  resetTimeoutMs: 60_000,
  ...overrides,
});

/** recordCall that keeps the calls in memory. */
export function memoryRecorder() {
  const calls: AiCall[] = [];
  return { calls, record: (call: AiCall) => void calls.push(call) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `check` holds (the server sees a client's hang-up a moment after the client moves on). */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

export const intentJson = (intent: string, entities: Record<string, unknown> = {}, confidence = 0.9) => JSON.stringify({ intent, entities, confidence });
