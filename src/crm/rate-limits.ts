import type { Redis } from 'ioredis';
import type { Queryable } from '../db/client.ts';
import { createRateLimitScript, rateLimitKeys, RATE_WINDOWS, type RateWindow } from './rate-limit-script.ts';

export type { RateWindow };
export type CustomerTier = 'new' | 'regular' | 'vip';

/** Limits of one tier, as in `rate_limit_config`. `burst` caps messages within the burst window (10 s). */
export interface RateLimitConfig {
  perMinute: number;
  perHour: number;
  perDay: number;
  burst: number;
}

/** Seed 004's defaults, used until (and whenever) `rate_limit_config` cannot be read. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<CustomerTier, RateLimitConfig>> = {
  new: { perMinute: 5, perHour: 60, perDay: 500, burst: 10 },
  regular: { perMinute: 10, perHour: 120, perDay: 1000, burst: 20 },
  vip: { perMinute: 20, perHour: 300, perDay: 2000, burst: 50 },
};

/**
 * Window lengths. The seed's "burst size" came with no window; we read it as "at most `burst` messages
 * within any 10 s", a sliding window like the others so one mechanism serves all four. It only binds
 * when set below the per-minute limit (a whole minute's allowance can arrive within 10 s); with the
 * seed's numbers it never is, so it is a lever an operator can pull, e.g. burst 3 with 10 a minute.
 * Tests shrink the windows instead of waiting a real minute.
 */
export const DEFAULT_WINDOWS_MS: Readonly<Record<RateWindow, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  burst: 10_000,
};

export type RateDecision =
  | { allowed: true; remaining: Record<RateWindow, number> }
  | { allowed: false; window: RateWindow; retryAfterMs: number; notify: boolean };

export interface RateLimiter {
  /**
   * Count `messageId` (the provider's id) against the customer's windows. Checking the same id again
   * answers what the first check answered and counts nothing, so a re-run job is harmless. A denial with
   * `notify` true is the first in its window: tell the customer once; later denials stay silent.
   * Tier comes from `customers.customer_tier`; anything unknown is treated as 'new'.
   */
  check(phone: string, tier: CustomerTier | (string & {}), messageId: string): Promise<RateDecision>;
}

export interface RateLimiterOptions {
  redis: Redis;
  /** Key namespace: the deployment's QUEUE_PREFIX. */
  prefix: string;
  sql: Queryable;
  /** How often the limits are re-read from `rate_limit_config` (default 60 s). */
  refreshMs?: number;
  /** Window lengths (defaults above); only tests change them. */
  windowsMs?: Partial<Record<RateWindow, number>>;
  /** Called when `rate_limit_config` cannot be read (the limiter keeps going on its last limits). */
  onConfigError?: (err: unknown) => void;
}

const TIERS: readonly CustomerTier[] = ['new', 'regular', 'vip'];
const asTier = (tier: string): CustomerTier => (TIERS.includes(tier as CustomerTier) ? (tier as CustomerTier) : 'new');

/** Every tier's limits from the table; a tier missing from it keeps its default. */
export async function loadRateLimits(sql: Queryable): Promise<Record<CustomerTier, RateLimitConfig>> {
  const rows = await sql<{ customer_tier: string; max_per_minute: number; max_per_hour: number; max_per_day: number; burst_size: number }[]>`
    SELECT customer_tier, max_per_minute, max_per_hour, max_per_day, burst_size FROM rate_limit_config`;
  const limits = { ...DEFAULT_RATE_LIMITS };
  for (const r of rows) {
    if (!TIERS.includes(r.customer_tier as CustomerTier)) continue;
    limits[r.customer_tier as CustomerTier] = { perMinute: r.max_per_minute, perHour: r.max_per_hour, perDay: r.max_per_day, burst: r.burst_size };
  }
  return limits;
}

/** How long the very first check waits for the table before going on with the defaults. */
const FIRST_LOAD_WAIT_MS = 1000;

/**
 * The limits, cached in the process. A check never waits on PostgreSQL once limits are known: a stale
 * cache answers at once and one refresh runs behind it. A failed read keeps the last limits read (an
 * operator's lowered limit must not snap back to the defaults during a database blip), else the defaults.
 */
function createLimitsCache(sql: Queryable, refreshMs: number, onError: (err: unknown) => void) {
  let limits: Record<CustomerTier, RateLimitConfig> | null = null;
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;
  let firstLoad: Promise<unknown> | null = null;
  const refresh = () =>
    (loading ??= loadRateLimits(sql)
      .then((l) => { limits = l; }, onError)
      .finally(() => { loadedAt = performance.now(); loading = null; }));

  return async (tier: CustomerTier): Promise<RateLimitConfig> => {
    if (performance.now() - loadedAt >= refreshMs) refresh();
    // Only the first checks of the process wait, and not for long: a dead database must not stall them.
    firstLoad ??= Promise.race([loading, new Promise((r) => setTimeout(r, FIRST_LOAD_WAIT_MS).unref())]);
    if (!limits) await firstLoad;
    return (limits ?? DEFAULT_RATE_LIMITS)[tier];
  };
}

export function createRateLimiter({ redis, prefix, sql, refreshMs = 60_000, windowsMs = {}, onConfigError = () => {} }: RateLimiterOptions): RateLimiter {
  const run = createRateLimitScript(redis);
  const limitsFor = createLimitsCache(sql, refreshMs, onConfigError);
  const lengths = RATE_WINDOWS.map((w) => windowsMs[w] ?? DEFAULT_WINDOWS_MS[w]);
  // Redis refuses a PX of 0 and Lua would count in fractions: fail at start-up, not on a customer's message.
  if (!lengths.every((ms) => Number.isInteger(ms) && ms > 0)) throw new RangeError(`rate-limit windows must be whole positive ms: ${lengths.join(', ')}`);

  return {
    async check(phone, tier, messageId) {
      const l = await limitsFor(asTier(tier));
      const reply = await run(rateLimitKeys(prefix, phone, messageId), [l.perMinute, l.perHour, l.perDay, l.burst, messageId, ...lengths]);
      if (reply[0] === 1) return { allowed: true, remaining: { minute: reply[1], hour: reply[2], day: reply[3], burst: reply[4] } };
      return { allowed: false, window: RATE_WINDOWS[reply[1] - 1], retryAfterMs: reply[2], notify: reply[3] === 1 };
    },
  };
}
