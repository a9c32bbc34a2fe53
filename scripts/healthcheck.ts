// node scripts/healthcheck.ts [--role web|worker]
// A container's health check (Dockerfile, compose.yaml): exit 0 healthy, 1 not, with the reason on stderr.
// web: GET /ready of this container (PostgreSQL, Redis and no stalled queue). worker: Redis answers and
// none of this process's stages (WORKER_STAGES) is stalled, by the rule /ready uses
// (src/queues/queue-stall.ts); a worker process serves no HTTP to ask.
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { closeQueues, createQueues } from '../src/queues/queues.ts';
import { findStalledQueues } from '../src/queues/queue-stall.ts';
import { createProducerRedis } from '../src/queues/redis.ts';
import { readCommandLine, usageError } from './command-line.ts';

const USAGE = 'node scripts/healthcheck.ts [--role web|worker]';
const { role } = readCommandLine(USAGE, { options: { role: { type: 'string', default: 'web' } } }).values;
if (role !== 'web' && role !== 'worker') usageError(USAGE, `unknown --role ${role}: use web or worker`);

const unhealthy = (why: string): never => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

let config;
try {
  config = loadConfig();
} catch (error) {
  unhealthy(error instanceof ConfigError ? error.message : String(error));
}

if (role === 'web') {
  const answer = await fetch(`http://127.0.0.1:${config!.PORT}/ready`, { signal: AbortSignal.timeout(4000) }).catch((error: Error) => unhealthy(`GET /ready: ${error.message}`));
  if (!answer.ok) unhealthy(`GET /ready answered ${answer.status}: ${await answer.text()}`);
  process.exit(0);
}

const redis = createProducerRedis(config!.REDIS_URL, { lazyConnect: true, retryStrategy: () => null });
redis.on('error', () => {}); // the reason is printed below
try {
  await redis.connect();
  const queues = createQueues(redis, config!.QUEUE_PREFIX);
  const mine = config!.WORKER_STAGES.map((stage) => queues[stage]);
  const stalled = await findStalledQueues(mine, redis, config!.QUEUE_PREFIX, config!.QUEUE_STALL_MS);
  await closeQueues(queues);
  if (stalled.length) unhealthy(`stalled: ${stalled.join('; ')}`);
} catch (error) {
  unhealthy(`Redis: ${(error as Error).message}`);
} finally {
  redis.disconnect();
}
process.exit(0);
