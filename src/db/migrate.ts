import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from './client.ts';

export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url).pathname;

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 7_340_211;

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const out: MigrationFile[] = [];
  for (const file of files) {
    const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file ${file} must be named NNN_name.sql`);
    const sql = await readFile(join(dir, file), 'utf8');
    out.push({ version: Number(match[1]), name: match[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  const seen = new Set<number>();
  for (const m of out) {
    if (seen.has(m.version)) throw new Error(`two migrations share number ${m.version}`);
    seen.add(m.version);
  }
  return out;
}

/**
 * Apply every migration not yet applied, in number order, in one transaction (all or nothing).
 * Several processes may start at once (web and workers on a deploy): a transaction advisory lock
 * makes them take turns, and the late ones find nothing left to do.
 */
export async function migrate(sql: Sql, log: (msg: string) => void = () => {}): Promise<number[]> {
  const migrations = await readMigrations();
  const applied: number[] = [];
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Map((await tx<{ version: number; checksum: string }[]>`SELECT version, checksum FROM schema_migrations`).map((r) => [r.version, r.checksum]));
    for (const m of migrations) {
      const previous = done.get(m.version);
      if (previous !== undefined) {
        if (previous !== m.checksum) log(`warning: migration ${m.version}_${m.name} changed after it was applied; write a new migration instead`);
        continue;
      }
      await tx.unsafe(m.sql);
      await tx`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
      applied.push(m.version);
      log(`applied migration ${m.version}_${m.name}`);
    }
  });
  return applied;
}
