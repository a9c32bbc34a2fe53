import type { Queryable } from '../db/client.ts';

// What the operations dashboard reads: the per-minute roll-ups (metric_minutes) and the open handoffs.
// Queue depth is live Redis state, not a roll-up: see src/queues/queue-depth.ts.

export const DEFAULT_WINDOW_MINUTES = 60;
export const MAX_WINDOW_MINUTES = 1440;
// the "last hour" figures need an hour of rows whatever window the chart shows
const HOUR = 60;

/** One minute of the window. Counts and rates of a minute without a roll-up row are 0; latency is null (nothing was measured). */
export interface MinutePoint {
  minute: Date;
  messagesIn: number;
  messagesOut: number;
  e2eP50Ms: number | null;
  e2eP95Ms: number | null;
  e2eP99Ms: number | null;
  /** e2e less the deliberate burst wait (see withoutBurstWait): what processing added; null as e2e is */
  processingP50Ms: number | null;
  processingP95Ms: number | null;
  processingP99Ms: number | null;
  errors: number;
  errorRate: number;
  rateLimited: number;
  cacheHits: number;
  cacheMisses: number;
  cacheHitRate: number | null;
  aiCalls: number;
  aiFailures: number;
  aiCostUsd: number;
  orders: number;
  payments: number;
  handoffsStarted: number;
}

interface MinuteRow extends Omit<MinutePoint, 'processingP50Ms' | 'processingP95Ms' | 'processingP99Ms'> {
  aiCostByProvider: Record<string, number>;
  intents: Record<string, number>;
}

/** Right now, for the figure cards: the last complete minute, the last hour, the latest measurements. */
export interface CurrentFigures {
  /** the last complete minute (the current one is still filling) */
  minute: Date;
  messagesInLastMinute: number;
  messagesOutLastMinute: number;
  /** the 60 minutes up to and including the current one */
  messagesInLastHour: number;
  messagesOutLastHour: number;
  /** latest minute of the last hour that measured a latency; null if none did */
  e2eP95Ms: number | null;
  /** the same minute's p95 less the burst wait: what processing added */
  processingP95Ms: number | null;
  /** error rate of the latest minute of the last hour with any traffic; 0 without traffic */
  errorRate: number;
  /** latest minute of the last hour that read a session; null if none did */
  cacheHitRate: number | null;
}

/** Sums over the whole window the charts show. */
export interface WindowTotals {
  messagesIn: number;
  messagesOut: number;
  errors: number;
  rateLimited: number;
  aiCalls: number;
  aiFailures: number;
  aiCostUsd: number;
  aiCostByProvider: Record<string, number>;
  intents: Record<string, number>;
  /** hits / (hits + misses) over the window; null when no session was read */
  cacheHitRate: number | null;
  orders: number;
  payments: number;
  handoffsStarted: number;
}

export interface MetricWindow {
  /** MESSAGE_BUFFER_MS: every reply waits this long on purpose for the rest of a burst */
  burstWindowMs: number;
  from: Date;
  to: Date;
  series: MinutePoint[];
  current: CurrentFigures;
  totals: WindowTotals;
}

/**
 * Processing latency: the end-to-end time less the burst window. A reply is timed from its customer
 * message's commit (the last of a burst), and the converse stage waits `burstWindowMs` after that message
 * on purpose, for the rest of the burst (MESSAGE_BUFFER_MS); what is left is what ingest, converse, the
 * queues and the provider added. Subtracting a constant moves every percentile by that constant, so the
 * roll-up's e2e percentiles give these without a column of their own. Replies held longer while the
 * customer was typing (Whapi presences, TYPING_BUFFER_MS) count the extra wait as processing.
 */
export const withoutBurstWait = (e2eMs: number | null, burstWindowMs: number): number | null =>
  e2eMs === null ? null : Math.max(0, e2eMs - burstWindowMs);

/**
 * The last `minutes` minutes up to the current one, one point per minute, zero-filled by generate_series so
 * a quiet minute (no roll-up row) is drawn as 0 rather than skipped. One statement, so every figure is
 * taken against the same `now()`.
 */
export async function readMetricWindow(db: Queryable, minutes = DEFAULT_WINDOW_MINUTES, burstWindowMs = 0): Promise<MetricWindow> {
  const span = Math.max(minutes, HOUR);
  const rows = await db<MinuteRow[]>`
    WITH span AS (
      SELECT generate_series(date_trunc('minute', now()) - make_interval(mins => ${span - 1}), date_trunc('minute', now()), interval '1 minute') AS minute)
    SELECT s.minute,
           coalesce(m.messages_in, 0) AS "messagesIn", coalesce(m.messages_out, 0) AS "messagesOut",
           m.e2e_p50_ms AS "e2eP50Ms", m.e2e_p95_ms AS "e2eP95Ms", m.e2e_p99_ms AS "e2eP99Ms",
           coalesce(m.errors, 0) AS errors, coalesce(m.error_rate, 0) AS "errorRate", coalesce(m.rate_limited, 0) AS "rateLimited",
           coalesce(m.session_cache_hits, 0) AS "cacheHits", coalesce(m.session_cache_misses, 0) AS "cacheMisses", m.cache_hit_rate AS "cacheHitRate",
           coalesce(m.ai_calls, 0) AS "aiCalls", coalesce(m.ai_failures, 0) AS "aiFailures", coalesce(m.ai_cost_usd, 0)::float8 AS "aiCostUsd",
           coalesce(m.ai_cost_by_provider, '{}') AS "aiCostByProvider", coalesce(m.intents, '{}') AS intents,
           coalesce(m.orders, 0) AS orders, coalesce(m.payments, 0) AS payments, coalesce(m.handoffs_started, 0) AS "handoffsStarted"
      FROM span s LEFT JOIN metric_minutes m ON m.minute = s.minute
     ORDER BY s.minute`;
  const inWindow = rows.slice(-minutes);
  const processing = (ms: number | null) => withoutBurstWait(ms, burstWindowMs);
  return {
    burstWindowMs,
    from: inWindow[0].minute,
    to: inWindow[inWindow.length - 1].minute,
    series: inWindow.map(({ aiCostByProvider: _cost, intents: _intents, ...point }) => ({
      ...point,
      processingP50Ms: processing(point.e2eP50Ms),
      processingP95Ms: processing(point.e2eP95Ms),
      processingP99Ms: processing(point.e2eP99Ms),
    })),
    current: currentFigures(rows.slice(-HOUR), burstWindowMs),
    totals: windowTotals(inWindow),
  };
}

function currentFigures(hour: MinuteRow[], burstWindowMs: number): CurrentFigures {
  const lastComplete = hour[hour.length - 2] ?? hour[hour.length - 1];
  const latest = <T>(pick: (r: MinuteRow) => T | null | undefined): T | undefined => {
    for (let i = hour.length - 1; i >= 0; i--) {
      const value = pick(hour[i]);
      if (value !== null && value !== undefined) return value;
    }
    return undefined;
  };
  return {
    minute: lastComplete.minute,
    messagesInLastMinute: lastComplete.messagesIn,
    messagesOutLastMinute: lastComplete.messagesOut,
    messagesInLastHour: sum(hour, (r) => r.messagesIn),
    messagesOutLastHour: sum(hour, (r) => r.messagesOut),
    e2eP95Ms: latest((r) => r.e2eP95Ms) ?? null,
    processingP95Ms: withoutBurstWait(latest((r) => r.e2eP95Ms) ?? null, burstWindowMs),
    errorRate: latest((r) => (r.messagesIn + r.messagesOut + r.errors > 0 ? r.errorRate : null)) ?? 0,
    cacheHitRate: latest((r) => r.cacheHitRate) ?? null,
  };
}

function windowTotals(rows: MinuteRow[]): WindowTotals {
  const hits = sum(rows, (r) => r.cacheHits);
  const misses = sum(rows, (r) => r.cacheMisses);
  return {
    messagesIn: sum(rows, (r) => r.messagesIn),
    messagesOut: sum(rows, (r) => r.messagesOut),
    errors: sum(rows, (r) => r.errors),
    rateLimited: sum(rows, (r) => r.rateLimited),
    aiCalls: sum(rows, (r) => r.aiCalls),
    aiFailures: sum(rows, (r) => r.aiFailures),
    aiCostUsd: roundUsd(sum(rows, (r) => r.aiCostUsd)),
    aiCostByProvider: mapValues(sumMaps(rows.map((r) => r.aiCostByProvider)), roundUsd),
    intents: sumMaps(rows.map((r) => r.intents)),
    cacheHitRate: hits + misses > 0 ? hits / (hits + misses) : null,
    orders: sum(rows, (r) => r.orders),
    payments: sum(rows, (r) => r.payments),
    handoffsStarted: sum(rows, (r) => r.handoffsStarted),
  };
}

const sum = <T>(rows: T[], pick: (r: T) => number) => rows.reduce((total, r) => total + pick(r), 0);

/** {key: number} objects added key by key; a value that is not a finite number (a roll-up bug) counts as 0. */
function sumMaps(maps: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) out[key] = (out[key] ?? 0) + (Number.isFinite(Number(value)) ? Number(value) : 0);
  }
  return out;
}

const mapValues = (map: Record<string, number>, f: (v: number) => number) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, f(v)]));
// the column is numeric(14,8): sums of floats are rounded back to it so 0.0012 + 0.0003 reads 0.0015
const roundUsd = (usd: number) => Math.round(usd * 1e8) / 1e8;
