import { afterEach, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

let p: Pipeline | undefined;
afterEach(async () => { await p?.stop(); p = undefined; });

const msg = (from: string, id: string, body = 'hola') => metaEnvelope([metaTextMessage({ from, id, body })]);
const to = (s: { body: unknown }) => (s.body as { to?: string })?.to;

describe('outbound stage', () => {
  it('throttles sends to OUTBOUND_RATE_PER_SECOND', async () => {
    p = await startPipeline({ env: { OUTBOUND_RATE_PER_SECOND: '5' } });
    const chats = Array.from({ length: 15 }, (_, i) => `5735000000${String(i).padStart(2, '0')}`);
    await Promise.all(chats.map((c) => p!.postMeta(msg(c, `wamid.rate.${c}`))));
    expect(await until(() => p!.graph.sent.length === 15, 20_000)).toBe(true);
    const times = p.graph.sent.map((s) => s.at).sort((a, b) => a - b);
    // BullMQ's limiter counts fixed 1-second windows: 15 sends at 5 a window need three windows, so the
    // first and last are more than 1 s apart (unthrottled they take a few ms), and no sliding second can
    // hold more than two windows' worth
    let worst = 0;
    for (let i = 0; i < times.length; i++) worst = Math.max(worst, times.filter((t) => t >= times[i] && t < times[i] + 1000).length);
    expect(worst).toBeLessThanOrEqual(10);
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(1000);
  });

  it('backs off on a provider 429 (130429) without spending attempts, then sends everything once', async () => {
    p = await startPipeline();
    p.graph.failNext(4, { status: 429, body: { error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'x' } } });
    const chats = ['573600000001', '573600000002'];
    for (const c of chats) await p.postMeta(msg(c, `wamid.429.${c}`));
    expect(await until(() => chats.every((c) => p!.graph.sent.filter((s) => to(s) === c).length === 1), 20_000)).toBe(true);
    const rows = await p.db.sql`SELECT status FROM outbox ORDER BY id`;
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    const failed = await p.rt.queues.outbound.getFailedCount();
    expect(failed).toBe(0);
  });

  it('records a refusal (outside the 24 h window) as failed with its code and does not retry it', async () => {
    p = await startPipeline();
    p.graph.failNext(1, { status: 400, body: { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, fbtrace_id: 'x' } } });
    await p.postMeta(msg('573600000003', 'wamid.refuse.1'));
    expect(await until(async () => (await p!.db.sql`SELECT status FROM outbox WHERE chat_id = '573600000003'`)[0]?.status === 'failed', 10_000)).toBe(true);
    const [row] = await p.db.sql`SELECT error_code, attempts FROM outbox WHERE chat_id = '573600000003'`;
    expect(row).toEqual({ error_code: 131047, attempts: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(p.graph.sent.filter((s) => to(s) === '573600000003')).toHaveLength(0);
  });

  it('retries a provider outage with backoff and sends once it is back', async () => {
    p = await startPipeline();
    p.graph.failNext(2, { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 133004 } } });
    await p.postMeta(msg('573600000004', 'wamid.outage.1'));
    expect(await until(() => p!.graph.sent.filter((s) => to(s) === '573600000004').length === 1, 20_000)).toBe(true);
    const [row] = await p.db.sql`SELECT status, attempts FROM outbox WHERE chat_id = '573600000004'`;
    expect(row).toEqual({ status: 'sent', attempts: 3 });
  });
});

describe('poison payloads', () => {
  it('fail at once with their reason instead of looping', async () => {
    p = await startPipeline();
    const bad = [
      await p.rt.queues.ingest.add('ingest', { inboundId: 'not-a-number' }),
      await p.rt.queues.converse.add('drain', { chatId: '../etc/passwd' }),
      await p.rt.queues.outbound.add('send', { kind: 'teleport' }),
      await p.rt.queues.ingest.add('ingest', { inboundId: 999999999 }),
    ];
    const queueOf = [p.rt.queues.ingest, p.rt.queues.converse, p.rt.queues.outbound, p.rt.queues.ingest];
    expect(await until(async () => (await Promise.all(bad.map((j, i) => queueOf[i].getJobState(j.id!)))).every((s) => s === 'failed'), 10_000)).toBe(true);
    const reasons = await Promise.all(bad.map(async (j, i) => (await queueOf[i].getJob(j.id!))!));
    expect(reasons[0].failedReason).toMatch(/invalid ingest payload: inboundId/);
    expect(reasons[1].failedReason).toMatch(/invalid converse payload: chatId: a chat key: a WhatsApp number/);
    expect(reasons[2].failedReason).toMatch(/invalid outbound payload/);
    expect(reasons[3].failedReason).toMatch(/inbound message 999999999 does not exist/);
    expect(reasons.map((j) => j.attemptsMade)).toEqual([1, 1, 1, 1]);
  });
});
