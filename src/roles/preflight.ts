// Before a process starts anything: PostgreSQL and Redis answer within a few seconds and, for the roles
// that do not migrate, the database is migrated. A problem ends start-up with one line naming the
// variable, the address and what to do, instead of a stack with ECONNREFUSED (PostgreSQL) or half a
// minute of reconnect warnings (Redis). A check that passes says nothing.
import { Redis } from 'ioredis';
import { createDb } from '../db/client.ts';
import { changedMigration, MigrationChangedError, readMigrations } from '../db/migrate.ts';

export interface PreflightOptions {
  databaseUrl: string;
  redisUrl: string;
  /** The roles that do not run migrations themselves need them applied already. */
  requireMigrated: boolean;
  timeoutMs?: number;
}

/** Every problem found, one line each; empty when the process may start. */
export async function preflight(o: PreflightOptions): Promise<string[]> {
  const timeoutMs = o.timeoutMs ?? 3000;
  const results = await Promise.all([checkDatabase(o.databaseUrl, o.requireMigrated, timeoutMs), checkRedis(o.redisUrl, timeoutMs)]);
  return results.filter((p): p is string => p !== undefined);
}

/** The URL with its password replaced by ***, fit for a log line. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

// What a newcomer with nothing installed needs to read (README *First run* says more).
const INSTALL_POSTGRES = 'no PostgreSQL installed? apt install postgresql, brew install postgresql@16, or docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17';
const INSTALL_REDIS = 'no Redis installed? apt install redis-server, brew install redis, or docker run -d -p 6379:6379 redis:7.4 --appendonly yes --maxmemory-policy noeviction';
// the migrations' SQL-standard function bodies (CREATE FUNCTION … RETURN) need 14
const MIN_POSTGRES = 140000;
// what migrations 005 and 007 create; some distributions ship them apart (postgresql-contrib)
const EXTENSIONS = ['pg_trgm', 'unaccent', 'btree_gist'];

async function checkDatabase(url: string, requireMigrated: boolean, timeoutMs: number): Promise<string | undefined> {
  const where = `DATABASE_URL ${maskUrl(url)}`;
  const sql = createDb({ url, max: 1, connectTimeout: Math.ceil(timeoutMs / 1000) });
  try {
    // postgres.js keeps a query queued across timed-out connection attempts (an address that drops
    // packets never answers): the deadline is ours
    const [server] = await deadline(sql<{ version: number; shown: string }[]>`SELECT current_setting('server_version_num')::int AS version, current_setting('server_version') AS shown`.execute(), timeoutMs);
    if (server.version < MIN_POSTGRES) return `${where} is PostgreSQL ${server.shown}: the migrations need PostgreSQL 14 or later`;
    const available = new Set((await sql<{ name: string }[]>`SELECT name FROM pg_available_extensions WHERE name IN ${sql(EXTENSIONS)}`).map((r) => r.name));
    const missing = EXTENSIONS.filter((e) => !available.has(e));
    if (missing.length) return `${where} lacks the PostgreSQL extension(s) ${missing.join(', ')} the migrations create: install your distribution's postgresql-contrib package`;
    const [{ table }] = await sql<{ table: string | null }[]>`SELECT to_regclass('schema_migrations')::text AS table`;
    const done = new Map(table ? (await sql<{ version: number; checksum: string }[]>`SELECT version, checksum FROM schema_migrations`).map((r) => [r.version, r.checksum]) : []);
    const files = await readMigrations();
    // every role: the database and the code must agree on what was applied (src/db/migrate.ts)
    const changed = changedMigration(files, done);
    if (changed) return `${where}: ${new MigrationChangedError(changed).message}`;
    if (!requireMigrated) return undefined;
    const pending = files.filter((m) => !done.has(m.version)).map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`);
    if (!pending.length) return undefined;
    return `${where} is not migrated (${table ? `${pending.length} migration(s) pending: ${pending.join(', ')}` : 'no schema_migrations table'}): run npm run migrate`;
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (e.code === 'ECONNREFUSED') return `${where} is not answering (connection refused): start PostgreSQL or fix DATABASE_URL (${INSTALL_POSTGRES})`;
    if (e.code === 'CONNECT_TIMEOUT' || e.code === 'ETIMEDOUT') return `${where} is not answering (no answer within ${timeoutMs / 1000} s): start PostgreSQL or fix DATABASE_URL (${INSTALL_POSTGRES})`;
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${where} is not answering (unknown host): fix DATABASE_URL`;
    if (e.code === '3D000') return `${where}: ${e.message}: create the database or fix DATABASE_URL`;
    if (e.code === '28P01' || e.code === '28000') return `${where}: ${e.message}: fix the user or password in DATABASE_URL`;
    return `${where}: ${e.message}: check DATABASE_URL`;
  } finally {
    await deadline(sql.end({ timeout: 1 }), 1000).catch(() => {});
  }
}

function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function checkRedis(url: string, timeoutMs: number): Promise<string | undefined> {
  const where = `REDIS_URL ${maskUrl(url)}`;
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  // connect() rejects with "Connection is closed"; the socket's own error says why
  let cause: { code?: string; message: string } | undefined;
  redis.on('error', (error) => (cause ??= error)); // reported once, below
  try {
    await deadline(redis.connect().then(() => redis.ping()), timeoutMs + 500);
    return undefined;
  } catch (error) {
    const e = cause ?? (error as { code?: string; message: string });
    if (e.code === 'ECONNREFUSED') return `${where} is not answering (connection refused): start Redis or fix REDIS_URL (${INSTALL_REDIS})`;
    if (e.code === 'ETIMEDOUT' || /ETIMEDOUT/.test(e.message)) return `${where} is not answering (no answer within ${timeoutMs / 1000} s): start Redis or fix REDIS_URL (${INSTALL_REDIS})`;
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${where} is not answering (unknown host): fix REDIS_URL`;
    if (/NOAUTH|WRONGPASS|invalid password/i.test(e.message)) return `${where}: ${e.message}: fix the password in REDIS_URL`;
    return `${where}: ${e.message}: check REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}
