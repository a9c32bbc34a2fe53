import type { Queryable } from '../db/client.ts';
import type { AiCallOutcome } from './errors.ts';
import type { ProviderConfig } from './provider-config.ts';
import type { TokenUsage } from './provider.ts';

export type AiPurpose = 'intent' | 'reply' | 'transcription' | 'vision';

/** One row of ai_calls. */
export interface AiCall {
  provider: string;
  purpose: AiPurpose;
  latencyMs: number;
  promptTokens?: number;
  completionTokens?: number;
  estimatedCost?: number | null;
  outcome: AiCallOutcome;
  error?: string;
  /** When the call started (defaults to when the row is written). */
  at?: Date;
}

/**
 * What a call cost: the flat cost_per_request when the row has one (the seed prices calls that way),
 * else the per-1k-token prices times the tokens reported, else unknown (null). A call skipped by an open
 * breaker or refused with an error generated nothing and costs nothing; a timed-out one counts as paid,
 * since the provider goes on generating after we hang up.
 */
export function estimateCost(config: ProviderConfig, usage: TokenUsage, outcome: AiCallOutcome): number | null {
  if (outcome === 'breaker_open' || outcome === 'error') return 0;
  if (config.costPerRequest !== null) return config.costPerRequest;
  const { costPer1kPromptTokens: inPrice, costPer1kCompletionTokens: outPrice } = config;
  if (inPrice === null && outPrice === null) return null;
  if (usage.promptTokens === undefined && usage.completionTokens === undefined) return null;
  return ((usage.promptTokens ?? 0) * (inPrice ?? 0) + (usage.completionTokens ?? 0) * (outPrice ?? 0)) / 1000;
}

const columns = ['provider', 'purpose', 'latency_ms', 'prompt_tokens', 'completion_tokens', 'estimated_cost', 'outcome', 'error', 'created_at'] as const;
const toRow = (call: AiCall) => ({
  provider: call.provider,
  purpose: call.purpose,
  latency_ms: Math.round(call.latencyMs),
  prompt_tokens: call.promptTokens ?? null,
  completion_tokens: call.completionTokens ?? null,
  estimated_cost: call.estimatedCost ?? null,
  outcome: call.outcome,
  error: call.error?.slice(0, 1000) ?? null,
  created_at: call.at ?? new Date(),
});

/** Write calls to ai_calls, and each as an `ai_call` event for the roll-ups, in one statement. */
export async function insertAiCalls(db: Queryable, calls: AiCall[]): Promise<void> {
  if (calls.length === 0) return;
  await db`
    WITH written AS (INSERT INTO ai_calls ${db(calls.map(toRow), ...columns)} RETURNING *)
    INSERT INTO events (type, occurred_at, data)
    SELECT 'ai_call', created_at, jsonb_build_object('provider', provider, 'purpose', purpose, 'latencyMs', latency_ms,
             'outcome', outcome, 'costUsd', estimated_cost)
      FROM written`;
}

export interface CallRecorder {
  /** Queue the row; never throws, never makes the caller wait. */
  record: (call: AiCall) => void;
  /** Resolves when every row queued so far is written or given up (tests, shutdown). */
  flush: () => Promise<void>;
}

/**
 * Bookkeeping must not cost the customer anything. Rows are queued and written in the background, in
 * order, many per INSERT, on one pooled connection at a time: not in the caller's transaction (whose
 * rollback would erase them), not awaited (waiting for a second pooled connection while holding one is
 * how a busy pool deadlocks), and not one connection per call (an outage makes every message produce
 * several rows at once). If the database is away, rows beyond `maxQueued` are dropped and reported to
 * `onError`, as is a failed write: memory stays bounded and the customer is still answered.
 */
export function createCallRecorder(db: Queryable, onError: (error: unknown, calls: AiCall[]) => void = () => {}, maxQueued = 5000): CallRecorder {
  const queue: AiCall[] = [];
  const report = (error: unknown, calls: AiCall[]) => {
    try {
      onError(error, calls);
    } catch {}
  };
  let writing: Promise<void> | undefined;
  const drain = async () => {
    while (queue.length) {
      const batch = queue.splice(0, 500);
      try {
        await insertAiCalls(db, batch);
      } catch (error) {
        report(error, batch);
      }
    }
  };
  // a row queued between the drain's last check and its end starts the next drain
  const kick = (): void => {
    writing ??= drain().finally(() => {
      writing = undefined;
      if (queue.length) kick();
    });
  };
  return {
    record: (call) => {
      if (queue.length >= maxQueued) return report(new Error(`ai_calls queue full (${maxQueued}); row dropped`), [call]);
      queue.push(call);
      kick();
    },
    flush: async () => {
      while (writing) await writing;
    },
  };
}
