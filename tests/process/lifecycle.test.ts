import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { ADMIN_URL, databaseUrl } from '../support/pg-admin.ts';
import { signMeta } from '../support/pipeline-harness.ts';
import { spawnService } from '../support/spawn-service.ts';
import { dropQueuePrefix, META_SECRET, META_VERIFY, newQueuePrefix, until } from '../support/test-runtime.ts';

// The service as an operator runs it: one process, started from scratch on an empty database.

const dbName = `wa_t_life_${randomBytes(4).toString('hex')}`;
const prefix = newQueuePrefix();
let graph: FakeGraph;
const admin = createDb({ url: ADMIN_URL, max: 1 });

beforeAll(async () => {
  await admin.unsafe(`CREATE DATABASE ${dbName}`); // empty: npm start must migrate it
  graph = await startFakeGraph();
});
afterAll(async () => {
  await graph?.close();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await dropQueuePrefix(prefix);
});

const env = () => ({
  DATABASE_URL: databaseUrl(dbName),
  QUEUE_PREFIX: prefix,
  WHATSAPP_PROVIDER: 'meta',
  META_APP_SECRET: META_SECRET,
  META_VERIFY_TOKEN: META_VERIFY,
  META_ACCESS_TOKEN: 'life-token',
  META_PHONE_NUMBER_ID: '555',
  META_GRAPH_URL: graph.url,
  MESSAGE_BUFFER_MS: '0',
});

describe('the service process', () => {
  it('refuses to start on bad configuration, naming every problem', async () => {
    const svc = await spawnService({ ...env(), PORT: 'abc', WORKER_STAGES: 'ingest,nope', META_ACCESS_TOKEN: '' }, [], false);
    expect(await svc.exited).toBe(1);
    expect(svc.output()).toMatch(/PORT:/);
    expect(svc.output()).toMatch(/WORKER_STAGES: unknown stage\(s\) nope/);
    expect(svc.output()).toMatch(/META_ACCESS_TOKEN: required when WHATSAPP_PROVIDER=meta/);
  });

  it('migrates, answers, and on SIGTERM under load stops cleanly; a restart answers the rest exactly once', async () => {
    const svc = await spawnService(env());
    const db = createDb({ url: databaseUrl(dbName), max: 1 });
    const [{ count: migrations }] = await db`SELECT count(*) FROM schema_migrations`.finally(() => db.end());
    expect(migrations).toBeGreaterThanOrEqual(1);
    const post = (from: string, id: string) => {
      const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from, id, body: 'hola' })]));
      return fetch(`http://127.0.0.1:${svc.port}/webhooks/meta`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    };
    const chats = Array.from({ length: 60 }, (_, i) => `5737000000${String(i).padStart(2, '0')}`);
    const acked: string[] = [];
    const posts: Promise<void>[] = [];
    for (const [i, c] of chats.entries()) {
      if (i === 30) svc.child.kill('SIGTERM'); // mid-burst: half sent, half still coming
      posts.push(post(c, `wamid.life.${c}`).then((res) => { if (res.status === 200) acked.push(c); }, () => {}));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(posts);
    const code = await Promise.race([svc.exited, new Promise((r) => setTimeout(() => r('hung'), 25_000))]);
    expect(code, svc.output().slice(-3000)).toBe(0);
    expect(acked.length).toBeGreaterThan(0);

    const again = await spawnService(env());
    try {
      const sentTo = (c: string) => graph.sent.filter((s) => (s.body as { to?: string })?.to === c).length;
      expect(await until(() => acked.every((c) => sentTo(c) >= 1), 30_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      expect(acked.filter((c) => sentTo(c) !== 1)).toEqual([]);
      // what the service learnt before the restart is still there after it
      const db = createDb({ url: databaseUrl(dbName), max: 1 });
      const [{ sessions, profiles }] = await db`SELECT (SELECT count(*) FROM customer_sessions WHERE customer_phone = ANY(${acked})) AS sessions,
        (SELECT count(*) FROM guest_profiles WHERE phone_number = ANY(${acked})) AS profiles`.finally(() => db.end());
      expect({ sessions, profiles }).toEqual({ sessions: acked.length, profiles: acked.length });
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
