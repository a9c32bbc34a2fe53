// Can an embedded PostgreSQL (PGlite, served over its socket server) run the whole pipeline for a local
// trial? This measures it; README *First run* reports what it printed. PGlite is not a dependency of the
// project: install it somewhere else and say where,
//
//   mkdir -p /tmp/pglite && (cd /tmp/pglite && npm init -y && npm install @electric-sql/pglite @electric-sql/pglite-socket)
//   PGLITE_DIR=/tmp/pglite/node_modules npx node bench/pglite-trial.ts
//
// It starts PGlite in memory with the extensions the migrations create (pg_trgm, unaccent, btree_gist),
// serves it on a loopback port with the socket server's multiplexer, then checks in order: the migrations,
// the pool size the service opens, the advisory-lock fence the converse stage relies on, and the pipeline
// itself (web app + every stage, a fake Graph API) answering chats × messages in order.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/load.ts';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { createRuntime } from '../src/roles/runtime.ts';
import { createWebApp } from '../src/roles/web-role.ts';
import { startWorkers } from '../src/roles/worker-role.ts';
import { startFakeGraph } from '../tests/support/fake-graph.ts';
import { metaEnvelope, metaTextMessage } from '../tests/support/meta-payloads.ts';
import { signMeta } from '../tests/support/pipeline-harness.ts';
import { dropQueuePrefix, newQueuePrefix } from '../tests/support/test-runtime.ts';

const dir = process.env.PGLITE_DIR;
if (!dir) {
  console.error('set PGLITE_DIR to a node_modules holding @electric-sql/pglite and @electric-sql/pglite-socket (see the top of this file)');
  process.exit(2);
}
const load = (path: string) => import(pathToFileURL(join(dir, path)).href);
const { PGlite } = await load('@electric-sql/pglite/dist/index.js');
const { pg_trgm } = await load('@electric-sql/pglite/dist/contrib/pg_trgm.js');
const { unaccent } = await load('@electric-sql/pglite/dist/contrib/unaccent.js');
const { btree_gist } = await load('@electric-sql/pglite/dist/contrib/btree_gist.js');
const { PGLiteSocketServer } = await load('@electric-sql/pglite-socket/dist/index.js');

const CHATS = Number(process.env.CHATS ?? 20);
const PER_CHAT = Number(process.env.PER_CHAT ?? 5);
const POOL = Number(process.env.POOL ?? 10);
const report = (figure: string, value: unknown) => console.log(JSON.stringify({ figure, value }));

const began = performance.now();
const db = await PGlite.create({ extensions: { pg_trgm, unaccent, btree_gist } });
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 100 });
await server.start();
const port = Number(String(server.getServerConn()).split(':').pop());
const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
report('pglite start ms', Math.round(performance.now() - began));

const sql = createDb({ url, max: POOL, connectTimeout: 5 });
try {
  const t = performance.now();
  const applied = await migrate(sql);
  report('migrations', { applied: applied.length, ms: Math.round(performance.now() - t) });
} catch (error) {
  report('migrations', { failed: (error as Error).message });
}

// the pool the service opens: POOL connections at once, each holding a query
try {
  const t = performance.now();
  await Promise.all(Array.from({ length: POOL }, () => sql`SELECT pg_sleep(0.2)`));
  report(`${POOL} concurrent pg_sleep(0.2)`, { ms: Math.round(performance.now() - t), note: 'about 200 if the connections run in parallel' });
} catch (error) {
  report('concurrent connections', { failed: (error as Error).message });
}

// the converse fence: a chat locked by one transaction must not be lockable by another connection
try {
  const a = createDb({ url, max: 1 });
  const b = createDb({ url, max: 1 });
  let inside: boolean | string = 'not reached';
  const holder = a.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(42)`;
    const t = performance.now();
    // b asks while a holds it; with a real PostgreSQL b answers at once with false
    inside = await Promise.race([
      b`SELECT pg_try_advisory_xact_lock(42) AS got`.then(([r]) => String(r.got)),
      new Promise<string>((r) => setTimeout(() => r(`no answer within 2 s (b waits for a's transaction to end; ${Math.round(performance.now() - t)} ms)`), 2000)),
    ]);
  });
  await holder;
  report('pg_try_advisory_xact_lock from a 2nd connection while the 1st holds it', inside);
  const sessionA = await a`SELECT pg_backend_pid() AS pid`;
  const sessionB = await b`SELECT pg_backend_pid() AS pid`;
  report('backend pid of two connections', [sessionA[0].pid, sessionB[0].pid]);
  await a.end();
  await b.end();
} catch (error) {
  report('advisory lock', { failed: (error as Error).message });
}

// the pipeline: web app, every stage, a fake Graph API; CHATS × PER_CHAT messages, replies counted and ordered
const graph = await startFakeGraph();
const config = loadConfig({
  DATABASE_URL: url, DATABASE_POOL_SIZE: String(POOL), QUEUE_PREFIX: newQueuePrefix(), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', MESSAGE_BUFFER_MS: '0',
  WHATSAPP_PROVIDER: 'meta', META_APP_SECRET: 'test-app-secret', META_VERIFY_TOKEN: 'v', META_ACCESS_TOKEN: 't', META_PHONE_NUMBER_ID: '1098765432', META_GRAPH_URL: graph.url,
});
const rt = createRuntime(config, createLogger(config.LOG_LEVEL));
const app = await createWebApp(rt);
const workers = await startWorkers(rt, { onStuck: (stage, reason) => report('stuck', { stage, reason }) });
const t0 = performance.now();
const statuses: Record<number, number> = {};
process.on('uncaughtException', (error) => {
  report('crash', { message: error.message, stack: error.stack?.split('\n').slice(0, 3).join(' | '), afterMs: Math.round(performance.now() - t0) });
  process.exit(1);
});
for (let m = 0; m < PER_CHAT; m++) {
  await Promise.all(Array.from({ length: CHATS }, async (_, c) => {
    const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from: `5730055${String(c).padStart(5, '0')}`, id: `wamid.pglite.${c}.${m}`, body: m === 0 ? 'hola' : 'gracias' })]));
    const res = await app.inject({ method: 'POST', url: '/webhooks/meta', payload: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
  }));
}
report('webhooks', { sent: CHATS * PER_CHAT, statuses, ms: Math.round(performance.now() - t0) });
const expected = CHATS * PER_CHAT;
const deadline = Date.now() + Number(process.env.WAIT_MS ?? 120_000);
while (Date.now() < deadline) {
  const [{ handled }] = await sql<{ handled: number }[]>`SELECT count(*)::int AS handled FROM inbound_messages WHERE status NOT IN ('received', 'ingested', 'held')`;
  if (handled >= expected && graph.sent.length >= expected) break;
  await new Promise((r) => setTimeout(r, 250));
}
const [{ handled }] = await sql<{ handled: number }[]>`SELECT count(*)::int AS handled FROM inbound_messages WHERE status NOT IN ('received', 'ingested', 'held')`;
report('pipeline', { messages: expected, handled, repliesSent: graph.sent.length, ms: Math.round(performance.now() - t0) });

await workers.close(2000);
await app.close();
await rt.close();
await graph.close();
await dropQueuePrefix(config.QUEUE_PREFIX);
await sql.end({ timeout: 1 });
await server.stop();
await db.close();
process.exit(0);
