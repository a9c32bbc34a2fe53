import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** The windows that count bursts, in the order the script takes their limits and lengths and reports them (1-based). */
export const RATE_WINDOWS = ['minute', 'hour', 'day'] as const;
export type RateWindow = (typeof RATE_WINDOWS)[number];

/**
 * One customer's keys for one message. The `{phone}` hash tag puts them all on one Redis Cluster slot,
 * so the script may touch them together. (If `prefix` itself holds a `{tag}`, Redis hashes that one
 * instead: still one slot per call, only no longer spread by customer.)
 */
export function rateLimitKeys(prefix: string, phone: string, messageId: string): string[] {
  const base = `${prefix}:rl:{${phone}}`;
  return [`${base}:bursts`, `${base}:burst`, ...RATE_WINDOWS.map((w) => `${base}:notice:${w}`), `${base}:msg:${messageId}`];
}

/**
 * The whole check in one atomic round trip, so concurrent checks of one customer count exactly.
 *
 * The windows count bursts, not messages: a message joins the customer's open burst when it comes
 * within `gap` ms of that burst's previous message and the burst holds fewer than `size` messages;
 * otherwise it opens a new burst, which needs a free slot in every window. People write in runs of
 * short messages; counting each would trip a limit of 5 a minute in an ordinary conversation.
 *
 * KEYS: 1 bursts      sorted set, burst (the id of the message that opened it) → ms it opened
 *       2 burst       hash of the open burst: `last` (ms of its latest message) and `size`
 *       3..5          notice:minute|hour|day, present for one window length after the customer was told about it
 *       6 msg:<id>    the answer given for this message, so checking it again never counts it twice; it
 *                     lives as long as the longest window (Redis expires it, no bookkeeping of old ids)
 * ARGV: 1..3 limits (minute, hour, day), 4 burst size, 5 message id, 6..8 window lengths in ms, 9 gap ms.
 * No clock reading comes from the client: the script reads Redis's own TIME, one clock for every process.
 *
 * Reply: allowed {1, remaining minute, hour, day, room left in the burst};
 *        held    {0, window index, wait ms, notify, release at (Redis ms)}.
 * A hold names the full window that frees up last, so the wait is when the message can pass. A held
 * message asked about again before then gets the same answer; from then on it is checked afresh and
 * counted if it passes. Held again, it stays silent: the customer was told when it was first held.
 */
export const RATE_LIMIT_LUA = readFileSync(new URL('./rate-limit.lua', import.meta.url), 'utf8');

export type RateLimitReply = number[];
export type RateLimitScript = (keys: string[], args: (string | number)[]) => Promise<RateLimitReply>;

const isNoScript = (err: unknown) => err instanceof Error && err.message.includes('NOSCRIPT');

/**
 * Load the script once (SCRIPT LOAD) and run it by its SHA: one small round trip per check. When Redis
 * answers NOSCRIPT (restarted empty, failed over, or a Cluster node that never saw the LOAD), run it with
 * EVAL instead: that both reloads it on the node owning the keys and answers, still in one round trip.
 */
export function createRateLimitScript(redis: Redis): RateLimitScript {
  let sha: Promise<string> | null = null;
  return async (keys, args) => {
    sha ??= (redis.script('LOAD', RATE_LIMIT_LUA) as Promise<string>).catch((err: unknown) => {
      sha = null; // Redis down at the first check: try loading again next time
      throw err;
    });
    try {
      return (await redis.evalsha(await sha, keys.length, ...keys, ...args)) as RateLimitReply;
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return (await redis.eval(RATE_LIMIT_LUA, keys.length, ...keys, ...args)) as RateLimitReply;
    }
  };
}
