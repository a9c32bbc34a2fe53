import { createProviderBreakers, type BreakerState, type ProviderBreakers } from './breakers.ts';
import { estimateCost, type AiCall, type AiPurpose } from './calls.ts';
import { outcomeOf } from './errors.ts';
import type { AiIntentResult } from './intents.ts';
import { defaultProviderConfig, type ProviderConfig } from './provider-config.ts';
import type { AiContext, AiProvider, CallOptions, ChatMessage, TokenUsage } from './provider.ts';

export interface AiRouterOptions {
  /** The providers that have credentials; empty = keyword mode (every call answers undefined at once). */
  providers: AiProvider[];
  /** ai_provider_config rows, cached (see createProviderConfigCache). */
  config: () => Promise<ProviderConfig[]>;
  /** Told of every call and every skip; must not throw or block (see createCallRecorder). */
  recordCall: (call: AiCall) => void;
  /** The `use_ai_providers` switch; false = keyword mode without a redeploy. */
  enabled: () => Promise<boolean>;
  /** Defaults to a fresh set; pass one to watch breaker state changes. */
  breakers?: ProviderBreakers;
  /** Timeout of a transcription or image description (MEDIA_AI_TIMEOUT_MS, 30 s). */
  mediaTimeoutMs?: number;
}

export interface RoutedIntent extends AiIntentResult {
  /** Which provider answered. */
  provider: string;
}

export interface RoutedReply {
  text: string;
  provider: string;
}

export interface AiRouter {
  /** The customer's intent, or undefined when no provider answered: the caller then uses the keyword path. Never throws. */
  classify: (text: string, context?: AiContext) => Promise<RoutedIntent | undefined>;
  /** A free-text reply to the conversation so far, or undefined (use a canned text). Never throws. */
  reply: (messages: ChatMessage[], context?: AiContext) => Promise<RoutedReply | undefined>;
  /** A voice note's words, or undefined (no provider transcribes, or none answered). Never throws. */
  transcribe: (audio: Uint8Array, mimeType: string) => Promise<RoutedReply | undefined>;
  /** What a picture shows, in Spanish, or undefined. Never throws. */
  describeImage: (image: Uint8Array, mimeType: string, caption?: string) => Promise<RoutedReply | undefined>;
  /** Whether any configured provider can do this at all (so media is not downloaded for nothing). */
  supports: (ability: MediaAbility) => boolean;
  /** Whether a call could be tried now: the switch is on and some enabled provider's breaker is not open. Never throws. */
  available: () => Promise<boolean>;
  breakerState: (provider: string) => BreakerState | undefined;
  /** Stops the breakers' timers. */
  close: () => void;
}

/**
 * Tries the enabled providers in priority order, each behind its own breaker and timeout, and returns
 * the first valid answer. A provider whose breaker is open is skipped without waiting, so an outage costs
 * the customer one timeout per provider until the breakers open, then nothing.
 */
export type MediaAbility = 'transcribe' | 'describeImage';

/**
 * Media calls take seconds where an intent takes a fraction of one. They run through a breaker of their
 * own per provider ("openai:media") with their own timeout, so a slow transcription is neither cut off at
 * the chat timeout nor counted against the breaker that guards the chat.
 */
const forMedia = (timeoutMs: number) => (c: ProviderConfig): ProviderConfig => ({ ...c, name: `${c.name}:media`, timeoutMs });

export function createAiRouter({ providers, config, recordCall, enabled, breakers = createProviderBreakers(), mediaTimeoutMs = 30_000 }: AiRouterOptions): AiRouter {
  const record = (call: AiCall) => {
    try {
      recordCall(call);
    } catch {} // bookkeeping never costs the customer an answer
  };

  async function lineUp(): Promise<[AiProvider, ProviderConfig][]> {
    if (!(await enabled())) return [];
    const rows = await config().catch(() => [] as ProviderConfig[]);
    return providers
      .map((p): [AiProvider, ProviderConfig] => [p, rows.find((r) => r.name === p.name) ?? defaultProviderConfig(p.name)])
      .filter(([, c]) => c.enabled)
      .sort(([a, ca], [b, cb]) => ca.priority - cb.priority || a.name.localeCompare(b.name));
  }

  async function first<T, R>(
    purpose: AiPurpose,
    call: (provider: AiProvider, options: CallOptions) => Promise<T>,
    wrap: (value: T, provider: string) => R,
    media?: MediaAbility,
  ): Promise<R | undefined> {
    if (providers.length === 0) return undefined;
    try {
      for (const [provider, cfg] of (await lineUp()).filter(([p]) => !media || p[media])) {
        const at = new Date();
        const started = performance.now();
        let usage: TokenUsage = {};
        const options = (signal: AbortSignal): CallOptions => ({ signal, maxTokens: cfg.maxTokens, temperature: cfg.temperature, onUsage: (u) => void (usage = u) });
        try {
          const value = await breakers.run(media ? forMedia(mediaTimeoutMs)(cfg) : cfg, (signal) => call(provider, options(signal)));
          record({ at, provider: provider.name, purpose, latencyMs: performance.now() - started, ...usage, estimatedCost: estimateCost(cfg, usage, 'ok'), outcome: 'ok' });
          return wrap(value, provider.name);
        } catch (error) {
          const outcome = outcomeOf(error);
          record({
            at, provider: provider.name, purpose, latencyMs: performance.now() - started, ...usage,
            estimatedCost: estimateCost(cfg, usage, outcome), outcome, error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    } catch {} // the switch or the line-up could not be read: the keyword path answers
    return undefined;
  }

  return {
    classify: (text, context = {}) =>
      first('intent', (p, o) => p.classify({ ...o, text, context }), (value, provider) => ({ ...value, provider })),
    reply: (messages, context = {}) =>
      first('reply', (p, o) => p.reply({ ...o, messages, context }), (text, provider) => ({ text, provider })),
    available: async () => {
      try {
        return (await lineUp()).some(([provider]) => breakers.state(provider.name) !== 'open');
      } catch {
        return false;
      }
    },
    transcribe: (audio, mimeType) =>
      first('transcription', (p, o) => p.transcribe!({ ...o, audio, mimeType }), (text, provider) => ({ text, provider }), 'transcribe'),
    describeImage: (image, mimeType, caption) =>
      first('vision', (p, o) => p.describeImage!({ ...o, image, mimeType, caption }), (text, provider) => ({ text, provider }), 'describeImage'),
    supports: (ability) => providers.some((p) => p[ability] !== undefined),
    breakerState: (name) => breakers.state(name),
    close: () => breakers.shutdown(),
  };
}
