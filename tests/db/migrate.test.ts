import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Sql } from '../../src/db/client.ts';
import { migrate, MigrationChangedError, readMigrations } from '../../src/db/migrate.ts';
import { preflight } from '../../src/roles/preflight.ts';
import { ADMIN_URL, databaseUrl } from '../support/pg-admin.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { REDIS_URL } from '../support/test-runtime.ts';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

describe('migrations', () => {
  it('are numbered uniquely and all applied to the template', async () => {
    const files = await readMigrations();
    const applied = await db.sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
    expect(applied.map((r) => r.version)).toEqual(files.map((f) => f.version));
  });

  it('run again apply nothing, from several processes at once', async () => {
    const results = await Promise.all([migrate(db.sql), migrate(db.sql), migrate(db.sql)]);
    expect(results).toEqual([[], [], []]);
  });

  it('make a provider message unique forever', async () => {
    const insert = () => db.sql`INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, sent_at) VALUES ('meta', 'wamid.X', '573001', 'text', now())`;
    await insert();
    await expect(insert()).rejects.toThrow(/inbound_messages_provider_message_unique/);
  });
});

// The migrator's rules, on databases of their own with migration files of their own.
describe('the migrator', () => {
  const made: string[] = [];
  let admin: Sql;
  beforeAll(() => { admin = createDb({ url: ADMIN_URL, max: 1 }); });
  afterAll(async () => {
    for (const name of made) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const emptyDatabase = async () => {
    const name = `wa_migrator_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    made.push(name);
    return createDb({ url: databaseUrl(name), max: 4 });
  };
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const versions = async (sql: Sql) => (await sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`).map((r) => r.version);

  it('applies each migration in its own transaction: a failing one keeps those before it, and nothing of itself', async () => {
    const sql = await emptyDatabase();
    try {
      const dir = folder({
        '001_a.sql': 'CREATE TABLE a (id int);',
        '002_b.sql': 'CREATE TABLE b (id int);\nSELECT 1 / 0;',
        '003_c.sql': 'CREATE TABLE c (id int);',
      });
      await expect(migrate(sql, () => {}, dir)).rejects.toThrow(/division by zero/);
      expect(await versions(sql)).toEqual([1]);
      const [{ a, b, c }] = await sql`SELECT to_regclass('a')::text AS a, to_regclass('b')::text AS b, to_regclass('c')::text AS c`;
      expect({ a, b, c }).toEqual({ a: 'a', b: null, c: null });
    } finally {
      await sql.end();
    }
  });

  it('stops with a clear error when an applied migration was changed, applying nothing new', async () => {
    const sql = await emptyDatabase();
    try {
      const dir = folder({ '001_a.sql': 'CREATE TABLE a (id int);' });
      expect(await migrate(sql, () => {}, dir)).toEqual([1]);
      writeFileSync(join(dir, '001_a.sql'), 'CREATE TABLE a (id bigint);');
      writeFileSync(join(dir, '002_b.sql'), 'CREATE TABLE b (id int);');
      const failure = migrate(sql, () => {}, dir);
      await expect(failure).rejects.toBeInstanceOf(MigrationChangedError);
      await expect(failure).rejects.toThrow('migration 001_a.sql was changed after it was applied to this database (its checksum differs): put the file back as it was and write a new migration for the change');
      expect(await versions(sql)).toEqual([1]);
    } finally {
      await sql.end();
    }
  });

  it('runs a migration marked no-transaction outside one (CREATE INDEX CONCURRENTLY), from several processes at once', async () => {
    const sql = await emptyDatabase();
    try {
      const dir = folder({
        '001_t.sql': 'CREATE TABLE t (id int, v text);\nINSERT INTO t SELECT g, g::text FROM generate_series(1, 1000) g;',
        '002_t_index.sql': '-- migrate: no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_v ON t (v); -- built without locking writes\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id);\n',
        '003_u.sql': 'CREATE TABLE u (id int);',
      });
      const runs = await Promise.all([migrate(sql, () => {}, dir), migrate(sql, () => {}, dir), migrate(sql, () => {}, dir)]);
      // each version applied by exactly one of the three
      expect(runs.flat().sort()).toEqual([1, 2, 3]);
      expect(await versions(sql)).toEqual([1, 2, 3]);
      const indexes = await sql<{ indexname: string }[]>`SELECT indexname FROM pg_indexes WHERE tablename = 't' ORDER BY indexname`;
      expect(indexes.map((i) => i.indexname)).toEqual(['t_id', 't_v']);
    } finally {
      await sql.end();
    }
  });

  it('the service refuses to start on a database where an applied migration differs from its file', async () => {
    await db.sql`UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1`;
    try {
      const problems = await preflight({ databaseUrl: db.url, redisUrl: REDIS_URL, requireMigrated: true });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/migration 001_\w+\.sql was changed after it was applied to this database/);
    } finally {
      const [file] = await readMigrations();
      await db.sql`UPDATE schema_migrations SET checksum = ${file!.checksum} WHERE version = 1`;
    }
  });
});
