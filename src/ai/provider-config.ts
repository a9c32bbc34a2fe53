import type { Queryable } from '../db/client.ts';

/** One row of ai_provider_config, in the units the code uses. */
export interface ProviderConfig {
  name: string;
  enabled: boolean;
  /** Lower is tried first. */
  priority: number;
  maxTokens: number;
  temperature: number;
  costPerRequest: number | null;
  costPer1kPromptTokens: number | null;
  costPer1kCompletionTokens: number | null;
  timeoutMs: number;
  /** Calls in the breaker's rolling window before it may open (circuit_breaker_threshold). */
  volumeThreshold: number;
  errorThresholdPercentage: number;
  /** How long an open breaker waits before letting a trial call through (circuit_breaker_timeout, in ms here). */
  resetTimeoutMs: number;
}

/**
 * Used for a provider that has an API key but no row (a table emptied by hand, or not readable yet):
 * the key says the operator wants it, so it runs with the migration's defaults, last in line.
 */
export const defaultProviderConfig = (name: string): ProviderConfig => ({
  name,
  enabled: true,
  priority: 1000,
  maxTokens: 150,
  temperature: 0.7,
  costPerRequest: null,
  costPer1kPromptTokens: null,
  costPer1kCompletionTokens: null,
  timeoutMs: 5000,
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 300_000,
});

const num = (v: string | number | null) => (v === null ? null : Number(v));

export async function loadProviderConfig(db: Queryable): Promise<ProviderConfig[]> {
  const rows = await db<{
    provider_name: string; is_enabled: boolean; priority: number; max_tokens: number; temperature: string;
    cost_per_request: string | null; cost_per_1k_prompt_tokens: string | null; cost_per_1k_completion_tokens: string | null;
    timeout_ms: number; circuit_breaker_threshold: number; error_threshold_percentage: number; circuit_breaker_timeout: number;
  }[]>`SELECT provider_name, is_enabled, priority, max_tokens, temperature, cost_per_request, cost_per_1k_prompt_tokens,
              cost_per_1k_completion_tokens, timeout_ms, circuit_breaker_threshold, error_threshold_percentage, circuit_breaker_timeout
         FROM ai_provider_config ORDER BY priority, provider_name`;
  return rows.map((r) => ({
    name: r.provider_name,
    enabled: r.is_enabled,
    priority: r.priority,
    maxTokens: r.max_tokens,
    temperature: Number(r.temperature),
    costPerRequest: num(r.cost_per_request),
    costPer1kPromptTokens: num(r.cost_per_1k_prompt_tokens),
    costPer1kCompletionTokens: num(r.cost_per_1k_completion_tokens),
    timeoutMs: r.timeout_ms,
    volumeThreshold: r.circuit_breaker_threshold,
    errorThresholdPercentage: r.error_threshold_percentage,
    resetTimeoutMs: r.circuit_breaker_timeout * 1000,
  }));
}

/**
 * ai_provider_config read at most every `refreshMs`, so an UPDATE takes effect in every process without a
 * redeploy. Same discipline as the runtime settings: only the first read waits; later a stale copy is
 * answered at once and refreshed in the background (the caller may hold a pooled connection inside a
 * transaction, and waiting there for another is how pools deadlock). If the table can't be read, the
 * last known rows stand; before any read succeeds that is none, and the providers run on defaults.
 */
export function createProviderConfigCache(db: Queryable, refreshMs = 30_000): () => Promise<ProviderConfig[]> {
  let rows: ProviderConfig[] | undefined;
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  const refresh = () =>
    (loading ??= (async () => {
      try {
        rows = await loadProviderConfig(db);
      } catch {
        rows ??= [];
      } finally {
        loadedAt = Date.now();
        loading = undefined;
      }
    })());
  return async () => {
    if (!rows) await refresh();
    else if (Date.now() - loadedAt >= refreshMs) void refresh();
    return rows!;
  };
}
