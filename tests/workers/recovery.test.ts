import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/roles/web-role.ts';
import { createDb } from '../../src/db/client.ts';
import { recordIngest } from '../../src/db/ingest-record.ts';
import type { InboundRow } from '../../src/db/inbox.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { signMeta, startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { createTestRuntime, dropQueuePrefix, until } from '../support/test-runtime.ts';

// Nothing acknowledged is lost: a worker dying mid-job, or Redis losing every job after the webhook
// committed, only delays the reply. Each answered exactly once.

let p: Pipeline | undefined;
afterEach(async () => { await p?.stop(); p = undefined; });

const msg = (from: string, id: string, body = 'hola') => metaEnvelope([metaTextMessage({ from, id, body })]);
const repliesTo = (pl: Pipeline, to: string) => pl.graph.sent.filter((s) => (s.body as { to?: string })?.to === to).length;

describe('recovery', () => {
  it('answers once the messages of a worker killed mid-job', async () => {
    let hang = true;
    const released: (() => void)[] = [];
    p = await startPipeline({
      workerSets: 0,
      env: { JOB_LOCK_MS: '1500' },
    });
    // the first worker set hangs inside converse, as a process would that is about to be killed
    const doomed = await p.addWorkers({
      around: async (stage, _payload, run) => {
        if (stage === 'converse' && hang) await new Promise<void>((r) => released.push(r));
        return run();
      },
    });
    const chats = ['573200000001', '573200000002', '573200000003'];
    for (const c of chats) expect((await p.postMeta(msg(c, `wamid.kill.${c}`))).status).toBe(200);
    expect(await until(() => released.length >= 1)).toBe(true);
    // kill: force-close without finishing; the jobs' locks lapse and BullMQ's stall check hands them on
    hang = false;
    await doomed.close(0);
    await p.addWorkers();
    expect(await until(() => chats.every((c) => repliesTo(p!, c) >= 1), 30_000)).toBe(true);
    for (const r of released) r(); // the "dead" handler wakes up late: its run must not double anything
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of chats) expect(repliesTo(p, c)).toBe(1);
  });

  it('answers every acknowledged message after Redis loses all jobs (the recovery sweep)', async () => {
    p = await startPipeline({ workerSets: 0 });
    const chats = Array.from({ length: 20 }, (_, i) => `5733000000${String(i).padStart(2, '0')}`);
    for (const c of chats) expect((await p.postMeta(msg(c, `wamid.flush.${c}`))).status).toBe(200);
    await dropQueuePrefix(p.rt.config.QUEUE_PREFIX); // every job gone, rows committed
    await p.addWorkers(); // the maintenance stage declares the sweep scheduler again
    expect(await until(() => chats.every((c) => repliesTo(p!, c) === 1), 30_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect(chats.map((c) => repliesTo(p!, c))).toEqual(chats.map(() => 1));
  });

  it('answers once a message whose ingest mark a PostgreSQL crash lost (that commit does not wait for the WAL flush)', async () => {
    p = await startPipeline({ workerSets: 0 });
    const chat = '573400000003';
    await p.addWorkers({ stages: ['ingest'] });
    expect((await p.postMeta(msg(chat, 'wamid.lostmark.1'))).status).toBe(200);
    expect(await until(async () => (await p!.db.sql`SELECT status FROM inbound_messages WHERE chat_id = ${chat}`)[0]?.status === 'ingested')).toBe(true);
    // the crash: the mark and everything its statement wrote are gone; its job finished, its converse job is queued
    await p.db.sql`
      WITH m AS (UPDATE inbound_messages SET status = 'received', ingested_at = NULL WHERE chat_id = ${chat} RETURNING id),
           l AS (DELETE FROM message_logs WHERE inbound_id IN (SELECT id FROM m)),
           e AS (DELETE FROM events WHERE chat_id = ${chat} AND type = 'message_received')
      SELECT 1`;
    await p.addWorkers({ stages: ['converse', 'outbound', 'maintenance'] });
    expect(await until(() => repliesTo(p!, chat) === 1, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect(repliesTo(p, chat)).toBe(1);
    const [counts] = await p.db.sql<{ logs: number; received: number; status: string }[]>`
      SELECT (SELECT count(*)::int FROM message_logs l JOIN inbound_messages i ON i.id = l.inbound_id WHERE i.chat_id = ${chat}) AS logs,
             (SELECT count(*)::int FROM events WHERE chat_id = ${chat} AND type = 'message_received') AS received,
             (SELECT status FROM inbound_messages WHERE chat_id = ${chat}) AS status`;
    expect(counts).toEqual({ logs: 1, received: 1, status: 'handled' });
  });

  it('lets only the ingest mark itself skip the wait for the WAL flush, never the pooled connection after it', async () => {
    p = await startPipeline({ workerSets: 0 });
    const one = createDb({ url: p.db.url, max: 1 }); // a single connection: the mark's, then the next statement's
    try {
      const [message] = await one<InboundRow[]>`
        INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at)
        VALUES ('meta', 'wamid.commitmode.1', '573400000004', 'text', 'hola', now())
        RETURNING id, provider, provider_message_id AS "providerMessageId", chat_id AS "chatId", provider_chat_id AS "providerChatId",
                  customer_name AS "customerName", kind, text, reply_id AS "replyId", details, sent_at AS "sentAt", received_at AS "receivedAt", status`;
      expect(await recordIngest(one, { message, allowed: true })).toBe(true);
      // the webhook's insert, the conversation and the outbound stage share these connections: they must still wait
      expect((await one`SHOW synchronous_commit`)[0].synchronous_commit).toBe('on');
    } finally {
      await one.end();
    }
  });

  it('says 200 with Redis down only because the row is committed, and the sweep answers it later', async () => {
    p = await startPipeline({ workerSets: 0 });
    const deadRedis = await createTestRuntime({ DATABASE_URL: p.db.url, REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: p.rt.config.QUEUE_PREFIX });
    const app = await createWebApp(deadRedis);
    const raw = JSON.stringify(msg('573400000001', 'wamid.noredis.1'));
    const res = await app.inject({ method: 'POST', url: '/webhooks/meta', payload: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    await app.close();
    await deadRedis.close();
    expect(res.statusCode).toBe(200);
    const [row] = await p.db.sql`SELECT status FROM inbound_messages WHERE provider_message_id = 'wamid.noredis.1'`;
    expect(row.status).toBe('received');
    await p.addWorkers(); // Redis is back: the sweep finds the committed row nobody enqueued
    expect(await until(() => repliesTo(p!, '573400000001') === 1, 20_000)).toBe(true);
  });

  it('says 503 with PostgreSQL down, so the provider retries, and stores nothing', async () => {
    p = await startPipeline();
    const deadPg = await createTestRuntime({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', QUEUE_PREFIX: p.rt.config.QUEUE_PREFIX });
    const app = await createWebApp(deadPg);
    const raw = JSON.stringify(msg('573400000002', 'wamid.nopg.1'));
    const res = await app.inject({ method: 'POST', url: '/webhooks/meta', payload: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(raw) } });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    await app.close();
    await deadPg.close().catch(() => {});
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(ready.statusCode).toBe(503);
    expect(JSON.parse(ready.body).checks.redis).toBe('ok');
    // the provider's retry, once PostgreSQL is back, goes through
    const retry = await p.postMeta(msg('573400000002', 'wamid.nopg.1'));
    expect(retry.status).toBe(200);
    expect(await until(() => repliesTo(p!, '573400000002') === 1, 10_000)).toBe(true);
  });
});
