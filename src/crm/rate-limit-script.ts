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
export const RATE_LIMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limits, lengths, keep = {}, {}, 0
for i = 1, 3 do
  limits[i] = tonumber(ARGV[i])
  lengths[i] = tonumber(ARGV[5 + i])
  if lengths[i] > keep then keep = lengths[i] end
end
local size, gap = tonumber(ARGV[4]), tonumber(ARGV[9])

local heldBefore = false
local previous = redis.call('GET', KEYS[6])
if previous then
  local d = cjson.decode(previous)
  if d[1] == 1 then return d end
  if d[5] > now then return {0, d[2], d[5] - now, d[4], d[5]} end
  heldBefore = true
end

local function answer(reply)
  redis.call('SET', KEYS[6], cjson.encode(reply), 'PX', keep)
  return reply
end

-- Forget bursts no window can see any more: a burst opened at s counts while s > now - length.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)
local counts = {}
for i = 1, 3 do counts[i] = redis.call('ZCOUNT', KEYS[1], '(' .. (now - lengths[i]), '+inf') end

local open = redis.call('HMGET', KEYS[2], 'last', 'size')
if open[1] and now - tonumber(open[1]) <= gap and tonumber(open[2]) < size then
  local n = tonumber(open[2]) + 1
  redis.call('HSET', KEYS[2], 'last', now, 'size', n)
  redis.call('PEXPIRE', KEYS[2], gap + 1)
  return answer({1, limits[1] - counts[1], limits[2] - counts[2], limits[3] - counts[3], size - n})
end

local window, wait = 0, 0
for i = 1, 3 do
  if counts[i] >= limits[i] then
    local from = '(' .. (now - lengths[i])
    -- Room again once the (count - limit + 1) oldest bursts in the window have slid out.
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', counts[i] - limits[i], 1)
    local w = (e[2] and tonumber(e[2]) + lengths[i] - now) or lengths[i]
    if w > wait then window, wait = i, w end
  end
end

if window == 0 and size > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], keep)
  redis.call('HSET', KEYS[2], 'last', now, 'size', 1)
  redis.call('PEXPIRE', KEYS[2], gap + 1)
  return answer({1, limits[1] - counts[1] - 1, limits[2] - counts[2] - 1, limits[3] - counts[3] - 1, size - 1})
end
if window == 0 then window, wait = 1, lengths[1] end -- a burst size of 0 lets nothing through

-- Told once per window: the first hold creates the notice, which lives as long as the window, so a steady
-- flood (freed slots used at once, full again) hears it once a minute, not each time a slot frees. A
-- message held again sets it silently, so its flood's later messages stay silent too.
local notify = redis.call('SET', KEYS[2 + window], '1', 'NX', 'PX', lengths[window]) and 1 or 0
if heldBefore then notify = 0 end
return answer({0, window, wait, notify, now + wait})
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
