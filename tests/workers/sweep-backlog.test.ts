import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { sweep, type QueueView, type SweepDeps } from '../../workers/maintenance.ts';
import { sweepQueues } from '../../src/roles/sweep-queues.ts';
import { enqueueConverse, enqueueIngest, enqueueOutbound } from '../../src/queues/enqueue.ts';
import type { Runtime } from '../../src/roles/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { createTestRuntime, dropQueuePrefix, REDIS_URL, until } from '../support/test-runtime.ts';

// Issue 16: under a deep backlog the recovery sweep re-enqueued work that was only waiting its turn (957
// extra converse adds and 257 duplicate ingest runs per 4,000 messages in one bench run). Here the backlog is
// real (rows in PostgreSQL, their jobs waiting in Redis, one chat's drain running): an hour-old batch of work,
// a few of whose jobs were lost, and behind it hundreds of fresh messages, chats and replies queued in order.
// The sweep must put back exactly the lost jobs, and look only at the old batch, not at the whole line.

let db: TestDatabase;
let rt: Runtime;
let busy: Worker;
let release: () => void = () => {};
const calls = { ingest: [] as number[], converse: [] as string[], outbound: [] as string[] };
const looked = { ingest: 0, converse: 0, outbound: 0 };
let deps: SweepDeps;

const chat = (group: number, n: number) => `57350${group}${String(n).padStart(6, '0')}`;
const OLD = 10;
const LOST = 3;
const ACTIVE_CHAT = chat(9, 1);
const HELD_CHAT = chat(8, 1);
let oldReceived: number[];
let oldIngested: string[];
let oldReplies: string[];
let finishingId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  rt = await createTestRuntime({ DATABASE_URL: db.url });
  const { sql, queues } = rt;
  // an hour ago: messages for ingest, chats for the conversation, replies to send; a chat whose drain is
  // running right now, and one whose ingested message waits behind a held one
  oldReceived = (await sql<{ id: number }[]>`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, received_at, status)
    SELECT 'meta', 'wamid.sw.r.' || n, ${chat(1, 0)}::bigint + n || '', 'text', 'hola', now(), now() - interval '1 hour', 'received' FROM generate_series(1, ${OLD}::int) n
    RETURNING id`).map((r) => r.id).sort((a, b) => a - b);
  oldIngested = (await sql<{ chatId: string }[]>`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, received_at, status, ingested_at)
    SELECT 'meta', 'wamid.sw.i.' || n, ${chat(2, 0)}::bigint + n || '', 'text', 'hola', now(), now() - interval '1 hour', 'ingested', now() - interval '1 hour'
      FROM generate_series(1, ${OLD}::int) n
    RETURNING chat_id AS "chatId"`).map((r) => r.chatId).sort();
  oldReplies = (await sql<{ chatId: string }[]>`
    INSERT INTO outbox (chat_id, seq, content, created_at, updated_at)
    SELECT ${chat(3, 0)}::bigint + n || '', 0, '{"type":"text","text":"hola"}', now() - interval '1 hour', now() - interval '1 hour' FROM generate_series(1, ${OLD}::int) n
    RETURNING chat_id AS "chatId"`).map((r) => r.chatId).sort();
  await sql`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, received_at, status, ingested_at, held_until)
    VALUES ('meta', 'wamid.sw.active', ${ACTIVE_CHAT}, 'text', 'hola', now(), now() - interval '1 hour', 'ingested', now() - interval '1 hour', NULL),
           ('meta', 'wamid.sw.held', ${HELD_CHAT}, 'text', 'hola', now(), now() - interval '1 hour', 'held', NULL, now() + interval '1 hour'),
           ('meta', 'wamid.sw.behind', ${HELD_CHAT}, 'text', 'hola', now(), now() - interval '1 hour', 'ingested', now() - interval '1 hour', NULL)`;

  // the running drain: a worker takes the active chat's job (the only one queued yet) and holds it
  await enqueueConverse(queues, ACTIVE_CHAT);
  const blocker = new Promise<void>((r) => (release = r));
  busy = new Worker('converse', async () => blocker, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: rt.config.QUEUE_PREFIX, concurrency: 1 });
  const activeJob = await queues.converse.getDeduplicationJobId(ACTIVE_CHAT);
  expect(await until(async () => (await queues.converse.getJobState(activeJob!)) === 'active')).toBe(true);
  // the oldest few of each kind lost their jobs (a Redis flush, a crash); the rest of the old batch is queued
  await enqueueIngest(queues, oldReceived.slice(LOST));
  for (const c of oldIngested.slice(LOST)) await enqueueConverse(queues, c);
  for (const c of oldReplies.slice(LOST)) await enqueueOutbound(queues, c);
  finishingId = oldReceived[LOST]; // a queued one that "finishes" while the sweep looks at Redis (below)

  // behind them the backlog: 600 messages, 400 chats, 300 replies, each committed as its job is queued
  const [{ ids }] = await sql<{ ids: number[] }[]>`SELECT array_agg(nextval('inbound_messages_id_seq'))::bigint[] AS ids FROM generate_series(1, 600)`;
  await enqueueIngest(queues, ids);
  await sql`
    INSERT INTO inbound_messages (id, provider, provider_message_id, chat_id, kind, text, sent_at, received_at, status)
    SELECT id, 'meta', 'wamid.sw.r.new.' || id, ${chat(4, 0)}::bigint + id || '', 'text', 'hola', now(), clock_timestamp(), 'received' FROM unnest(${ids}::bigint[]) id`;
  const young = (group: number, n: number) => Array.from({ length: n }, (_, i) => chat(group, 100 + i));
  for (const c of young(5, 400)) await enqueueConverse(queues, c);
  await sql`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, received_at, status, ingested_at)
    SELECT 'meta', 'wamid.sw.i.new.' || c, c, 'text', 'hola', now(), clock_timestamp(), 'ingested', clock_timestamp() FROM unnest(${young(5, 400)}::text[]) c`;
  for (const c of young(6, 300)) await enqueueOutbound(queues, c);
  await sql`INSERT INTO outbox (chat_id, seq, content, created_at, updated_at) SELECT c, 0, '{"type":"text","text":"hola"}', clock_timestamp(), clock_timestamp() FROM unnest(${young(6, 300)}::text[]) c`;

  const real = sweepQueues(queues);
  const counted = <K,>(kind: keyof typeof looked, view: QueueView<K>): QueueView<K> => ({
    headWaitMs: view.headWaitMs,
    has: (keys) => { looked[kind] += keys.length; return view.has(keys); },
  });
  deps = {
    sql,
    graceMs: 0,
    staleAfterMs: 24 * 3600 * 1000 * 2,
    batchSize: 500,
    ensureIngest: async (id) => { calls.ingest.push(id); return real.ensureIngest(id); },
    scheduleConverse: async (c) => { calls.converse.push(c); return real.scheduleConverse(c); },
    scheduleOutbound: async (c) => { calls.outbound.push(c); return real.scheduleOutbound(c); },
    live: { ingest: counted('ingest', real.live.ingest), converse: counted('converse', real.live.converse), outbound: counted('outbound', real.live.outbound) },
  };
}, 60_000);

afterAll(async () => {
  release();
  await busy?.close();
  await rt?.close();
  if (rt) await dropQueuePrefix(rt.config.QUEUE_PREFIX);
  await db?.drop();
});

describe('the recovery sweep under a deep backlog', () => {
  it('puts back only the work whose job was lost, looking only at work older than the head of each line', async () => {
    const { queues, sql } = rt;
    const before = await Promise.all([queues.ingest.count(), queues.converse.count(), queues.outbound.count()]);

    // one queued message is ingested between the sweep's first read and its look at Redis: its job commits the
    // row, hands the chat on to converse, finishes and is removed
    const live = deps.live.ingest;
    deps.live.ingest = {
      headWaitMs: live.headWaitMs,
      has: async (ids) => {
        const [{ chatId }] = await sql<{ chatId: string }[]>`UPDATE inbound_messages SET status = 'ingested', ingested_at = now() WHERE id = ${finishingId} RETURNING chat_id AS "chatId"`;
        await enqueueConverse(queues, chatId);
        await queues.ingest.remove(`in-${finishingId}`);
        return live.has(ids);
      },
    };
    const result = await sweep(deps);
    deps.live.ingest = live;

    expect(calls.ingest).toEqual(oldReceived.slice(0, LOST));
    expect(calls.converse.sort()).toEqual(oldIngested.slice(0, LOST));
    expect(calls.outbound.sort()).toEqual(oldReplies.slice(0, LOST));
    expect(result).toMatchObject({ requeuedIngest: LOST, requeuedChats: LOST, requeuedReplyChats: LOST });
    // the queues grew by the lost jobs and nothing else (the finished ingest job is gone, its converse job added)
    const after = await Promise.all([queues.ingest.count(), queues.converse.count(), queues.outbound.count()]);
    expect(after).toEqual([before[0] + LOST - 1, before[1] + LOST + 1, before[2] + LOST]);
    // no follow-up drain stored for the chat being drained (it would run it a second time)
    const redis = new Redis(REDIS_URL);
    expect(await redis.exists(`${rt.config.QUEUE_PREFIX}:converse:dn:${ACTIVE_CHAT}`)).toBe(0);
    redis.disconnect();
    expect(calls.converse).not.toContain(HELD_CHAT);
    // it looked at the old batch (and the running chat), not at the 600, 400 and 300 queued behind it
    expect(looked.ingest).toBe(OLD);
    expect(looked.converse).toBe(OLD + 1);
    expect(looked.outbound).toBe(OLD);
  });

  it('a second sweep adds nothing: the work it put back is queued now', async () => {
    for (const list of Object.values(calls)) list.length = 0;
    const result = await sweep(deps);
    expect(calls).toEqual({ ingest: [], converse: [], outbound: [] });
    expect(result).toMatchObject({ requeuedIngest: 0, requeuedChats: 0, requeuedReplyChats: 0 });
  });
});
