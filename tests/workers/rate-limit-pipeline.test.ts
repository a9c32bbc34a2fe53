import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

let p: Pipeline;
beforeAll(async () => { p = await startPipeline(); });
afterAll(async () => { await p?.stop(); });

describe('rate limits in the pipeline', () => {
  it('answers a new customer 5 times a minute, logs the rest as over the limit, and tells them once', async () => {
    const chat = '573500000001';
    for (let i = 0; i < 8; i++) {
      expect((await p.postMeta(metaEnvelope([metaTextMessage({ from: chat, id: `wamid.rl.${i}`, body: 'hola' })]))).status).toBe(200);
    }
    const settled = await until(async () => {
      const [{ open }] = await p.db.sql`SELECT count(*) AS open FROM inbound_messages WHERE chat_id = ${chat} AND status IN ('received', 'ingested')`;
      const [{ pending }] = await p.db.sql`SELECT count(*) AS pending FROM outbox WHERE chat_id = ${chat} AND status = 'pending'`;
      return open === 0 && pending === 0;
    }, 15_000);
    expect(settled).toBe(true);
    const statuses = await p.db.sql`SELECT status, count(*)::int AS n FROM inbound_messages WHERE chat_id = ${chat} GROUP BY status ORDER BY status`;
    expect(statuses).toEqual([{ status: 'handled', n: 5 }, { status: 'rate_limited', n: 3 }]);
    const [{ flagged }] = await p.db.sql`SELECT count(*) AS flagged FROM message_logs WHERE customer_phone = ${chat} AND rate_limit_exceeded`;
    expect(flagged).toBe(3);
    const sent = p.graph.sent.filter((s) => (s.body as { to?: string }).to === chat).map((s) => JSON.stringify(s.body));
    expect(sent).toHaveLength(6); // five answers and one notice
    expect(sent.filter((b) => b.includes('Estás enviando muchos mensajes'))).toHaveLength(1);
  });
});
