// CPU time per process group, read from /proc/<pid>/stat (utime + stime): what each part of the box spent
// over a window of the bench, divided by the messages answered in it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Sql } from '../src/db/client.ts';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU milliseconds a process has used so far (user + system), or undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // fields after the command name (which may hold spaces, so cut at its closing parenthesis): utime is the 14th field
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export type Group = 'web' | 'worker' | 'postgres' | 'redis' | 'load_generator';
export type CpuSnapshot = Map<Group, Map<number, number>> & { work?: Record<string, number> };

export interface CpuSources {
  web: number;
  worker: number;
  /** The bench database's backends and the server's own processes (WAL writer, checkpointer…). */
  postgres: () => Promise<number[]>;
  redis: number;
  /** PostgreSQL's own counts of its work (postgresWork), read with each snapshot. */
  postgresWork?: () => Promise<Record<string, number>>;
}

/**
 * The PostgreSQL processes doing the bench's work: its database's backends, and the server's background
 * processes (WAL writer, checkpointer, background writer), which work for every database. Other databases'
 * backends (tests running beside the bench) are left out; the background processes' share of them is not.
 */
export async function postgresPids(admin: Sql, database: string): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE (datname = ${database} OR backend_type <> 'client backend') AND pid <> pg_backend_pid()`;
  return rows.map((r) => r.pid);
}

/**
 * What PostgreSQL did for the bench database, as it counts it (pg_stat_database): buffers touched, rows
 * read, transactions committed. Unlike CPU time these do not change with how busy the machine is (a busy
 * server commits in groups and wakes less often), so per message they show whether the work itself grew.
 */
export async function postgresWork(admin: Sql, database: string): Promise<Record<string, number>> {
  const [row] = await admin<{ buffers: number; rows: number; commits: number }[]>`
    SELECT (blks_hit + blks_read)::float8 AS buffers, (tup_returned + tup_fetched)::float8 AS rows, xact_commit::float8 AS commits
      FROM pg_stat_database WHERE datname = ${database}`;
  return row ?? {};
}

export async function redisPid(redis: Redis): Promise<number> {
  const info = await redis.info('server');
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

export async function snapshot(sources: CpuSources): Promise<CpuSnapshot> {
  const read = (pids: number[]) => new Map(pids.flatMap((pid) => { const ms = processCpuMs(pid); return ms === undefined ? [] : [[pid, ms] as const]; }));
  const work = await sources.postgresWork?.();
  const snap: CpuSnapshot = new Map<Group, Map<number, number>>([
    ['web', read([sources.web])],
    ['worker', read([sources.worker])],
    ['postgres', read(await sources.postgres())],
    ['redis', read([sources.redis])],
    ['load_generator', read([process.pid])],
  ]);
  snap.work = work;
  return snap;
}

/** PostgreSQL's counts of its work per message between two snapshots (empty when not read). */
export function workPerMessage(start: CpuSnapshot, end: CpuSnapshot, messages: number): Record<string, number> {
  if (!start.work || !end.work) return {};
  return Object.fromEntries(Object.entries(end.work).map(([k, v]) => [k, Math.round(((v - (start.work![k] ?? 0)) / messages) * 10) / 10]));
}

export type CpuPerMessage = Record<Group | 'total', number>;

/**
 * CPU milliseconds per message between two snapshots. A process seen only at the end started inside the
 * window and counts whole; one gone by the end lost its last stretch (pooled connections rarely close).
 * `total` is the service's box: web, worker, PostgreSQL and Redis (not the load generator).
 */
export function perMessage(start: CpuSnapshot, end: CpuSnapshot, messages: number): CpuPerMessage {
  const out = {} as CpuPerMessage;
  for (const [group, pids] of end) {
    let ms = 0;
    for (const [pid, now] of pids) ms += now - (start.get(group)?.get(pid) ?? 0);
    out[group] = Math.round((ms / messages) * 1000) / 1000;
  }
  out.total = Math.round((out.web + out.worker + out.postgres + out.redis) * 1000) / 1000;
  return out;
}
