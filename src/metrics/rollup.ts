import type { Queryable } from '../db/client.ts';

// The per-minute roll-up of the events table into metric_minutes, for the dashboard. Each run
// recomputes whole minutes from the raw events and overwrites their rows, so it is idempotent: run it
// twice, or two maintenance workers at once, or late after an outage, and the rows come out the same.
// An event committed a little after its minute was first rolled up (a slow transaction keeps the
// timestamp it was written with) is picked up because the last few minutes are always recomputed.

/** Minutes before the newest rolled-up one that every run recomputes, for late commits. */
export const RECOMPUTE_MINUTES = 5;
/** After a long stop, catch up at most this far back (the raw events may be pruned beyond it anyway). */
const MAX_CATCH_UP_MINUTES = 24 * 60;

export interface RollupResult {
  from: Date;
  to: Date;
  minutes: number;
}

/** Roll up every minute from just before the last rolled-up one to the current (still open) minute. */
export async function rollUpRecentMinutes(db: Queryable, now = new Date()): Promise<RollupResult> {
  const [{ from }] = await db<{ from: Date }[]>`
    SELECT greatest(
             coalesce(max(minute), date_trunc('minute', ${now}::timestamptz)) - make_interval(mins => ${RECOMPUTE_MINUTES}),
             date_trunc('minute', ${now}::timestamptz) - make_interval(mins => ${MAX_CATCH_UP_MINUTES})) AS "from"
      FROM metric_minutes`;
  return rollUpMinutes(db, from, now);
}

/** Recompute the rows of every minute in [from, to] (both truncated to the minute) from the events. */
export async function rollUpMinutes(db: Queryable, from: Date, to: Date): Promise<RollupResult> {
  const rows = await db<{ minute: Date }[]>`
    WITH span AS (
      SELECT generate_series(date_trunc('minute', ${from}::timestamptz), date_trunc('minute', ${to}::timestamptz), interval '1 minute') AS minute),
    ev AS (
      SELECT date_trunc('minute', occurred_at) AS minute, type, data
        FROM events
       WHERE occurred_at >= date_trunc('minute', ${from}::timestamptz)
         AND occurred_at < date_trunc('minute', ${to}::timestamptz) + interval '1 minute'),
    counts AS (
      SELECT minute,
        count(*) FILTER (WHERE type = 'message_received') AS messages_in,
        count(*) FILTER (WHERE type = 'reply_sent') AS messages_out,
        percentile_cont(0.50) WITHIN GROUP (ORDER BY (data->>'e2eMs')::float8) FILTER (WHERE type = 'reply_sent') AS e2e_p50_ms,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY (data->>'e2eMs')::float8) FILTER (WHERE type = 'reply_sent') AS e2e_p95_ms,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY (data->>'e2eMs')::float8) FILTER (WHERE type = 'reply_sent') AS e2e_p99_ms,
        -- what the customer or the team would notice: a job given up on, a reply the provider refused
        count(*) FILTER (WHERE type = 'reply_failed' OR (type = 'error' AND (data->>'final')::boolean)) AS errors,
        count(*) FILTER (WHERE type = 'rate_limited') AS rate_limited,
        count(*) FILTER (WHERE type = 'intent_detected' AND data->>'cache' = 'hit') AS cache_hits,
        count(*) FILTER (WHERE type = 'intent_detected' AND data->>'cache' = 'miss') AS cache_misses,
        -- a call skipped by an open breaker never reached the provider
        count(*) FILTER (WHERE type = 'ai_call' AND data->>'outcome' <> 'breaker_open') AS ai_calls,
        count(*) FILTER (WHERE type = 'ai_call' AND data->>'outcome' NOT IN ('ok', 'breaker_open')) AS ai_failures,
        coalesce(sum((data->>'costUsd')::numeric) FILTER (WHERE type = 'ai_call'), 0) AS ai_cost_usd,
        avg((data->>'keywordIntent' = data->>'intent')::int)
          FILTER (WHERE type = 'intent_detected' AND data->>'source' = 'ai' AND data->>'keywordIntent' <> 'unknown') AS ai_agreement,
        avg(coalesce((data->>'lowConfidence')::boolean, false)::int)
          FILTER (WHERE type = 'intent_detected' AND data ? 'confidence') AS ai_low_confidence,
        count(*) FILTER (WHERE type = 'order_created') AS orders,
        count(*) FILTER (WHERE type = 'payment_received') AS payments,
        count(*) FILTER (WHERE type = 'handoff_started') AS handoffs_started
      FROM ev GROUP BY minute),
    cost_by_provider AS (
      SELECT minute, jsonb_object_agg(provider, cost) AS ai_cost_by_provider
        FROM (SELECT minute, data->>'provider' AS provider, sum(coalesce((data->>'costUsd')::numeric, 0)) AS cost
                FROM ev WHERE type = 'ai_call' AND data->>'outcome' <> 'breaker_open' GROUP BY 1, 2) p
       GROUP BY minute),
    intent_mix AS (
      SELECT minute, jsonb_object_agg(intent, n) AS intents
        FROM (SELECT minute, data->>'intent' AS intent, count(*) AS n FROM ev WHERE type = 'intent_detected' GROUP BY 1, 2) i
       GROUP BY minute)
    INSERT INTO metric_minutes AS m (minute, messages_in, messages_out, e2e_p50_ms, e2e_p95_ms, e2e_p99_ms, errors, error_rate,
                                     rate_limited, session_cache_hits, session_cache_misses, cache_hit_rate, ai_calls, ai_failures,
                                     ai_cost_usd, ai_cost_by_provider, ai_agreement, ai_low_confidence, intents, orders, payments,
                                     handoffs_started, computed_at)
    SELECT span.minute,
           coalesce(c.messages_in, 0), coalesce(c.messages_out, 0), c.e2e_p50_ms, c.e2e_p95_ms, c.e2e_p99_ms,
           coalesce(c.errors, 0),
           -- per customer message; errors in a minute without messages count as a full failure
           CASE WHEN coalesce(c.messages_in, 0) > 0 THEN least(c.errors::float8 / c.messages_in, 1) WHEN c.errors > 0 THEN 1 ELSE 0 END,
           coalesce(c.rate_limited, 0), coalesce(c.cache_hits, 0), coalesce(c.cache_misses, 0),
           c.cache_hits::float8 / nullif(c.cache_hits + c.cache_misses, 0),
           coalesce(c.ai_calls, 0), coalesce(c.ai_failures, 0), coalesce(c.ai_cost_usd, 0),
           coalesce(cp.ai_cost_by_provider, '{}'), c.ai_agreement, c.ai_low_confidence, coalesce(im.intents, '{}'),
           coalesce(c.orders, 0), coalesce(c.payments, 0), coalesce(c.handoffs_started, 0), now()
      FROM span
      LEFT JOIN counts c USING (minute)
      LEFT JOIN cost_by_provider cp USING (minute)
      LEFT JOIN intent_mix im USING (minute)
    ON CONFLICT (minute) DO UPDATE SET
      messages_in = EXCLUDED.messages_in, messages_out = EXCLUDED.messages_out,
      e2e_p50_ms = EXCLUDED.e2e_p50_ms, e2e_p95_ms = EXCLUDED.e2e_p95_ms, e2e_p99_ms = EXCLUDED.e2e_p99_ms,
      errors = EXCLUDED.errors, error_rate = EXCLUDED.error_rate, rate_limited = EXCLUDED.rate_limited,
      session_cache_hits = EXCLUDED.session_cache_hits, session_cache_misses = EXCLUDED.session_cache_misses,
      cache_hit_rate = EXCLUDED.cache_hit_rate, ai_calls = EXCLUDED.ai_calls, ai_failures = EXCLUDED.ai_failures,
      ai_cost_usd = EXCLUDED.ai_cost_usd, ai_cost_by_provider = EXCLUDED.ai_cost_by_provider,
      ai_agreement = EXCLUDED.ai_agreement, ai_low_confidence = EXCLUDED.ai_low_confidence, intents = EXCLUDED.intents,
      orders = EXCLUDED.orders, payments = EXCLUDED.payments, handoffs_started = EXCLUDED.handoffs_started,
      computed_at = EXCLUDED.computed_at
    RETURNING minute`;
  return { from, to, minutes: rows.length };
}

export interface PruneResult {
  events: number;
  minutes: number;
}

/**
 * Retention: raw events older than `eventDays` and roll-up rows older than `minuteDays` are deleted.
 * Events go in batches so a first prune of a large backlog never holds one long transaction.
 */
export async function pruneOldMetrics(db: Queryable, { eventDays, minuteDays, batch = 10_000 }: { eventDays: number; minuteDays: number; batch?: number }): Promise<PruneResult> {
  let events = 0;
  for (;;) {
    const deleted = await db`
      DELETE FROM events WHERE id IN (
        SELECT id FROM events WHERE occurred_at < now() - make_interval(days => ${eventDays}) ORDER BY occurred_at LIMIT ${batch})`;
    events += deleted.count;
    if (deleted.count < batch) break;
  }
  const minutes = await db`DELETE FROM metric_minutes WHERE minute < now() - make_interval(days => ${minuteDays})`;
  return { events, minutes: minutes.count };
}
