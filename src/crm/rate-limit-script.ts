import type { Redis } from 'ioredis';

/** The windows in the order the script takes their limits and lengths and reports them (1-based). */
export const RATE_WINDOWS = ['minute', 'hour', 'day', 'burst'] as const;
export type RateWindow = (typeof RATE_WINDOWS)[number];

/**
 * One customer's keys. The `{phone}` hash tag puts them all on one Redis Cluster slot, so the script
 * may touch them together. (If `prefix` itself holds a `{tag}`, Redis hashes that one instead: still
 * one slot per call, only no longer spread by customer.)
 */
export function rateLimitKeys(prefix: string, phone: string): string[] {
  const base = `${prefix}:rl:{${phone}}`;
  return [`${base}:events`, `${base}:decisions`, `${base}:seen`, ...RATE_WINDOWS.map((w) => `${base}:notice:${w}`)];
}

/**
 * The whole check in one atomic round trip, so concurrent checks of one customer count exactly.
 *
 * KEYS: 1 events    sorted set, message id → ms, of allowed messages only (a denial consumes nothing)
 *       2 decisions hash, message id → the reply given, so re-checking a message never counts it twice
 *       3 seen      sorted set, message id → ms, of every decided message: tells which decisions to forget
 *       4..7        notice:minute|hour|day|burst, present while the customer has been told about that window
 * ARGV: 1..4 limits (minute, hour, day, burst), 5 message id, 6..9 window lengths in ms (same order).
 * No clock reading comes from the client: the script reads Redis's own TIME, one clock for every process.
 *
 * Reply: allowed {1, remaining minute, hour, day, burst}; denied {0, window index, retry-after ms, notify}.
 * A denial names the exceeded window that frees up last, so retry-after is when a message can pass again.
 */
export const RATE_LIMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[5]
local limits, lengths, keep = {}, {}, 0
for i = 1, 4 do
  limits[i] = tonumber(ARGV[i])
  lengths[i] = tonumber(ARGV[5 + i])
  if lengths[i] > keep then keep = lengths[i] end
end

-- Forget what no window can see any more. An entry at s counts while s > now - length.
local horizon = now - keep
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', horizon)
while true do
  local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', horizon, 'LIMIT', 0, 500)
  if #old == 0 then break end
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('ZREM', KEYS[3], unpack(old))
end

-- A message seen before gets its first answer again (a denial's wait counted from now).
local previous = redis.call('HGET', KEYS[2], member)
if previous then
  local d = cjson.decode(previous)
  if d[1] == 0 then d[3] = math.max(0, d[3] - now) end
  return d
end

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
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('PEXPIRE', KEYS[1], keep)
else
  -- Told once per window: the first denial creates the notice, which lives until the window frees up.
  local notify = redis.call('SET', KEYS[3 + window], '1', 'NX', 'PX', retry) and 1 or 0
  reply = {0, window, retry, notify}
  stored = {0, window, now + retry, notify}
end
redis.call('HSET', KEYS[2], member, cjson.encode(stored))
redis.call('ZADD', KEYS[3], now, member)
redis.call('PEXPIRE', KEYS[2], keep)
redis.call('PEXPIRE', KEYS[3], keep)
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
