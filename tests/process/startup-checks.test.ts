import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { ADMIN_URL, databaseUrl } from '../support/pg-admin.ts';
import { freePort, spawnService } from '../support/spawn-service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { newQueuePrefix } from '../support/test-runtime.ts';

// A dependency that is not there at start-up is said in one line naming the variable, its address
// (password masked) and what to do, within seconds (issue 13: a JSON stack with ECONNREFUSED for
// PostgreSQL; 31 s and 104 warnings for Redis). An unmigrated database is told to run npm run migrate.

let db: TestDatabase;
const empty = `wa_t_empty_${Math.random().toString(16).slice(2, 10)}`;
const admin = createDb({ url: ADMIN_URL, max: 1 });
beforeAll(async () => {
  db = await createTestDatabase();
  await admin.unsafe(`CREATE DATABASE ${empty}`);
});
afterAll(async () => {
  await db?.drop();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
  await admin.end();
});

async function start(env: Record<string, string>, args: string[] = []) {
  const began = Date.now();
  const svc = await spawnService({ DATABASE_URL: db.url, QUEUE_PREFIX: newQueuePrefix(), LOG_LEVEL: 'info', ...env }, args, false);
  const code = await Promise.race([svc.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
  if (code === 'still running') svc.child.kill('SIGKILL');
  return { code, output: svc.output().trim(), seconds: (Date.now() - began) / 1000 };
}

describe('start-up with a dependency missing', () => {
  it('a closed DATABASE_URL: one line naming it, password masked, exit 1', async () => {
    const port = await freePort();
    const run = await start({ DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${port}/x` });
    expect(run.output).toBe(`DATABASE_URL postgres://postgres:***@127.0.0.1:${port}/x is not answering (connection refused): start PostgreSQL or fix DATABASE_URL (no PostgreSQL installed? apt install postgresql, brew install postgresql@16, or docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17)`);
    expect(run.code).toBe(1);
    expect(run.seconds).toBeLessThan(10);
  });

  it('a closed REDIS_URL: one line naming it, exit 1, within seconds', async () => {
    const port = await freePort();
    const run = await start({ REDIS_URL: `redis://:s3cret@127.0.0.1:${port}` });
    expect(run.output).toBe(`REDIS_URL redis://:***@127.0.0.1:${port} is not answering (connection refused): start Redis or fix REDIS_URL (no Redis installed? apt install redis-server, brew install redis, or docker run -d -p 6379:6379 redis:7.4 --appendonly yes --maxmemory-policy noeviction)`);
    expect(run.code).toBe(1);
    expect(run.seconds).toBeLessThan(10);
  });

  it.each([['web'], ['worker']])('an unmigrated database for --role %s: run npm run migrate', async (role) => {
    const run = await start({ DATABASE_URL: databaseUrl(empty) }, ['--role', role]);
    expect(run.output).toBe(`DATABASE_URL ${databaseUrl(empty)} is not migrated (no schema_migrations table): run npm run migrate`);
    expect(run.code).toBe(1);
  });

  it('a database missing the newest migration: names it', async () => {
    await db.sql`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`;
    const run = await start({}, ['--role', 'web']);
    expect(run.output).toMatch(/^DATABASE_URL \S+ is not migrated \(1 migration\(s\) pending: \d{3}_\w+\): run npm run migrate$/);
    expect(run.code).toBe(1);
  });
});
