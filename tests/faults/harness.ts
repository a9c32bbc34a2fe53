import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { createDb } from '../../src/db/client.ts';
import { startFakeGraph, type FakeGraph, type RecordedCall } from '../support/fake-graph.ts';
import { metaEnvelope, metaTextMessage, type MetaMessage } from '../support/meta-payloads.ts';
import { ADMIN_URL, databaseUrl } from '../support/pg-admin.ts';
import { signMeta } from '../support/pipeline-harness.ts';
import { spawnService, type ServiceProcess } from '../support/spawn-service.ts';
import { META_SECRET, META_VERIFY, newQueuePrefix, until, WHAPI_HOOK } from '../support/test-runtime.ts';

export interface FaultWorld {
  dbName: string;
  graph: FakeGraph;
  env: (overrides?: Record<string, string>) => Record<string, string>;
  drop: () => Promise<void>;
}

/**
 * A fresh database (empty: the service migrates it), a queue prefix and a fake Graph API for one
 * scenario. Recovery timings are shortened (sweep every second, grace 3 s, locks 5 s) and said so in
 * the report; production defaults are 10 s / 15 s / 30 s.
 */
export async function faultWorld(redisUrl: string, dbPort = 5432): Promise<FaultWorld> {
  const dbName = `wa_fault_${randomBytes(4).toString('hex')}`;
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const graph = await startFakeGraph();
  const prefix = newQueuePrefix();
  return {
    dbName,
    graph,
    env: (overrides = {}) => ({
      DATABASE_URL: databaseUrl(dbName).replace(':5432/', `:${dbPort}/`),
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      WHATSAPP_PROVIDER: 'meta',
      META_APP_SECRET: META_SECRET,
      META_VERIFY_TOKEN: META_VERIFY,
      META_ACCESS_TOKEN: 'fault-token',
      META_PHONE_NUMBER_ID: '777',
      META_GRAPH_URL: graph.url,
      WHAPI_WEBHOOK_TOKEN: WHAPI_HOOK,
      MESSAGE_BUFFER_MS: '0',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_GRACE_MS: '3000',
      JOB_LOCK_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '8000',
      LOG_LEVEL: 'error',
      ...overrides,
    }),
    drop: async () => {
      await graph.close();
      const a = createDb({ url: ADMIN_URL, max: 1 });
      await a.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).finally(() => a.end());
    },
  };
}

export const startWeb = (env: Record<string, string>) => spawnService(env, ['--role', 'web']);
/** A worker process, resolved once its BullMQ workers have registered in Redis (i.e. it is consuming). */
export async function startWorker(env: Record<string, string>): Promise<ServiceProcess> {
  const svc = await spawnService(env, ['--role', 'worker'], false);
  const queue = new Queue('converse', { connection: { url: env.REDIS_URL }, prefix: env.QUEUE_PREFIX });
  try {
    const ready = await until(async () => (await queue.getWorkersCount()) > 0 || svc.child.exitCode !== null, 30_000, 100);
    if (!ready || svc.child.exitCode !== null) throw new Error(`worker did not start: ${svc.output()}`);
  } finally {
    await queue.close();
  }
  return svc;
}
export const startAll = (env: Record<string, string>) => spawnService(env);

export const postMessage = (port: number, from: string, id: string, body = 'hola'): Promise<number> =>
  postMeta(port, [metaTextMessage({ from, id, body })]);

/** One signed Meta delivery of these messages; the webhook's status, 0 when the connection was refused. */
export async function postMeta(port: number, messages: (MetaMessage & { _name?: string })[]): Promise<number> {
  const raw = JSON.stringify(metaEnvelope(messages));
  try {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/meta`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // connection refused: the provider sees no 200 and retries later
  }
}

export interface Burst {
  acked: Set<string>;
  statuses: Map<number, number>;
}

/**
 * `count` customers write one message each, ~`perSecond` a second; `fault` runs when half are sent
 * (the burst goes on meanwhile, against whatever is left standing). A message counts as acknowledged
 * only if its webhook answered 200. `port()` is asked at each send, as the service may have moved.
 */
export async function burst(tag: string, count: number, perSecond: number, port: () => number, fault: () => Promise<void>): Promise<Burst> {
  const acked = new Set<string>();
  const statuses = new Map<number, number>();
  const sends: Promise<void>[] = [];
  let faulted: Promise<void> | undefined;
  for (let i = 0; i < count; i++) {
    if (i === Math.floor(count / 2)) faulted = fault();
    const from = `57${tag}${String(i).padStart(6, '0')}`;
    sends.push(postMessage(port(), from, `wamid.${tag}.${i}`).then((status) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) acked.add(from);
    }));
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  await Promise.all(sends);
  await faulted;
  return { acked, statuses };
}

export function tally(graph: FakeGraph, acked: Set<string>) {
  const replies = new Map<string, number>();
  for (const s of graph.sent) {
    const to = (s.body as { to?: string }).to;
    if (to && acked.has(to)) replies.set(to, (replies.get(to) ?? 0) + 1);
  }
  return {
    acknowledged: acked.size,
    lost: [...acked].filter((t) => !replies.has(t)).length,
    duplicated: [...replies.values()].filter((n) => n > 1).length,
  };
}

/** Seconds until every acknowledged message has a reply (or the limit passes). */
export async function recovery(graph: FakeGraph, acked: Set<string>, since: number, limitMs = 90_000): Promise<number> {
  await until(() => tally(graph, acked).lost === 0, limitMs, 100);
  return Math.round((Date.now() - since) / 100) / 10;
}

export async function stop(svc: ServiceProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (!svc || svc.child.exitCode !== null) return svc?.child.exitCode ?? null;
  svc.child.kill(signal);
  return svc.exited;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When the fake Graph received this call, on the wall clock (its `at` is performance.now()). */
export const wallClock = (call: RecordedCall) => performance.timeOrigin + call.at;

/** The words of a sent message: a text's body or an interactive message's body text. */
export function textOf(call: RecordedCall): string {
  const b = call.body as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
  return b.text?.body ?? b.interactive?.body?.text ?? '';
}

/** The ids and titles of an interactive message's buttons and list rows. */
export function choicesOf(call: RecordedCall): { id: string; title: string }[] {
  const a = (call.body as { interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } } }).interactive?.action;
  return [...(a?.buttons ?? []).map((b) => ({ id: b.reply.id, title: b.reply.title })), ...(a?.sections ?? []).flatMap((x) => x.rows.map((r) => ({ id: r.id, title: r.title })))];
}

/** Sends the fake Graph accepted, by recipient, in the order they were answered. */
export function sentByChat(graph: FakeGraph): Map<string, RecordedCall[]> {
  const by = new Map<string, RecordedCall[]>();
  for (const s of graph.sent) {
    const to = (s.body as { to?: string }).to;
    if (to) by.set(to, [...(by.get(to) ?? []), s]);
  }
  return by;
}

/** The same, kept up to date as sends arrive, for scenarios that ask thousands of times (each ask reads only what is new). */
export function chatIndex(graph: FakeGraph): (to: string) => RecordedCall[] {
  const by = new Map<string, RecordedCall[]>();
  let seen = 0;
  return (to) => {
    for (; seen < graph.sent.length; seen++) {
      const s = graph.sent[seen];
      const chat = (s.body as { to?: string }).to;
      if (!chat) continue;
      const list = by.get(chat);
      if (list) list.push(s);
      else by.set(chat, [s]);
    }
    return by.get(to) ?? [];
  };
}

/** Deliver like the provider does: again (same message id) after each answer other than 200, up to `tries`. Returns the tries used, 0 if never acknowledged. */
export async function deliverMeta(port: number, messages: (MetaMessage & { _name?: string })[], tries = 30): Promise<number> {
  for (let i = 1; i <= tries; i++) {
    if ((await postMeta(port, messages)) === 200) return i;
    await sleep(500);
  }
  return 0;
}

/** Run `fn` over `items`, at most `limit` at a time. */
export async function inPool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

/** The p-th percentile (0–100, nearest rank) of these values; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Milliseconds as seconds with two decimals, for the report. */
export const secs = (ms: number) => Math.round(ms / 10) / 100;

/** The service's JSON log lines (pino) with this message, parsed; LOG_LEVEL must let them through. */
export function logLines(svc: ServiceProcess, msg: string): ({ time: number } & Record<string, unknown>)[] {
  return svc.output().split('\n').flatMap((line) => {
    if (!line.includes(msg)) return [];
    try {
      const parsed = JSON.parse(line) as { time: number; msg?: string };
      return parsed.msg === msg ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
