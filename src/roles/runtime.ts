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
  /**
   * A small pool whose commits do not wait for the WAL flush, for the ingest stage's mark of an allowed
   * message (issue 16: one flush fewer per message). Safe because every commit that could act on it waits:
   * the converse transaction that answers the message flushes the WAL up to its own commit, this one
   * included, before any reply can be sent; a PostgreSQL crash before that only takes the message back to
   * "received", and the sweep runs its ingest again (idempotent, the rate limit counts a message id once).
   * The webhook's insert, the conversation and the outbound stage never use it.
   */
  sqlAsyncCommit: Sql;
  redis: Redis;
  queues: PipelineQueues;
  close: () => Promise<void>;
}

export function createRuntime(config: Config, log: Logger): Runtime {
  const sql = createDb({ url: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, connectTimeout: 3 });
  // connects on first use: only a process running the ingest stage opens it
  const sqlAsyncCommit = createDb({ url: config.DATABASE_URL, max: Math.min(4, config.DATABASE_POOL_SIZE), connectTimeout: 3, asyncCommit: true });
  const redis = createProducerRedis(config.REDIS_URL);
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  for (const q of Object.values(queues)) q.on('error', (error) => log.warn({ queue: q.name, err: error.message }, 'queue error'));
  return {
    config,
    log,
    sql,
    sqlAsyncCommit,
    redis,
    queues,
    close: async () => {
      // a queue whose Redis is gone would wait for it forever; closing must not
      await withTimeout(closeQueues(queues), 3000, 'closing queues').catch(() => {});
      redis.disconnect();
      await Promise.all([sql.end({ timeout: 5 }), sqlAsyncCommit.end({ timeout: 5 })]);
    },
  };
}
