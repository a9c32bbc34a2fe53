import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/roles/web-role.ts';
import { startWorkers } from '../../src/roles/worker-role.ts';
import type { Sql } from '../../src/db/client.ts';
import { metaEnvelope, metaStatus, metaTextMessage } from '../support/meta-payloads.ts';
import { signMeta, ACCESS_TOKEN, PHONE_NUMBER_ID } from '../support/pipeline-harness.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { createTestRuntime, dropQueuePrefix, until } from '../support/test-runtime.ts';
import { fillBacklog } from '../support/backlog.ts';
import { capturePlans, nodesOf, type CapturedPlan, type PlanNode } from '../support/plan-capture.ts';

// Issue 16: the cost of a message must not grow with the backlog. Every statement a message runs on its way
// (webhook, ingest, converse, outbound, its delivery status) is captured with its executed plan (auto_explain:
// the repositories' own SQL and parameters, as prepared statements with generic and with custom plans), over
// a database holding thousands of rows of work for other chats, and in the three states of statistics a
// deployment sees (never analyzed: autovacuum off or not yet run; analyzed while the queues were empty, then
// a backlog built up; analyzed with the backlog). A statement fails the test when it scans a table that
// grows, walks an index without a condition on its leading column, filters away many rows, or touches
// far more buffers than a keyed lookup does.

/** The tables a deployment fills over time (the backlog fills them all); small settings tables may be scanned. */
const GROWING = new Set(['inbound_messages', 'outbox', 'message_statuses', 'message_logs', 'events', 'customers', 'guest_profiles', 'customer_sessions', 'handoffs', 'historical_clients']);
/** A keyed lookup or insert touches a handful of pages per index; a walk of the backlog touches thousands. */
const MAX_BUFFERS_PER_SCAN = 60;
const MAX_ROWS_FILTERED = 20;

const STATS = ['never analyzed', 'analyzed while empty', 'analyzed with the backlog'] as const;
type Stats = (typeof STATS)[number];
const MODES = ['force_generic_plan', 'force_custom_plan'] as const;
type Mode = (typeof MODES)[number];

/** The statements the issue names, found by their text: the probe must have run each of them. */
const NAMED: Record<string, RegExp> = {
  'webhook insert': /INSERT INTO inbound_messages/,
  'ingest record': /WITH marked AS \(\s*UPDATE inbound_messages/,
  'converse: open messages of the chat': /FROM inbound_messages WHERE chat_id = \$1 AND status IN/,
  'converse: close inbound': /UPDATE inbound_messages\s+SET status = \$1, handled_at = now\(\)/,
  'outbound claim': /WITH oldest AS \(/,
  'outbound mark-sent-and-peek': /WITH best AS \(\s*SELECT status, reported_at, error_code, error_title FROM message_statuses/,
  'delivery status applied': /SELECT DISTINCT ON \(provider_message_id\)/,
};

async function leadingColumns(sql: Sql): Promise<Map<string, string | null>> {
  const rows = await sql<{ index: string; leading: string | null }[]>`
    SELECT c.relname AS index, a.attname AS leading
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
     WHERE c.relnamespace = 'public'::regnamespace`;
  return new Map(rows.map((r) => [r.index, r.leading]));
}

/** What is wrong with one executed plan, one line per problem; empty when every scan is a keyed lookup. */
function problemsOf(p: CapturedPlan, leading: Map<string, string | null>, tableOfIndex: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const n of nodesOf(p.plan)) {
    const table = n['Relation Name'] ?? (n['Index Name'] ? tableOfIndex.get(n['Index Name']) : undefined);
    if (!table || !GROWING.has(table)) continue;
    const where = `${n['Node Type']} on ${table}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`;
    if (n['Node Type'] === 'Seq Scan') problems.push(`${where}: scans the table`);
    if (n['Index Name'] && /Index/.test(n['Node Type'])) {
      const first = leading.get(n['Index Name']);
      const cond = n['Index Cond'] ?? '';
      if (first && !new RegExp(`\\(${first} (=|<|>|<=|>=)`).test(cond)) problems.push(`${where}: walks the index (condition "${cond}" does not name its leading column ${first})`);
    }
    if ((n['Rows Removed by Filter'] ?? 0) > MAX_ROWS_FILTERED) problems.push(`${where}: filtered away ${n['Rows Removed by Filter']} rows (${n.Filter})`);
    const buffers = scanBuffers(n);
    if (/Scan/.test(n['Node Type']) && buffers > MAX_BUFFERS_PER_SCAN) problems.push(`${where}: touched ${buffers} buffers`);
  }
  return problems;
}

/** A scan node's own buffers (a scan has no child plans but subplans in its conditions, which are rare here). */
const scanBuffers = (n: PlanNode) => (n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0);

interface Probe {
  plans: CapturedPlan[];
  replies: number;
}

/** Six customers write once each, are answered, and their replies are reported delivered: every plan of it. */
async function probeMessages(db: TestDatabase, graph: FakeGraph, mode: Mode, round: number): Promise<Probe> {
  const rt = await createTestRuntime({ DATABASE_URL: db.url, WHATSAPP_PROVIDER: 'meta', META_ACCESS_TOKEN: ACCESS_TOKEN, META_PHONE_NUMBER_ID: PHONE_NUMBER_ID, META_GRAPH_URL: graph.url });
  const capture = capturePlans(db.url, mode);
  await rt.sql.end();
  rt.sql = capture.sql; // every role's statements go through the capturing pool
  const app = await createWebApp(rt);
  const role = await startWorkers(rt, { stages: ['ingest', 'converse', 'outbound'] });
  const post = async (body: unknown) => {
    const raw = JSON.stringify(body);
    const res = await app.inject({ method: 'POST', url: '/webhooks/meta', payload: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    expect(res.statusCode).toBe(200);
  };
  try {
    let replies = 0;
    for (let i = 0; i < 6; i++) {
      const from = `5732${String(round).padStart(2, '0')}00000${i}`;
      await post(metaEnvelope([metaTextMessage({ from, id: `wamid.probe.${round}.${i}`, body: 'hola' })]));
      expect(await until(() => graph.sent.some((s) => (s.body as { to?: string }).to === from), 30_000)).toBe(true);
      const reply = graph.sent.find((s) => (s.body as { to?: string }).to === from)!;
      expect(await until(async () => (await db.sql`SELECT 1 FROM outbox WHERE chat_id = ${from} AND status = 'sent'`).length === 1, 30_000)).toBe(true);
      await post(metaEnvelope([], { statuses: [metaStatus({ id: reply.responseId!, status: 'delivered', recipient: from })] }));
      expect(await until(async () => (await db.sql`SELECT 1 FROM outbox WHERE chat_id = ${from} AND status = 'delivered'`).length === 1, 30_000)).toBe(true);
      replies++;
    }
    return { plans: [...capture.plans], replies };
  } finally {
    await role.close(2000);
    await app.close();
    await rt.close();
    await dropQueuePrefix(rt.config.QUEUE_PREFIX);
  }
}

describe.each(STATS)('every hot statement is a keyed lookup, with a backlog for other chats (statistics: %s)', (stats: Stats) => {
  let db: TestDatabase;
  let graph: FakeGraph;
  let leading: Map<string, string | null>;
  let tableOfIndex: Map<string, string>;
  const probes = new Map<Mode, Probe>();

  beforeAll(async () => {
    db = await createTestDatabase();
    if (stats === 'analyzed while empty') await db.sql`ANALYZE`;
    await fillBacklog(db.sql, { historyChats: 4000, waitingIngest: 3000, waitingConverse: 2000, waitingSend: 5000 });
    if (stats === 'analyzed with the backlog') await db.sql`ANALYZE`;
    leading = await leadingColumns(db.sql);
    const rows = await db.sql<{ index: string; table: string }[]>`SELECT indexname AS index, tablename AS table FROM pg_indexes WHERE schemaname = 'public'`;
    tableOfIndex = new Map(rows.map((r) => [r.index, r.table]));
    // one fake API for both probes: its message ids are unique per instance
    graph = await startFakeGraph();
    let round = STATS.indexOf(stats) * 10;
    for (const mode of MODES) probes.set(mode, await probeMessages(db, graph, mode, round++));
  }, 240_000);
  afterAll(async () => {
    await graph?.close();
    await db?.drop();
  });

  it.each(MODES)('%s: each statement of the probe touches only its own keys', (mode: Mode) => {
    const probe = probes.get(mode)!;
    expect(probe.replies).toBe(6);
    for (const [name, text] of Object.entries(NAMED)) expect(probe.plans.some((p) => text.test(p.query)), `the probe ran the ${name} statement`).toBe(true);
    const problems = probe.plans.flatMap((p) => problemsOf(p, leading, tableOfIndex).map((problem) => `${problem}\n    in: ${p.query.replace(/\s+/g, ' ').trim().slice(0, 160)}`));
    expect([...new Set(problems)]).toEqual([]);
  });

  it('the named statements use the chat-keyed indexes', () => {
    const generic = probes.get('force_generic_plan')!.plans;
    const scans = (text: RegExp) => generic.filter((p) => text.test(p.query)).flatMap((p) => nodesOf(p.plan)).filter((n) => n['Index Name']);
    // the "more pending?" look and the claim go through the chat's pending replies, by chat
    const markSent = scans(NAMED['outbound mark-sent-and-peek']);
    expect(markSent.some((n) => n['Index Name'] === 'outbox_pending_by_chat' && /\(chat_id = /.test(n['Index Cond'] ?? ''))).toBe(true);
    expect(markSent.some((n) => n['Index Name'] === 'message_statuses_unique' && /\(provider = /.test(n['Index Cond'] ?? ''))).toBe(true);
    expect(scans(NAMED['outbound claim']).some((n) => n['Index Name'] === 'outbox_pending_by_chat' && /\(chat_id = /.test(n['Index Cond'] ?? ''))).toBe(true);
    // no statement of the probe walks the by-age indexes (the sweep's)
    const all = generic.flatMap((p) => nodesOf(p.plan));
    expect(all.filter((n) => ['outbox_pending_by_age', 'inbound_messages_received_by_age', 'inbound_messages_ingested_by_age'].includes(n['Index Name'] ?? ''))).toEqual([]);
  });
});
