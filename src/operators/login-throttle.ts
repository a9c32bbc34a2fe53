import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// Failed sign-ins are slowed down per account and per address, in Redis so every web process counts
// together. A few mistakes cost nothing; after that each failure locks the account (or the address) for
// twice as long as the one before, up to a quarter of an hour, and a locked sign-in is refused without
// looking at the password, so guessing runs at a handful of tries an hour. A success clears the account's
// count (not the address's: one right password must not wash a spray of guesses at other names).

export interface ThrottleRule {
  /** failures allowed in `windowMs` before any lock */
  free: number;
  windowMs: number;
  /** the first lock; each further failure doubles it */
  firstLockMs: number;
  maxLockMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { free: 3, windowMs: 15 * 60_000, firstLockMs: 1000, maxLockMs: 15 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { free: 20, windowMs: 15 * 60_000, firstLockMs: 1000, maxLockMs: 15 * 60_000 };

export interface LoginThrottle {
  /** ms until a sign-in as `name` from `ip` may be tried again; 0: now. */
  waitMs: (name: string, ip: string) => Promise<number>;
  /** A wrong password (or an unknown name): counted for both. Returns the wait it sets from now. */
  failed: (name: string, ip: string) => Promise<number>;
  /** A failure that names no account (a wrong setup credential): counted for the address only. */
  failedFromAddress: (ip: string) => Promise<number>;
  succeeded: (name: string) => Promise<void>;
}

// KEYS: 1 failure count, 2 lock. ARGV: free, window ms, first lock ms, max lock ms. Returns the lock set (ms).
const FAIL_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local over = n - tonumber(ARGV[1])
if over <= 0 then return 0 end
local lock = math.min(tonumber(ARGV[3]) * 2 ^ math.min(over - 1, 30), tonumber(ARGV[4]))
redis.call('SET', KEYS[2], n, 'PX', math.floor(lock))
-- the count outlives the lock, or the next failure after it would start again from nothing
if redis.call('PTTL', KEYS[1]) < lock + tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], math.floor(lock) + tonumber(ARGV[2])) end
return math.floor(lock)
`;

// names are typed by strangers: hashed into the key, whatever they hold
const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function createLoginThrottle(redis: Redis, prefix: string, rules = { account: ACCOUNT_RULE, address: ADDRESS_RULE }): LoginThrottle {
  const accountKeys = (name: string) => {
    const base = `${prefix}:login:{account:${digest(name.trim().toLowerCase())}}`; // one slot for the script's two keys
    return [`${base}:failures`, `${base}:lock`];
  };
  const addressKeys = (ip: string) => {
    const base = `${prefix}:login:{address:${digest(ip)}}`;
    return [`${base}:failures`, `${base}:lock`];
  };
  const fail = (keys: string[], rule: ThrottleRule) =>
    redis.eval(FAIL_LUA, 2, keys[0], keys[1], rule.free, rule.windowMs, rule.firstLockMs, rule.maxLockMs) as Promise<number>;
  return {
    waitMs: async (name, ip) => {
      const [account, address] = await Promise.all([redis.pttl(accountKeys(name)[1]), redis.pttl(addressKeys(ip)[1])]);
      return Math.max(account, address, 0);
    },
    failed: async (name, ip) => Math.max(...(await Promise.all([fail(accountKeys(name), rules.account), fail(addressKeys(ip), rules.address)]))),
    failedFromAddress: (ip) => fail(addressKeys(ip), rules.address),
    succeeded: async (name) => {
      await redis.del(...accountKeys(name));
    },
  };
}
