import type { Redis } from 'ioredis';
import type { Config } from '../config/load.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import { createDb, type Sql } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { closeQueues, createQueues, type PipelineQueues } from '../queues/queues.ts';
import { createProducerRedis } from '../queues/redis.ts';

/** What every process role shares: configuration, the database pool, a producer Redis and the queues. */
export interface Runtime {
  config: Config;
  log: Logger;
  sql: Sql;
  redis: Redis;
  queues: PipelineQueues;
  close: () => Promise<void>;
}

export function createRuntime(config: Config, log: Logger): Runtime {
  const sql = createDb({ url: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, connectTimeout: 3 });
  const redis = createProducerRedis(config.REDIS_URL);
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  for (const q of Object.values(queues)) q.on('error', (error) => log.warn({ queue: q.name, err: error.message }, 'queue error'));
  return {
    config,
    log,
    sql,
    redis,
    queues,
    close: async () => {
      // a queue whose Redis is gone would wait for it forever; closing must not
      await withTimeout(closeQueues(queues), 3000, 'closing queues').catch(() => {});
      redis.disconnect();
      await sql.end({ timeout: 5 });
    },
  };
}
