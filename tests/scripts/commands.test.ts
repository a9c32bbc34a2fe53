import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../src/crm/sessions.ts';
import { runScript } from '../support/run-script.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL } from '../support/test-runtime.ts';

let db: TestDatabase;
let env: Record<string, string>;
const prefix = newQueuePrefix();
beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix };
});
afterAll(async () => { await dropQueuePrefix(prefix); await db?.drop(); });

describe('npm run config', () => {
  it('sets, gets and lists switches, and refuses bad values and bad usage readably', async () => {
    expect(await runScript('config.ts', ['set', 'use_redis_sessions', 'false'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('use_redis_sessions = false') });
    expect((await runScript('config.ts', ['get', 'use_redis_sessions'], env)).stdout.trim()).toBe('false');
    expect((await runScript('config.ts', ['list'], env)).stdout).toMatch(/use_ai_providers = true/);
    const bad = await runScript('config.ts', ['set', 'use_redis_sessions', 'sí'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/use_redis_sessions must be true or false/);
    const usage = await runScript('config.ts', ['frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run config/);
    const noDb = await runScript('config.ts', ['list'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/^error: /);
    expect(noDb.stderr).not.toMatch(/    at /); // no stack trace
    await runScript('config.ts', ['set', 'use_redis_sessions', 'true'], env);
  });

  it('refuses a setting name nothing reads, listing the settings (issue 13: a typo was stored)', async () => {
    const typo = await runScript('config.ts', ['set', 'use_redis_session', 'false'], env);
    expect(typo.code).toBe(1);
    expect(typo.stderr.trim()).toBe('no setting named use_redis_session; the settings are use_ai_providers, use_redis_sessions, session_ttl_seconds, archive_inactive_days');
    expect((await db.sql`SELECT 1 FROM system_config WHERE key = 'use_redis_session'`).length).toBe(0);
    expect((await runScript('config.ts', ['get', 'use_redis_session'], env)).code).toBe(1);
  });
});

describe('validate:pre and validate:post', () => {
  it('pass on a migrated database, back up live sessions, and announce keyword mode', async () => {
    await db.sql`INSERT INTO customer_sessions (customer_phone, session_state, expires_at) VALUES ('573400000001', 'browsing', now() + interval '1 hour')`;
    const dir = await mkdtemp(join(tmpdir(), 'wa-backup-'));
    const pre = await runScript('validate-pre.ts', [], { ...env, BACKUP_DIR: dir });
    expect(pre.code).toBe(0);
    expect(pre.stdout).toMatch(/✔ ai providers: none configured: keyword mode/);
    expect(pre.stdout).toMatch(/✔ session backup: 1 live session\(s\) saved/);
    const [file] = await readdir(dir);
    expect(JSON.parse(await readFile(join(dir, file), 'utf8'))[0].customer_phone).toBe('573400000001');
    const post = await runScript('validate-post.ts', [], env);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/all checks passed/);
  });

  it('fail, naming each problem, when a dependency or table is missing', async () => {
    const pre = await runScript('validate-pre.ts', [], { ...env, REDIS_URL: 'redis://127.0.0.1:1', BACKUP_DIR: await mkdtemp(join(tmpdir(), 'wa-backup-')) });
    expect(pre.code).toBe(1);
    expect(pre.stdout).toMatch(/✘ redis:/);
    expect(pre.stdout).toMatch(/✔ postgresql/);
    const empty = await createTestDatabase();
    await empty.sql`DROP TABLE rate_limit_config`;
    const post = await runScript('validate-pre.ts', [], { ...env, DATABASE_URL: empty.url, BACKUP_DIR: await mkdtemp(join(tmpdir(), 'wa-backup-')) });
    expect(post.stdout).toMatch(/✘ tables: missing tables: rate_limit_config/);
    expect(post.code).toBe(1);
    await empty.drop();
  });
});

describe('migrate:sessions', () => {
  it('copies live sessions into an empty Redis with their remaining TTL', async () => {
    await db.sql`INSERT INTO customer_sessions (customer_phone, session_state, expires_at) VALUES ('573400000002', 'checkout', now() + interval '10 minutes')`;
    const res = await runScript('migrate-sessions.ts', [], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/sessions copied to Redis: 2, failed: 0/);
    const redis = new Redis(REDIS_URL);
    const ttl = await redis.pttl(`${prefix}:session:{573400000002}`);
    redis.disconnect();
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    const cacheOnly = new Redis(REDIS_URL);
    const store = createSessionStore({ sql: db.sql, redis: cacheOnly, prefix, useCache: async () => true, ttlSeconds: async () => 7200 });
    await db.sql`UPDATE customer_sessions SET session_state = 'changed-behind-the-cache' WHERE customer_phone = '573400000002'`;
    expect((await store.load('573400000002')).state).toBe('checkout'); // answered by Redis
    cacheOnly.disconnect();
  });
});
