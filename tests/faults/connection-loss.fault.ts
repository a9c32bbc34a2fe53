import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Sql } from '../../src/db/client.ts';
import { ADMIN_URL, databaseUrl } from '../support/pg-admin.ts';
import { kinds, settle, type Outcome } from '../support/connection-loss.ts';
import { renderReliability, reportFault } from './report.ts';

// PostgreSQL killing the app's backends again and again under a sustained load of pooled queries,
// transactions and reserved connections: operations fail only with a connection error, and the same
// client serves on. With postgres.js 3.4.9 as patched (patches/), about one run in three still leaves an
// operation or a few of ~2,000 unsettled for good (README, Reliability: the remaining hang, diagnosed
// there). The service does not rely on the library for that last case: its wedge watchdog ends a process
// whose work stops settling (tests/faults/wedged-client.fault.ts). This scenario measures how often the
// library still hangs (reported to docs/RELIABILITY.md) and fails if that grows past 1 % of operations.

let name: string;
let admin: Sql;
let app: Sql;
beforeAll(async () => {
  name = `wa_fault_conn_${randomBytes(4).toString('hex')}`;
  admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  app = createDb({ url: databaseUrl(name), max: 10 });
});
afterAll(async () => {
  renderReliability();
  await app?.end({ timeout: 1 });
  await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.end();
});

describe('PostgreSQL connection loss under load', () => {
  it('every query settles while backends are terminated under load, reserved ones included; then all succeed', async () => {
    const outcomes: Promise<Outcome>[] = [];
    let loading = true;
    let n = 0;
    // 24 clients in a loop, each always with one query, transaction or reservation in flight
    const clients = Array.from({ length: 24 }, async (_, c) => {
      while (loading) {
        const i = n++;
        const kind = kinds[(c + i) % kinds.length]!;
        const outcome = settle(`${kind.name} #${i}`, kind(app, i));
        outcomes.push(outcome);
        await outcome;
      }
    });
    // kill the app's backends 15 times, 150 ms apart, while the load runs
    for (let round = 0; round < 15; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`;
    }
    loading = false;
    await Promise.all(clients);
    const all = await Promise.all(outcomes);
    const hung = all.filter((o) => o.kind === 'hung').map((o) => (o as { what: string }).what);
    const failures = all.filter((o) => o.kind === 'error').map((o) => (o as { code: string }).code);
    // only losing the connection may fail a query, never anything else
    const unexpected = failures.filter((code) => !/^(CONNECTION_CLOSED|CONNECTION_DESTROYED|57P01|ECONNRESET|EPIPE)$/.test(code));
    console.log(`connection loss under load: ${all.length} operations, ${all.length - failures.length - hung.length} ok, ${failures.length} rejected, ${hung.length} hung`);
    reportFault({
      scenario: 'postgres.js: backends terminated 15 times under load', property: '1',
      notes: `${all.length} operations (pooled, sql.begin, sql.reserve), ${failures.length} rejected with a connection error, ${hung.length} unsettled after 5 s${hung.length ? ` (${hung.join(', ')})` : ''}: the library's remaining hang, which the wedge watchdog turns into a restart`,
    });
    expect(hung.length).toBeLessThanOrEqual(Math.ceil(all.length * 0.01));
    expect(unexpected).toEqual([]);
    expect(failures.length).toBeGreaterThan(0); // the kills did hit queries in flight

    const after = await Promise.all(Array.from({ length: 30 }, (_, i) => settle(`after #${i}`, kinds[i % kinds.length]!(app, i))));
    expect(after.filter((o) => o.kind !== 'ok')).toEqual([]);
  });
});
