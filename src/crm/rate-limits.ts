import type { Redis } from 'ioredis';
import type { Queryable } from '../db/client.ts';
import { createRateLimitScript, rateLimitKeys, RATE_WINDOWS, type RateWindow } from './rate-limit-script.ts';

export type { RateWindow };
export type CustomerTier = 'new' | 'regular' | 'vip';

/**
 * Limits of one tier, as in `rate_limit_config`. The minute, hour and day limits count bursts (see
 * src/crm/rate-limit-script.ts); `burst` is how many messages one burst may hold.
 */
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
 * Window lengths. `burst` is the shortest pause that ends a burst: a message within it of the burst's
 * previous one joins the burst. Tests shrink the windows instead of waiting a real minute.
 */
export const DEFAULT_WINDOWS_MS: Readonly<Record<RateWindow | 'burst', number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  burst: 10_000,
};

/**
 * How long a pause still continues a burst: the burst window, stretched to the slowest even pace the
 * windows allow (new: the day's 500 bursts are one per 172.8 s). With a 10 s gap alone, a customer writing
 * every 11 s would open a burst per message, 5.5 a minute, and be held at a pace nobody would call a flood.
 * With this gap, messages further apart than it each open a burst no faster than every window allows; any
 * closer pace fills bursts of `burst` messages, so a steady writer is held only when `burst` messages come
 * faster than a window's share (new tier: 10 within 1.2 s for the minute, within 6 s all hour long).
 */
export function burstGapMs(limits: RateLimitConfig, lengths: Record<RateWindow | 'burst', number>): number {
  const paces = RATE_WINDOWS.map((w) => {
    const limit = { minute: limits.perMinute, hour: limits.perHour, day: limits.perDay }[w];
    return limit > 0 ? Math.ceil(lengths[w] / limit) : 0;
  });
  return Math.max(lengths.burst, ...paces);
}

export type RateDecision =
  | { allowed: true; remaining: Record<RateWindow | 'burst', number> }
  | { allowed: false; window: RateWindow; retryAfterMs: number; notify: boolean; releaseAt: number };

export interface RateLimiter {
  /**
   * Count `messageId` (the provider's id) against the customer's windows. Checking the same id again
   * answers what the first check answered and counts nothing, so a re-run job is harmless; a held
   * message is checked afresh (and counted if it passes) once its `releaseAt` (Redis ms) has come.
   * A hold with `notify` true is the first in its window: tell the customer once; later holds stay silent.
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
  windowsMs?: Partial<Record<RateWindow | 'burst', number>>;
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
  const lengths = { ...DEFAULT_WINDOWS_MS, ...windowsMs };
  // Redis refuses a PX of 0 and Lua would count in fractions: fail at start-up, not on a customer's message.
  if (!Object.values(lengths).every((ms) => Number.isInteger(ms) && ms > 0)) throw new RangeError(`rate-limit windows must be whole positive ms: ${JSON.stringify(lengths)}`);

  return {
    async check(phone, tier, messageId) {
      const l = await limitsFor(asTier(tier));
      const args = [l.perMinute, l.perHour, l.perDay, l.burst, messageId, ...RATE_WINDOWS.map((w) => lengths[w]), burstGapMs(l, lengths)];
      const reply = await run(rateLimitKeys(prefix, phone, messageId), args);
      if (reply[0] === 1) return { allowed: true, remaining: { minute: reply[1], hour: reply[2], day: reply[3], burst: reply[4] } };
      return { allowed: false, window: RATE_WINDOWS[reply[1] - 1], retryAfterMs: reply[2], notify: reply[3] === 1, releaseAt: reply[4] };
    },
  };
}
