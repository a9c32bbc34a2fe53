import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Sql } from '../../src/db/client.ts';
import { ADMIN_URL } from '../support/pg-admin.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// PostgreSQL dropping connections (a restart, a failover, a pooler's reaper, an operator's
// pg_terminate_backend) must leave nothing hanging: every query settles, resolved or rejected, within
// a deadline, and the same client goes on serving. postgres.js 3.4.9 unpatched left the query that hit a
// closed connection pending forever, and the next pooled queries behind it (porsager/postgres#1208).

const DEADLINE_MS = 5_000;

type Outcome = { kind: 'ok' } | { kind: 'error'; code: string } | { kind: 'hung'; what: string };

/** Resolves with how `work` ended; 'hung' when it had not settled by the deadline. */
async function settle(what: string, work: () => Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ kind: 'hung', what }), DEADLINE_MS); });
  const done = work().then(
    (): Outcome => ({ kind: 'ok' }),
    (error: unknown): Outcome => ({ kind: 'error', code: String((error as { code?: unknown })?.code ?? (error as Error)?.message ?? error) }),
  );
  try {
    return await Promise.race([done, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// the three ways the app holds a connection: a pooled query, a transaction, a reserved connection
const pooled = (sql: Sql, i: number) => () => sql`SELECT pg_sleep(${(i % 5) / 1000}), ${i}::int AS i`;
const transaction = (sql: Sql, i: number) => () =>
  sql.begin(async (tx) => {
    await tx`SELECT ${i}::int AS i`;
    await tx`SELECT pg_sleep(0.005)`;
    return tx`SELECT ${i}::int + 1 AS j`;
  });
const reserved = (sql: Sql, i: number) => async () => {
  const r = await sql.reserve();
  try {
    await r`SELECT ${i}::int AS i`;
    await r`SELECT pg_sleep(0.005)`;
    return await r`SELECT ${i}::int + 1 AS j`;
  } finally {
    r.release();
  }
};
const kinds = [pooled, transaction, reserved] as const;

let db: TestDatabase;
let admin: Sql;
let app: Sql | undefined;
// a throw from one of the library's timers reaches no caller: count it (the process would have died, or
// been kept alive by a guard with its query left pending)
const stray: Error[] = [];
const onStray = (error: Error) => { stray.push(error); };

beforeAll(async () => {
  db = await createTestDatabase();
  admin = createDb({ url: ADMIN_URL, max: 1 });
  process.on('uncaughtException', onStray);
});
afterEach(async () => {
  await app?.end({ timeout: 1 });
  app = undefined;
});
afterAll(async () => {
  process.off('uncaughtException', onStray);
  await admin?.end();
  await db?.drop();
});

/** Kills every backend of the test database (the app's connections), as a PostgreSQL restart would. */
const terminateAppBackends = () =>
  admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${db.name} AND pid <> pg_backend_pid()`;

async function stillServes(sql: Sql): Promise<Outcome[]> {
  const after = Array.from({ length: 30 }, (_, i) => settle(`after #${i}`, kinds[i % kinds.length]!(sql, i)));
  return Promise.all(after);
}

describe('PostgreSQL connection loss', () => {
  it('a reserved connection whose backend died rejects its queries, and the pool serves on', async () => {
    app = createDb({ url: db.url, max: 2 });
    const r = await app.reserve();
    await r`SELECT 1`;
    await terminateAppBackends();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the close has arrived
    const first = await settle('reserved, after the kill', () => r`SELECT 1`);
    const second = await settle('reserved, again', () => r`SELECT 2`);
    r.release();
    const pooledAfter = await settle('pooled, after release', () => app!`SELECT 3`);
    const reservedAfter = await settle('reserved, after release', reserved(app, 4));
    console.log('reserved connection after its backend died:', { first, second, pooledAfter, reservedAfter, uncaught: stray.map((e) => e.message) });
    expect({ first: first.kind, second: second.kind }).toEqual({ first: 'error', second: 'error' });
    expect({ pooledAfter, reservedAfter }).toEqual({ pooledAfter: { kind: 'ok' }, reservedAfter: { kind: 'ok' } });
    expect(stray.map((e) => e.message)).toEqual([]);
  });

  it('every query settles while backends are terminated under load, reserved ones included; then all succeed', async () => {
    app = createDb({ url: db.url, max: 10 });
    const sql = app;
    const outcomes: Promise<Outcome>[] = [];
    let loading = true;
    let n = 0;
    // 24 clients in a loop, each always with one query, transaction or reservation in flight
    const clients = Array.from({ length: 24 }, async (_, c) => {
      while (loading) {
        const i = n++;
        const kind = kinds[(c + i) % kinds.length]!;
        const outcome = settle(`${kind.name} #${i}`, kind(sql, i));
        outcomes.push(outcome);
        await outcome;
      }
    });
    // kill the app's backends 15 times, 150 ms apart, while the load runs
    for (let round = 0; round < 15; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await terminateAppBackends();
    }
    loading = false;
    await Promise.all(clients);
    const all = await Promise.all(outcomes);

    const hung = all.filter((o) => o.kind === 'hung').map((o) => (o as { what: string }).what);
    const failures = all.filter((o) => o.kind === 'error').map((o) => (o as { code: string }).code);
    const ok = all.filter((o) => o.kind === 'ok').length;
    // only losing the connection may fail a query, never anything else
    const unexpected = failures.filter((code) => !/^(CONNECTION_CLOSED|CONNECTION_DESTROYED|57P01|ECONNRESET|EPIPE)$/.test(code));
    console.log(`connection loss under load: ${all.length} settled-or-hung, ${ok} ok, ${failures.length} rejected, ${hung.length} hung, ${stray.length} uncaught library errors`);
    expect(hung).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(failures.length).toBeGreaterThan(0); // the kills did hit queries in flight
    expect(ok).toBeGreaterThan(0);

    // the same client keeps serving: pooled, transactions and reservations all succeed
    const after = await stillServes(sql);
    expect(after.filter((o) => o.kind !== 'ok')).toEqual([]);
    expect(stray.map((e) => e.message)).toEqual([]);
  });
});
