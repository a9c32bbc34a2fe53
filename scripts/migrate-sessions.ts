// npm run migrate:sessions — seed 004's migrate-sessions: copy every live PostgreSQL session into the
// Redis cache with its remaining TTL (e.g. after switching use_redis_sessions back on, or a Redis wipe).
import { createSessionStore } from '../src/crm/sessions.ts';
import { createProducerRedis, waitForRedis } from '../src/queues/redis.ts';
import { runCommand } from './cli.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run migrate:sessions', {});

await runCommand(async ({ config, sql }) => {
  const redis = createProducerRedis(config.REDIS_URL);
  redis.on('error', () => {});
  try {
    await waitForRedis(redis, 5000);
    const store = createSessionStore({ sql, redis, prefix: config.QUEUE_PREFIX, useCache: async () => true, ttlSeconds: async () => 7200 });
    const { migrated, failed } = await store.warmCache();
    console.log(`sessions copied to Redis: ${migrated}, failed: ${failed}`);
    return failed ? 1 : 0;
  } finally {
    redis.disconnect();
  }
});
