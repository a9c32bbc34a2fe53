import type { FaultPoint } from '../../src/lib/fault-points.ts';
import type { Sql } from '../../src/db/client.ts';
import type { FakeGraph } from './fake-graph.ts';
import { metaEnvelope, metaTextMessage } from './meta-payloads.ts';
import { signMeta } from './pipeline-harness.ts';
import { spawnService, type ServiceProcess } from './spawn-service.ts';
import { createTestDatabase } from './test-db.ts';
import { startFakeGraph } from './fake-graph.ts';
import { dropQueuePrefix, META_SECRET, META_VERIFY, newQueuePrefix, REDIS_URL, until } from './test-runtime.ts';

// Ordering and exactly-once with real processes and the production burst window: a web process (with the
// maintenance stage: migrations and the sweep) and several worker processes; optionally one more worker
// started with FAULT_INJECT, which kill -9s itself at that crash point mid-traffic. Shared by `npm test`
// (tests/process/crash-points.test.ts, small) and the fault suite (tests/faults/crash-points.fault.ts, larger).

export interface CrashWorld {
  graph: FakeGraph;
  sql: Sql;
  /** The environment of every process: database, Redis, queue prefix, provider pointed at `graph`. */
  env: (overrides?: Record<string, string>) => Record<string, string>;
}

/** A world for `npm test`: a database cloned from the run's template, the shared Redis under a fresh prefix, a fake Graph API. */
export async function testCrashWorld(): Promise<CrashWorld & { drop: () => Promise<void> }> {
  const [db, graph] = await Promise.all([createTestDatabase(), startFakeGraph()]);
  const prefix = newQueuePrefix();
  return {
    graph,
    sql: db.sql,
    env: (extra = {}) => ({
      DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, WHATSAPP_PROVIDER: 'meta', META_APP_SECRET: META_SECRET, META_VERIFY_TOKEN: META_VERIFY,
      META_ACCESS_TOKEN: 'crash-token', META_PHONE_NUMBER_ID: '777', META_GRAPH_URL: graph.url, LOG_LEVEL: 'error', ...extra,
    }),
    drop: async () => {
      await graph.close();
      await dropQueuePrefix(prefix);
      await db.drop();
    },
  };
}

export interface CrashScenarioOptions {
  /** Where the doomed worker kills itself; none: no crash, every process healthy. */
  point?: FaultPoint;
  /** The doomed worker dies at its n-th hit of the point, so that it has other jobs in flight then. */
  hit?: number;
  chats: number;
  /** Messages each chat writes (the first one delivered twice at once, as Meta's at-least-once may). */
  perChat: number;
  /** Healthy worker processes besides the doomed one. */
  workers: number;
  /** MESSAGE_BUFFER_MS for every process; unset: the production default (2000). */
  bufferMs?: string;
}

export interface CrashOutcome {
  acknowledged: number;
  /** Acknowledged messages not answered: never handled, or whose reply the fake API never received. */
  lost: string[];
  /** Sends the fake API accepted that no outbox row records: a reply sent twice (the first send unrecorded). */
  unrecordedSends: number;
  /** Outbox rows recorded as sent whose provider id reached the fake API more or less than once. */
  recordedNotOnce: number;
  /** Chats whose bursts were not consecutive runs of messages ending at the message they answer. */
  burstsBroken: string[];
  /** Chats whose replies reached the API out of their messages' order. */
  outOfOrder: string[];
  /** Inbound rows beyond one per distinct provider message id (duplicate deliveries stored twice). */
  storedTwice: number;
  /** Messages answered together with others (the burst window at work). */
  inBursts: number;
  bursts: number;
  /** How the doomed worker ended: 'SIGKILL' when it died at the point; undefined when there was none. */
  doomedSignal?: NodeJS.Signals | null;
  /** Seconds from the kill to the last acknowledged message answered. */
  recoverySeconds?: number;
  seconds: number;
}

// a fixed pseudo-random schedule (mulberry32), so a failure can be replayed exactly
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIMINGS = {
  // shortened so recovery takes seconds: a dead worker's jobs are retried after JOB_LOCK_MS, a send's lease
  // (PROVIDER_TIMEOUT_MS + 5 s) lapses before the sweep offers the reply again
  JOB_LOCK_MS: '2000',
  PROVIDER_TIMEOUT_MS: '1000',
  SWEEP_INTERVAL_MS: '500',
  SWEEP_GRACE_MS: '2000',
  SHUTDOWN_TIMEOUT_MS: '3000',
};
const WORKER_STAGES = 'ingest,converse,outbound';
interface OutboxRow { id: string; inboundId: string; seq: number; status: string; providerId: string | null }

async function startWorker(env: Record<string, string>, stages = WORKER_STAGES): Promise<ServiceProcess> {
  return spawnService({ ...env, WORKER_STAGES: stages }, ['--role', 'worker'], false);
}

// The doomed worker runs the stage of its crash point and ingest, not outbound unless that is the point: a
// worker that also sends would take its sends in flight down with it (DESIGN §4.12's exception), and the
// converse crash could not then be asserted to duplicate nothing.
const doomedStages = (point: FaultPoint) => (point === 'outbound:after-accept' ? WORKER_STAGES : 'ingest,converse');

export async function runCrashScenario(world: CrashWorld, opts: CrashScenarioOptions): Promise<CrashOutcome> {
  const started = Date.now();
  const env = (extra: Record<string, string> = {}) => world.env({ ...TIMINGS, ...(opts.bufferMs === undefined ? {} : { MESSAGE_BUFFER_MS: opts.bufferMs }), ...extra });
  const processes: ServiceProcess[] = [];
  try {
    const web = await spawnService(env({ WORKER_STAGES: 'maintenance' })); // migrates (if needed), webhooks, sweep
    processes.push(web);
    // a customer writing this fast is over a new customer's limits; this is about order and crashes, not limits
    await world.sql`UPDATE rate_limit_config SET max_per_minute = 1000, max_per_hour = 1000, max_per_day = 1000, burst_size = 1000`;
    const doomed = opts.point ? await startWorker(env({ FAULT_INJECT: `${opts.point}#${opts.hit ?? 1}` }), doomedStages(opts.point)) : undefined;
    if (doomed) processes.push(doomed);
    for (let i = 0; i < opts.workers; i++) processes.push(await startWorker(env()));
    let killedAt: number | undefined;
    void doomed?.exited.then(() => (killedAt = Date.now()));

    // each chat writes in its own rhythm: mostly quick messages (one burst), now and then a pause longer than
    // the window (a new burst); chats interleave. Each chat's messages are sent one after another, so their
    // row ids are their arrival order.
    const rnd = random(opts.chats * 1000 + opts.perChat);
    const sent = new Map<string, string[]>();
    const acked = new Set<string>();
    const post = async (from: string, id: string, body: string) => {
      const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from, id, body })]));
      const res = await fetch(`http://127.0.0.1:${web.port}/webhooks/meta`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
      await res.arrayBuffer();
      return res.status;
    };
    const words = ['hola', 'quiero', 'una camisa roja', 'menu', 'gracias', 'ver carrito', 'tienen zapatos?'];
    await Promise.all(Array.from({ length: opts.chats }, async (_, c) => {
      const chat = `57320${String(c).padStart(7, '0')}`;
      sent.set(chat, []);
      for (let k = 0; k < opts.perChat; k++) {
        const id = `wamid.crash.${c}.${k}`;
        const body = words[Math.floor(rnd() * words.length)];
        // the first message twice at once: stored once, answered once
        const statuses = await Promise.all(k === 0 ? [post(chat, id, body), post(chat, id, body)] : [post(chat, id, body)]);
        if (statuses.every((s) => s === 200)) acked.add(id);
        sent.get(chat)!.push(id);
        await new Promise((r) => setTimeout(r, rnd() < 0.25 ? 2600 : 50 + rnd() * 400));
      }
    }));

    // settled: every acknowledged message in an end state, every reply sent, nothing in a dead worker's lease
    const settled = () => world.sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM inbound_messages WHERE status NOT IN ('handled', 'skipped', 'stale'))
           + (SELECT count(*) FROM outbox WHERE status = 'pending') AS n`;
    await until(async () => (await settled())[0].n === 0 && (!doomed || doomed.child.exitCode !== null || doomed.child.signalCode !== null), 60_000, 200);
    const answeredAt = Date.now();
    // a late duplicate would arrive within a lock or lease length; give it the time to show
    await new Promise((r) => setTimeout(r, 1500));

    const rows = await world.sql<{ id: string; chatId: string; wamid: string; status: string; answeredWith: string | null }[]>`
      SELECT id::text, chat_id AS "chatId", provider_message_id AS wamid, status, answered_with_id::text AS "answeredWith" FROM inbound_messages ORDER BY inbound_messages.id`;
    const outbox: OutboxRow[] = await world.sql<OutboxRow[]>`
      SELECT id::text, inbound_id::text AS "inboundId", seq, status, provider_message_id AS "providerId" FROM outbox WHERE inbound_id IS NOT NULL ORDER BY outbox.id`;
    const received = new Map<string, number>();
    for (const s of world.graph.sent) if (s.responseId) received.set(s.responseId, (received.get(s.responseId) ?? 0) + 1);
    const recordedIds = new Set(outbox.map((o) => o.providerId).filter((x): x is string => x !== null));

    const byWamid = new Map(rows.map((r) => [r.wamid, r]));
    const repliesOf = new Map<string, OutboxRow[]>();
    for (const o of outbox) repliesOf.set(o.inboundId, [...(repliesOf.get(o.inboundId) ?? []), o]);
    const lost = [...acked].filter((id) => {
      const row = byWamid.get(id);
      if (!row || row.status !== 'handled' || !row.answeredWith) return true;
      const replies = repliesOf.get(row.answeredWith) ?? [];
      return !replies.length || replies.some((o) => o.status !== 'sent' || !o.providerId || !received.has(o.providerId));
    });

    if (lost.length) {
      // where the lost ones stopped, to read in the failure's output
      const ids = new Set(lost);
      console.log('lost messages:', JSON.stringify(rows.filter((r) => ids.has(r.wamid)).map((r) => ({ ...r, replies: repliesOf.get(r.answeredWith ?? '') ?? [] }))));
    }
    const burstsBroken: string[] = [];
    const outOfOrder: string[] = [];
    let inBursts = 0;
    let bursts = 0;
    const outboxByProviderId = new Map(outbox.flatMap((o) => (o.providerId ? [[o.providerId, o] as const] : [])));
    for (const chat of sent.keys()) {
      const mine = rows.filter((r) => r.chatId === chat);
      // bursts: consecutive messages, each run ending at the message it is answered with
      let ok = true;
      for (let i = 0; i < mine.length; i++) {
        const next = mine[i + 1];
        if (next && next.answeredWith === mine[i].answeredWith) continue;
        if (mine[i].answeredWith !== mine[i].id) ok = false;
        const size = mine.filter((m) => m.answeredWith === mine[i].answeredWith).length;
        bursts++;
        if (size > 1) inBursts += size;
      }
      if (!ok) burstsBroken.push(chat);
      if (!ok && process.env.CRASH_DEBUG) console.log(chat, JSON.stringify(mine));
      // the replies, in the order the API received them, follow the messages' order (and a burst's own replies theirs)
      const order = world.graph.sent
        .filter((s) => (s.body as { to?: string }).to === chat && s.responseId && outboxByProviderId.has(s.responseId))
        .map((s) => outboxByProviderId.get(s.responseId!)!)
        .map((o) => Number(o.inboundId) * 100 + o.seq);
      if (order.some((v, i) => i > 0 && v < order[i - 1])) outOfOrder.push(chat);
    }
    return {
      acknowledged: acked.size,
      lost,
      unrecordedSends: [...received.keys()].filter((id) => !recordedIds.has(id)).length,
      recordedNotOnce: outbox.filter((o) => o.status === 'sent' && received.get(o.providerId ?? '') !== 1).length,
      burstsBroken,
      outOfOrder,
      storedTwice: rows.length - new Set(rows.map((r) => r.wamid)).size,
      inBursts,
      bursts,
      doomedSignal: doomed ? doomed.child.signalCode : undefined,
      recoverySeconds: killedAt ? Math.round((answeredAt - killedAt) / 100) / 10 : undefined,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
  }
}
