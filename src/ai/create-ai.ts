import type { Config } from '../config/load.ts';
import type { Queryable } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { createProviderBreakers } from './breakers.ts';
import { createCallRecorder, type AiCall } from './calls.ts';
import { aiCallDuration, aiCalls } from '../metrics/registry.ts';
import { createGeminiProvider } from './gemini.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible.ts';
import type { AiProvider } from './provider.ts';
import { createProviderConfigCache } from './provider-config.ts';
import { createAiRouter, type AiRouter } from './router.ts';

type AiEnv = Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'DEEPSEEK_API_KEY' | 'DEEPSEEK_BASE_URL' | 'DEEPSEEK_MODEL' | 'GEMINI_API_KEY' | 'GEMINI_BASE_URL' | 'GEMINI_MODEL'>
  & Partial<Pick<Config, 'OPENAI_TRANSCRIBE_MODEL' | 'MEDIA_AI_TIMEOUT_MS'>>;

/** A provider for every API key set; none set is keyword mode, not an error. */
export function createAiProviders(env: AiEnv): AiProvider[] {
  const providers: AiProvider[] = [];
  // OpenAI transcribes voice notes and reads pictures (the gpt-4o family sees); DeepSeek does neither
  if (env.OPENAI_API_KEY) providers.push(createOpenAiCompatibleProvider({ name: 'openai', apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL, transcribeModel: env.OPENAI_TRANSCRIBE_MODEL ?? 'gpt-4o-mini-transcribe', vision: true }));
  if (env.DEEPSEEK_API_KEY) providers.push(createOpenAiCompatibleProvider({ name: 'deepseek', apiKey: env.DEEPSEEK_API_KEY, baseURL: env.DEEPSEEK_BASE_URL, model: env.DEEPSEEK_MODEL }));
  if (env.GEMINI_API_KEY) providers.push(createGeminiProvider({ apiKey: env.GEMINI_API_KEY, baseUrl: env.GEMINI_BASE_URL, model: env.GEMINI_MODEL }));
  return providers;
}

export interface CreateAiOptions {
  config: AiEnv;
  db: Queryable;
  /** The `use_ai_providers` switch, e.g. `() => settings.flag('use_ai_providers')`. */
  enabled: () => Promise<boolean>;
  log?: Logger;
  /** How old the cached ai_provider_config may get (30 s). */
  configRefreshMs?: number;
}

export interface Ai {
  router: AiRouter;
  /** Names of the providers with credentials, e.g. for the start-up log and the pre-migration check. */
  providers: string[];
  /** Waits for pending ai_calls rows, then stops the breakers. */
  close: () => Promise<void>;
}

/** The AI layer as a process uses it: providers from the environment, limits from ai_provider_config, calls into ai_calls. */
export function createAi({ config, db, enabled, log, configRefreshMs = 30_000 }: CreateAiOptions): Ai {
  const providers = createAiProviders(config);
  const recorder = createCallRecorder(db, (error, calls) => log?.warn({ err: error instanceof Error ? error.message : String(error), rows: calls.length }, 'could not record AI calls'));
  const breakers = createProviderBreakers({ onStateChange: (provider, state) => log?.warn({ provider, state }, 'AI provider breaker changed state') });
  const recordCall = (call: AiCall) => {
    aiCalls.inc({ provider: call.provider, purpose: call.purpose, outcome: call.outcome });
    if (call.outcome !== 'breaker_open') aiCallDuration.observe({ provider: call.provider, purpose: call.purpose }, call.latencyMs / 1000);
    recorder.record(call);
  };
  const router = createAiRouter({ providers, config: createProviderConfigCache(db, configRefreshMs), recordCall, enabled, breakers, mediaTimeoutMs: config.MEDIA_AI_TIMEOUT_MS });
  return {
    router,
    providers: providers.map((p) => p.name),
    close: async () => {
      await recorder.flush();
      router.close();
    },
  };
}
