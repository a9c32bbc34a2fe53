import type { Redis } from 'ioredis';

/** The windows in the order the script takes their limits and lengths and reports them (1-based). */
export const RATE_WINDOWS = ['minute', 'hour', 'day', 'burst'] as const;
export type RateWindow = (typeof RATE_WINDOWS)[number];

/**
 * One customer's keys for one message. The `{phone}` hash tag puts them all on one Redis Cluster slot,
 * so the script may touch them together. (If `prefix` itself holds a `{tag}`, Redis hashes that one
 * instead: still one slot per call, only no longer spread by customer.)
 */
export function rateLimitKeys(prefix: string, phone: string, messageId: string): string[] {
  const base = `${prefix}:rl:{${phone}}`;
  return [`${base}:events`, ...RATE_WINDOWS.map((w) => `${base}:notice:${w}`), `${base}:msg:${messageId}`];
}

/**
 * The whole check in one atomic round trip, so concurrent checks of one customer count exactly.
 *
 * KEYS: 1 events   sorted set, message id → ms, of allowed messages only (a denial consumes nothing)
 *       2..5       notice:minute|hour|day|burst, present while the customer has been told about that window
 *       6 msg:<id> the answer given for this message, so checking it again never counts it twice; it lives
 *                  as long as the longest window (Redis expires it, no bookkeeping of old ids needed)
 * ARGV: 1..4 limits (minute, hour, day, burst), 5 message id, 6..9 window lengths in ms (same order).
 * No clock reading comes from the client: the script reads Redis's own TIME, one clock for every process.
 *
 * Reply: allowed {1, remaining minute, hour, day, burst}; denied {0, window index, retry-after ms, notify}.
 * A denial names the exceeded window that frees up last, so retry-after is when a message can pass again.
 */
export const RATE_LIMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limits, lengths, keep = {}, {}, 0
for i = 1, 4 do
  limits[i] = tonumber(ARGV[i])
  lengths[i] = tonumber(ARGV[5 + i])
  if lengths[i] > keep then keep = lengths[i] end
end

-- A message seen before gets its first answer again (a denial's wait counted from now).
local previous = redis.call('GET', KEYS[6])
if previous then
  local d = cjson.decode(previous)
  if d[1] == 0 then d[3] = math.max(0, d[3] - now) end
  return d
end

-- Forget what no window can see any more: an entry at s counts while s > now - length.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)

local counts, window, retry = {}, 0, 0
for i = 1, 4 do
  local from = '(' .. (now - lengths[i])
  counts[i] = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if counts[i] >= limits[i] then
    -- Room again once the (count - limit + 1) oldest entries in the window have slid out.
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', counts[i] - limits[i], 1)
    local wait = tonumber(e[2]) + lengths[i] - now
    if wait > retry then window, retry = i, wait end
  end
end

local reply, stored
if window == 0 then
  reply = {1, limits[1] - counts[1] - 1, limits[2] - counts[2] - 1, limits[3] - counts[3] - 1, limits[4] - counts[4] - 1}
  stored = reply
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], keep)
else
  -- Told once per window: the first denial creates the notice, which lives until the window frees up.
  local notify = redis.call('SET', KEYS[1 + window], '1', 'NX', 'PX', retry) and 1 or 0
  reply = {0, window, retry, notify}
  stored = {0, window, now + retry, notify}
end
redis.call('SET', KEYS[6], cjson.encode(stored), 'PX', keep)
return reply
`;

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
