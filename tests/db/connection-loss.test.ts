import net from 'node:net';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Sql } from '../../src/db/client.ts';
import { ADMIN_URL } from '../support/pg-admin.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// PostgreSQL dropping connections (a restart, a failover, a pooler's reaper, an operator's
// pg_terminate_backend) must leave nothing hanging: every query settles, resolved or rejected, within
// a deadline, and the same client goes on serving. postgres.js 3.4.9 unpatched left the query that hit a
// closed connection pending forever, and the next pooled queries behind it (porsager/postgres#1208).

import { kinds, reserved, settle, type Outcome } from '../support/connection-loss.ts';

let db: TestDatabase;
let admin: Sql;
let app: Sql | undefined; // the client under test, ended after each test
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
    // the pool serves on: the released connection is not handed back with its socket gone
    const pooledAfter = await Promise.all(Array.from({ length: 6 }, (_, i) => settle(`pooled #${i} after release`, () => app!`SELECT ${i}::int`)));
    const reservedAfter = await settle('reserved, after release', reserved(app, 4));
    const notOk = [...pooledAfter, reservedAfter].filter((o) => o.kind !== 'ok');
    expect({ first: first.kind, second: second.kind }).toEqual({ first: 'error', second: 'error' });
    expect(notOk).toEqual([]);
    expect(stray.map((e) => e.message)).toEqual([]);
  });

  it('a reservation waiting for the only connection gets it after that connection died', async () => {
    app = createDb({ url: db.url, max: 1 });
    const sql = app;
    const r1 = await sql.reserve();
    await r1`SELECT 1`;
    const waiting = settle('waiting reservation', reserved(sql, 1)); // the pool's only connection is taken
    const inFlight = settle('in flight on the reservation', () => r1`SELECT pg_sleep(1)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await terminateAppBackends();
    expect((await inFlight).kind).toBe('error');
    r1.release();
    expect(await waiting).toEqual({ kind: 'ok' });
  });

  it('queries queued behind a full pipeline settle when the reserved or transaction connection dies', async () => {
    app = createDb({ url: db.url, max: 2 });
    const sql = app;
    // more than postgres.js pipelines on one connection (100): the rest wait in the reservation's or
    // the transaction's own queue, which the connection's close never reached
    const r = await sql.reserve();
    const onReserved = Array.from({ length: 150 }, (_, i) => settle(`reserved #${i}`, () => r`SELECT pg_sleep(0.3), ${i}::int`));
    let inTx: Promise<Outcome>[] = [];
    const tx = settle('transaction', () =>
      sql.begin(async (t) => {
        inTx = Array.from({ length: 150 }, (_, i) => settle(`in transaction #${i}`, () => t`SELECT pg_sleep(0.3), ${i}::int`));
        await Promise.all(inTx);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await terminateAppBackends();
    const outcomes = [...(await Promise.all(onReserved)), await tx, ...(await Promise.all(inTx))];
    r.release();
    expect(outcomes.filter((o) => o.kind === 'hung')).toEqual([]);
    expect(await stillServes(sql)).toEqual(Array.from({ length: 30 }, () => ({ kind: 'ok' })));
  });

  it('a query handed to a connection in the same tick as its close does not stall the connection after it', async () => {
    // All backends dying at once (a PostgreSQL restart) closes every socket in one turn of the event loop:
    // what runs after the first close (a rejected query's handler) can still pick a connection whose
    // close comes next. Its write was scheduled when that close arrived; the reconnected socket must
    // still be written to. Driven through a socket of our own so the two closes land in one turn.
    const sockets: net.Socket[] = [];
    let onFirstClose: (() => void) | undefined;
    // postgres.js takes a `socket` factory (documented, not in its types)
    const ownSocket: object = {
      socket: () => new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(Number(new URL(db.url).port), new URL(db.url).hostname);
        s.on('close', () => { const f = onFirstClose; onFirstClose = undefined; f?.(); });
        s.once('connect', () => { sockets.push(s); resolve(s); });
        s.once('error', reject);
      }),
    };
    // connect_timeout longer than the deadline: a stalled connection shows as hung, not as a timeout
    app = postgres(db.url, { max: 2, connect_timeout: 30, onnotice: () => {}, ...ownSocket });
    const sql = app;
    await Promise.all([sql`SELECT pg_sleep(0.05)`, sql`SELECT pg_sleep(0.05)`]); // two connections open
    let between: Promise<Outcome> | undefined;
    onFirstClose = () => { between = settle('issued between the two closes', () => sql`SELECT 1`); };
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await Promise.all([1, 2, 3, 4].map((i) => settle(`next #${i}`, () => sql`SELECT ${i}::int`)));
    expect(await between).toMatchObject({ kind: expect.stringMatching(/^(ok|error)$/) });
    expect(next.filter((o) => o.kind !== 'ok')).toEqual([]);
  });
  // The same kills under a sustained load of all three kinds run in the fault suite
  // (tests/faults/connection-loss.fault.ts): about one run in three here still leaves one operation of
  // ~2,000 unsettled, which CI must not turn into a coin toss; the README says so.
});
