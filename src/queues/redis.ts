import { Redis, type RedisOptions } from 'ioredis';

/**
 * Two kinds of Redis connection, because they must fail differently:
 * - producers (the webhook, the sweeper) fail fast when Redis is down, so a request never hangs
 *   on an offline queue: the inbox row is already committed and the sweeper re-enqueues it;
 * - workers block on Redis and must retry forever (`maxRetriesPerRequest: null`, BullMQ requires it).
 */
export function createProducerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
}

export function createWorkerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
}

/** Resolve once the connection is ready, or fail after `ms` (start-up must not hang on a dead Redis). */
export async function waitForRedis(redis: Redis, ms = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error(`Redis not ready after ${ms} ms`)); }, ms);
    const onReady = () => { cleanup(); resolve(); };
    const cleanup = () => { clearTimeout(timer); redis.off('ready', onReady); };
    redis.on('ready', onReady);
  });
}
