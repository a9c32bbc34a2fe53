import type { Redis } from 'ioredis';
import { cacheKey } from '../crm/sessions.ts';
import { typingKey } from '../queues/presence.ts';

/**
 * After an erasure: the customer's copies in Redis (the cached session, rate-limit windows, "typing…").
 * They would expire by themselves within a day; an erasure should not wait for that.
 */
export async function forgetCustomerInRedis(redis: Redis, prefix: string, key: string): Promise<number> {
  const keys = [cacheKey(prefix, key), typingKey(prefix, key)];
  let cursor = '0';
  do {
    // the rate limiter's keys share the {key} hash tag (src/crm/rate-limit-script.ts)
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:rl:{${key}}:*`, 'COUNT', 500);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return redis.del(...keys);
}
