// npm start            → migrations, then web + every stage in one process (a single machine)
// npm run start:web    → --role web     (webhooks, health, admin)
// npm run start:worker → --role worker  (the stages in WORKER_STAGES)
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { waitForRedis } from '../src/queues/redis.ts';
import { checkRedisSettings } from '../src/queues/redis-settings.ts';
import type { AddressInfo } from 'node:net';
import { startupSummary } from '../src/roles/first-run.ts';
import { preflight } from '../src/roles/preflight.ts';
import { createRuntime } from '../src/roles/runtime.ts';
import { startWeb } from '../src/roles/web-role.ts';
import { startWorkers } from '../src/roles/worker-role.ts';
import { readCommandLine, usageError } from './command-line.ts';

const USAGE = 'npm start | npm run start:web | npm run start:worker (node scripts/start.ts [--role all|web|worker])';
const roleGiven = readCommandLine(USAGE, { options: { role: { type: 'string', default: 'all' } } }).values.role;
if (roleGiven !== 'all' && roleGiven !== 'web' && roleGiven !== 'worker') usageError(USAGE, `unknown --role ${roleGiven}: use all, web or worker`);
const role: 'all' | 'web' | 'worker' = roleGiven;

function loadOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
const config = loadOrExit();

// PostgreSQL and Redis answer (and, for web and worker, the database is migrated) before anything starts
const problems = await preflight({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL, requireMigrated: role !== 'all' });
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}

const log = createLogger(config.LOG_LEVEL);
// nothing is expected to throw outside an await: if something does, log it and exit so the supervisor
// restarts a clean process (every state that matters is in PostgreSQL). postgres.js's throw from a
// closed connection's write no longer happens: patches/postgres+3.4.9.patch (README, Reliability).
process.on('uncaughtException', (error) => {
  log.fatal({ err: error }, 'uncaught exception');
  process.exit(1);
});
const rt = createRuntime(config, log);
const stops: (() => Promise<void>)[] = [];

async function main() {
  if (role === 'all') await migrate(rt.sql, (m) => log.info(m));
  await waitForRedis(rt.redis, 30_000);
  // eviction or no persistence delays replies after a Redis restart: say so loudly, never refuse to start
  for (const problem of await checkRedisSettings(rt.redis).catch(() => [])) log.warn({ check: 'redis settings' }, problem);
  if (role === 'all' || role === 'worker') {
    // a stage that stays stalled after its worker was recreated: exit non-zero so pm2/Railway restart us
    // a worker-only process has no HTTP: its counters reach the web role's /metrics through Redis
    const workers = await startWorkers(rt, { onStuck: () => void shutdown('stalled stage', 1), publishMetrics: role === 'worker' });
    stops.push(() => workers.close(config.SHUTDOWN_TIMEOUT_MS));
  }
  let port: number | undefined;
  if (role === 'all' || role === 'web') {
    const web = await startWeb(rt);
    // stop taking requests first, then drain the workers
    stops.unshift(web.close);
    port = (web.app.server.address() as AddressInfo).port;
    log.info({ port, role }, 'listening');
  }
  // where to open the console and the simulator, what listens, how to sign in (a setup link on a first run)
  try {
    const summary = await startupSummary({ config, sql: rt.sql, role, port });
    process.stderr.write(`${summary.lines.join('\n')}\n`);
    log.info(summary.fields, 'ready');
  } catch (error) {
    log.warn({ err: error }, 'could not print the start-up summary');
  }
}

let stopping = false;
async function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const hardStop = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS + 5000);
  hardStop.unref();
  for (const stop of stops) await stop().catch((error) => log.error({ err: error }, 'error while stopping'));
  await rt.close().catch(() => {});
  process.exit(exitCode);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (error) => log.error({ err: error }, 'unhandled rejection'));

main().catch((error) => {
  log.fatal({ err: error }, 'start-up failed');
  process.exit(1);
});
