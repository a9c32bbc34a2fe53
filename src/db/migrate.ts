import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable, Sql, Tx } from './client.ts';

export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url).pathname;

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 7_340_211;

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
  /** `-- migrate: no-transaction` on its first line: run outside a transaction (CREATE INDEX CONCURRENTLY). */
  outsideTransaction: boolean;
}

const NO_TRANSACTION = /^--\s*migrate:\s*no-transaction\b/;

/** An applied migration whose file changed since: start-up stops, as the database and the code disagree. */
export class MigrationChangedError extends Error {
  constructor(m: { version: number; name: string }) {
    super(`migration ${String(m.version).padStart(3, '0')}_${m.name}.sql was changed after it was applied to this database (its checksum differs): put the file back as it was and write a new migration for the change`);
    this.name = 'MigrationChangedError';
  }
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const out: MigrationFile[] = [];
  for (const file of files) {
    const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file ${file} must be named NNN_name.sql`);
    const sql = await readFile(join(dir, file), 'utf8');
    out.push({
      version: Number(match[1]), name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex'),
      outsideTransaction: NO_TRANSACTION.test(sql),
    });
  }
  const seen = new Set<number>();
  for (const m of out) {
    if (seen.has(m.version)) throw new Error(`two migrations share number ${m.version}`);
    seen.add(m.version);
  }
  return out;
}

/** The first applied migration whose file no longer matches what was applied (`done`: version → checksum). */
export function changedMigration(files: MigrationFile[], done: Map<number, string>): MigrationFile | undefined {
  return files.find((m) => done.has(m.version) && done.get(m.version) !== m.checksum);
}

const createLedger = (db: Queryable) => db`CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

/** Whether another process applied it meanwhile (checked again under the lock); a changed file stops everything. */
async function appliedAlready(db: Queryable, m: MigrationFile): Promise<boolean> {
  const [row] = await db<{ checksum: string }[]>`SELECT checksum FROM schema_migrations WHERE version = ${m.version}`;
  if (row && row.checksum !== m.checksum) throw new MigrationChangedError(m);
  return row !== undefined;
}

const record = (db: Queryable, m: MigrationFile) =>
  db`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;

/**
 * Apply every migration not yet applied, in number order, each in its own transaction (a failure keeps
 * the ones before it). Several processes may start at once (web and workers on a deploy): each migration
 * is applied under a transaction advisory lock, checked again inside it, so the late ones find it done
 * (and it works through PgBouncer in transaction mode, where a session lock would not hold). An applied
 * migration whose file changed stops everything with MigrationChangedError, before anything new is applied.
 *
 * A migration starting with `-- migrate: no-transaction` runs outside a transaction, statement by statement
 * (split at each `;` that ends a line), under a session advisory lock on one connection: for `CREATE INDEX
 * CONCURRENTLY` and the like. Such a migration must be safe to run again after a partial failure
 * (`IF NOT EXISTS`), and needs a direct connection to PostgreSQL, not one through a transaction-mode pooler.
 */
export async function migrate(sql: Sql, log: (msg: string) => void = () => {}, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await readMigrations(dir);
  await underTransactionLock(sql, (tx) => createLedger(tx));
  const done = new Map((await sql<{ version: number; checksum: string }[]>`SELECT version, checksum FROM schema_migrations`).map((r) => [r.version, r.checksum]));
  const changed = changedMigration(migrations, done);
  if (changed) throw new MigrationChangedError(changed);
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    const didApply = m.outsideTransaction ? await applyOutsideTransaction(sql, m) : await applyInTransaction(sql, m);
    if (didApply) {
      applied.push(m.version);
      log(`applied migration ${m.version}_${m.name}`);
    }
  }
  return applied;
}

// The lock is taken by trying, not by waiting: a statement waiting for it would hold a snapshot, and
// CREATE INDEX CONCURRENTLY in the process holding it waits for every such snapshot to go (a deadlock
// PostgreSQL does not detect). Between tries nothing of ours is open.
const LOCK_RETRY_MS = 100;
const NOT_LOCKED = Symbol('not locked');

async function underTransactionLock<T>(sql: Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (;;) {
    const result = await sql.begin(async (tx) => {
      const [{ locked }] = await tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${MIGRATION_LOCK_KEY}) AS locked`;
      return locked ? work(tx) : NOT_LOCKED;
    });
    if (result !== NOT_LOCKED) return result as T;
    await new Promise((r) => setTimeout(r, LOCK_RETRY_MS));
  }
}

async function applyInTransaction(sql: Sql, m: MigrationFile): Promise<boolean> {
  return underTransactionLock(sql, async (tx) => {
    if (await appliedAlready(tx, m)) return false;
    await tx.unsafe(m.sql);
    await record(tx, m);
    return true;
  });
}

async function applyOutsideTransaction(sql: Sql, m: MigrationFile): Promise<boolean> {
  const conn = await sql.reserve();
  try {
    while (!(await conn<{ locked: boolean }[]>`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`)[0]!.locked) {
      await new Promise((r) => setTimeout(r, LOCK_RETRY_MS));
    }
    try {
      if (await appliedAlready(conn, m)) return false;
      for (const statement of m.sql.split(/;[ \t]*(?:--[^\n]*)?\n/)) {
        if (statement.replace(/--[^\n]*/g, '').trim()) await conn.unsafe(statement);
      }
      await record(conn, m);
      return true;
    } finally {
      await conn`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    conn.release();
  }
}
