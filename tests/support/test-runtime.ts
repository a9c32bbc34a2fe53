import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { waitForRedis } from '../../src/queues/redis.ts';
import { createRuntime, type Runtime } from '../../src/roles/runtime.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const META_SECRET = 'test-app-secret';
export const META_VERIFY = 'test-verify-token';
export const WHAPI_HOOK = 'test-whapi-hook-token';

/** A unique queue prefix per test file: queues and Redis keys of parallel files never meet. */
export const newQueuePrefix = () => `t${randomBytes(4).toString('hex')}`;

/** A runtime (pool, producer Redis, queues) configured the way production is, pointed at test resources. */
export async function createTestRuntime(env: Record<string, string>): Promise<Runtime> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL,
    QUEUE_PREFIX: newQueuePrefix(),
    MESSAGE_BUFFER_MS: '0',
    META_APP_SECRET: META_SECRET,
    META_VERIFY_TOKEN: META_VERIFY,
    WHAPI_WEBHOOK_TOKEN: WHAPI_HOOK,
    SWEEP_INTERVAL_MS: '500',
    SWEEP_GRACE_MS: '1000',
    ...env,
  });
  const rt = createRuntime(config, createLogger(config.LOG_LEVEL));
  await waitForRedis(rt.redis, 5000).catch(() => {}); // tests of a dead Redis want the runtime anyway
  return rt;
}

/** Remove every Redis key a test run made under its prefix. */
export async function dropQueuePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return predicate();
}
