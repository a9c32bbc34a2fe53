-- The customer rate limit's atomic check: KEYS, ARGV and the reply are described in rate-limit-script.ts,
-- which loads this file at start-up.
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
