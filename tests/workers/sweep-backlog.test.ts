import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { sweep, type SweepDeps } from '../../workers/maintenance.ts';
import { sweepQueues } from '../../src/roles/sweep-queues.ts';
import { enqueueConverse, enqueueIngest, enqueueOutbound } from '../../src/queues/enqueue.ts';
import type { Runtime } from '../../src/roles/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { createTestRuntime, dropQueuePrefix, REDIS_URL, until } from '../support/test-runtime.ts';

// Issue 16: under a deep backlog the recovery sweep re-enqueued work that was only waiting its turn (957
// extra converse adds and 257 duplicate ingest runs per 4,000 messages in one bench run). Here the backlog is
// real (rows in PostgreSQL, their jobs waiting in Redis, one chat's drain running), a few jobs are lost, and
// the sweep must put back exactly those.

let db: TestDatabase;
let rt: Runtime;
let busy: Worker;
let release: () => void = () => {};
const calls = { ingest: [] as number[], converse: [] as string[], outbound: [] as string[] };
let deps: SweepDeps;

const chat = (group: number, n: number) => `57350${group}${String(n).padStart(6, '0')}`;
const LOST = 3;
const ACTIVE_CHAT = chat(9, 1);
const HELD_CHAT = chat(8, 1);
let receivedIds: number[];
let finishingId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  rt = await createTestRuntime({ DATABASE_URL: db.url });
  const { sql, queues } = rt;
  // 600 messages waiting for ingest, 400 chats waiting for the conversation, 300 with a reply to send
  receivedIds = (await sql<{ id: number }[]>`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, status)
    SELECT 'meta', 'wamid.sw.r.' || n, '573501' || lpad(n::text, 6, '0'), 'text', 'hola', now(), 'received' FROM generate_series(1, 600) n
    RETURNING id`).map((r) => r.id).sort((a, b) => a - b);
  const ingestedChats = (await sql<{ chatId: string }[]>`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, status, ingested_at)
    SELECT 'meta', 'wamid.sw.i.' || n, '573502' || lpad(n::text, 6, '0'), 'text', 'hola', now(), 'ingested', now() FROM generate_series(1, 400) n
    RETURNING chat_id AS "chatId"`).map((r) => r.chatId).sort();
  const replyChats = (await sql<{ chatId: string }[]>`
    INSERT INTO outbox (chat_id, seq, content) SELECT '573503' || lpad(n::text, 6, '0'), 0, '{"type":"text","text":"hola"}' FROM generate_series(1, 300) n
    RETURNING chat_id AS "chatId"`).map((r) => r.chatId).sort();
  // a chat whose drain is running right now, and one whose ingested message waits behind a held one
  await sql`
    INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, status, ingested_at, held_until)
    VALUES ('meta', 'wamid.sw.active', ${ACTIVE_CHAT}, 'text', 'hola', now(), 'ingested', now(), NULL),
           ('meta', 'wamid.sw.held', ${HELD_CHAT}, 'text', 'hola', now(), 'held', NULL, now() + interval '1 hour'),
           ('meta', 'wamid.sw.behind', ${HELD_CHAT}, 'text', 'hola', now(), 'ingested', now(), NULL)`;

  // the running drain: a worker takes the active chat's job (the only one queued yet) and holds it
  await enqueueConverse(queues, ACTIVE_CHAT);
  const blocker = new Promise<void>((r) => (release = r));
  busy = new Worker('converse', async () => blocker, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: rt.config.QUEUE_PREFIX, concurrency: 1 });
  const activeJob = await queues.converse.getDeduplicationJobId(ACTIVE_CHAT);
  expect(await until(async () => (await queues.converse.getJobState(activeJob!)) === 'active')).toBe(true);
  // the oldest few of each kind lost their jobs (a Redis flush, a crash); every other one is queued
  await enqueueIngest(queues, receivedIds.slice(LOST));
  for (const c of ingestedChats.slice(LOST)) await enqueueConverse(queues, c);
  for (const c of replyChats.slice(LOST)) await enqueueOutbound(queues, c);
  finishingId = receivedIds[LOST]; // a queued one that "finishes" while the sweep looks at Redis (below)

  const real = sweepQueues(queues);
  deps = {
    sql,
    graceMs: 0,
    staleAfterMs: 24 * 3600 * 1000,
    batchSize: 500,
    ensureIngest: async (id) => { calls.ingest.push(id); return real.ensureIngest(id); },
    scheduleConverse: async (c) => { calls.converse.push(c); return real.scheduleConverse(c); },
    scheduleOutbound: async (c) => { calls.outbound.push(c); return real.scheduleOutbound(c); },
    live: real.live,
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
  it('puts back only the work whose job was lost: nothing queued or running is added again', async () => {
    const { queues, sql } = rt;
    const before = await Promise.all([queues.ingest.count(), queues.converse.count(), queues.outbound.count()]);

    // one queued message is ingested between the sweep's first read and its look at Redis: its job commits the
    // row, hands the chat on to converse, finishes and is removed (retention)
    const live = deps.live.ingest;
    deps.live.ingest = async (ids) => {
      const [{ chatId }] = await sql<{ chatId: string }[]>`UPDATE inbound_messages SET status = 'ingested', ingested_at = now() WHERE id = ${finishingId} RETURNING chat_id AS "chatId"`;
      await enqueueConverse(queues, chatId);
      await queues.ingest.remove(`in-${finishingId}`);
      return live(ids);
    };
    const result = await sweep(deps);
    deps.live.ingest = live;

    const lostIngest = receivedIds.slice(0, LOST);
    const lostChats = (await sql<{ chatId: string }[]>`SELECT chat_id AS "chatId" FROM inbound_messages WHERE chat_id LIKE '573502%' ORDER BY chat_id LIMIT ${LOST}`).map((r) => r.chatId);
    const lostReplies = (await sql<{ chatId: string }[]>`SELECT chat_id AS "chatId" FROM outbox ORDER BY chat_id LIMIT ${LOST}`).map((r) => r.chatId);
    expect(calls.ingest).toEqual(lostIngest);
    expect(calls.converse.sort()).toEqual(lostChats);
    expect(calls.outbound.sort()).toEqual(lostReplies);
    expect(result).toMatchObject({ requeuedIngest: LOST, requeuedChats: LOST, requeuedReplyChats: LOST });
    // the queues grew by the lost jobs and nothing else (the finished ingest job is gone, its converse job added)
    const after = await Promise.all([queues.ingest.count(), queues.converse.count(), queues.outbound.count()]);
    expect(after).toEqual([before[0] + LOST - 1, before[1] + LOST + 1, before[2] + LOST]);
    // no follow-up drain stored for the chat being drained (it would run it a second time)
    const redis = new Redis(REDIS_URL);
    expect(await redis.exists(`${rt.config.QUEUE_PREFIX}:converse:dn:${ACTIVE_CHAT}`)).toBe(0);
    redis.disconnect();
    expect(calls.converse).not.toContain(HELD_CHAT);
  });

  it('a second sweep adds nothing: the work it put back is queued now', async () => {
    for (const list of Object.values(calls)) list.length = 0;
    const result = await sweep(deps);
    expect(calls).toEqual({ ingest: [], converse: [], outbound: [] });
    expect(result).toMatchObject({ requeuedIngest: 0, requeuedChats: 0, requeuedReplyChats: 0 });
  });
});
