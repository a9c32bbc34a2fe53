import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaStatus, metaTextMessage } from '../support/meta-payloads.ts';
import { ACCESS_TOKEN, PHONE_NUMBER_ID, startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';
import { registry } from '../../src/metrics/registry.ts';
import { GRAPH_API_VERSION } from '../../src/whatsapp/meta/graph-version.ts';

let p: Pipeline;
beforeAll(async () => { p = await startPipeline(); });
afterAll(async () => { await p?.stop(); });

const text = (from: string, id: string, body: string, name = 'Cliente') => metaEnvelope([metaTextMessage({ from, id, body, name })]);
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string })?.to === to);
const bodyText = (s: { body: unknown }) => {
  const b = s.body as { text?: { body: string }; interactive?: { body: { text: string } } };
  return b.text?.body ?? b.interactive?.body.text ?? '';
};

describe('a signed Meta message travels the whole pipeline', () => {
  it('is answered once, at the configured number, with the bearer token, in Spanish', async () => {
    const res = await p.postMeta(text('573001110001', 'wamid.pipe.1', 'Hola buenas tardes', 'Ana María'));
    expect(res.status).toBe(200);
    // committed before the 200
    const [row] = await p.db.sql`SELECT status FROM inbound_messages WHERE provider_message_id = 'wamid.pipe.1'`;
    expect(row).toBeDefined();
    expect(await until(() => sentTo('573001110001').length === 1)).toBe(true);
    const reply = sentTo('573001110001')[0];
    expect(reply.path).toBe(`/${GRAPH_API_VERSION}/${PHONE_NUMBER_ID}/messages`);
    expect(reply.auth).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(bodyText(reply)).toContain('¡Hola, Ana!');
    expect(await until(async () => (await p.db.sql`SELECT status FROM outbox WHERE chat_id = '573001110001'`)[0]?.status === 'sent')).toBe(true);
    const [state] = await p.db.sql`SELECT i.status, l.message_text FROM inbound_messages i JOIN message_logs l ON l.inbound_id = i.id WHERE i.provider_message_id = 'wamid.pipe.1'`;
    expect(state).toEqual({ status: 'handled', message_text: 'Hola buenas tardes' });
    // the first contact made the customer record, with the name the provider gave (written with the ingest mark)
    const [customer] = await p.db.sql`SELECT name, customer_tier FROM customers WHERE phone = '573001110001'`;
    expect(customer).toEqual({ name: 'Ana María', customer_tier: 'new' });
  });

  it('gives one reply to a message delivered 5 times at once, and again later', async () => {
    const body = text('573001110003', 'wamid.pipe.dup', 'hola');
    const results = await Promise.all(Array.from({ length: 5 }, () => p.postMeta(body)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await until(() => sentTo('573001110003').length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect((await p.postMeta(body)).status).toBe(200); // the provider retries later
    await new Promise((r) => setTimeout(r, 800));
    const [{ count }] = await p.db.sql`SELECT count(*) FROM inbound_messages WHERE provider_message_id = 'wamid.pipe.dup'`;
    expect(count).toBe(1);
    expect(sentTo('573001110003')).toHaveLength(1);
  });

  it('marks the customer message read (blue ticks) through the Graph API', async () => {
    await p.postMeta(text('573001110004', 'wamid.pipe.read', 'hola'));
    expect(await until(() => p.graph.receipts.some((r) => (r.body as { message_id?: string })?.message_id === 'wamid.pipe.read'))).toBe(true);
    const receipt = p.graph.receipts.find((r) => (r.body as { message_id?: string })?.message_id === 'wamid.pipe.read')!;
    expect(receipt.body).toMatchObject({ messaging_product: 'whatsapp', status: 'read' });
  });

  it('moves the reply forward on status callbacks, never backwards, and records failures with their code', async () => {
    await p.postMeta(text('573001110005', 'wamid.pipe.st', 'hola'));
    expect(await until(() => sentTo('573001110005').length === 1)).toBe(true);
    const [{ provider_message_id: wamid }] = await until(async () => (await p.db.sql`SELECT provider_message_id FROM outbox WHERE chat_id = '573001110005' AND status = 'sent'`).length === 1)
      .then(() => p.db.sql`SELECT provider_message_id FROM outbox WHERE chat_id = '573001110005'`);
    const status = (s: string, extra = {}) => metaEnvelope([], { statuses: [metaStatus({ id: wamid, status: s, recipient: '573001110005', ...extra })] });
    expect((await p.postMeta(status('read'))).status).toBe(200);
    expect((await p.postMeta(status('delivered'))).status).toBe(200); // late and out of order
    const [row] = await p.db.sql`SELECT status, delivered_at IS NOT NULL AS delivered, read_at IS NOT NULL AS read FROM outbox WHERE provider_message_id = ${wamid}`;
    expect(row).toEqual({ status: 'read', delivered: true, read: true });

    const failed = metaEnvelope([], { statuses: [metaStatus({ id: wamid, status: 'failed', recipient: '573001110005', errors: [{ code: 131047, title: 'Re-engagement message' }] })] });
    expect((await p.postMeta(failed)).status).toBe(200);
    const [f] = await p.db.sql`SELECT status, error_code, error_title FROM outbox WHERE provider_message_id = ${wamid}`;
    expect(f).toEqual({ status: 'failed', error_code: 131047, error_title: 'Re-engagement message' });
  });

  it('accepts a status for a message it never sent without failing the webhook', async () => {
    const res = await p.postMeta(metaEnvelope([], { statuses: [metaStatus({ id: 'wamid.unknown', status: 'delivered', recipient: '573009' })] }));
    expect(res.status).toBe(200);
    const [{ count }] = await p.db.sql`SELECT count(*) FROM message_statuses WHERE provider_message_id = 'wamid.unknown'`;
    expect(count).toBe(1);
  });

  it('labels a new guest "nuevo" on the first conversation, once', async () => {
    await p.postMeta(text('573001110006', 'wamid.pipe.new.1', 'hola', 'Nueva Clienta'));
    expect(await until(() => sentTo('573001110006').length === 1)).toBe(true);
    await p.postMeta(text('573001110006', 'wamid.pipe.new.2', 'menu', 'Nueva Clienta'));
    expect(await until(() => sentTo('573001110006').length === 2)).toBe(true);
    const [row] = await p.db.sql`SELECT labels, user_name, total_interactions FROM guest_profiles WHERE phone_number = '573001110006'`;
    expect(row).toEqual({ labels: ['nuevo'], user_name: 'Nueva Clienta', total_interactions: 2 });
  });

  it('does not answer a message older than the stale age (a day by default), and records why', async () => {
    const old = String(Math.floor(Date.now() / 1000) - 25 * 3600);
    await p.postMeta(metaEnvelope([metaTextMessage({ from: '573001110007', id: 'wamid.pipe.old', body: 'hola', timestamp: old })]));
    expect(await until(async () => (await p.db.sql`SELECT status FROM inbound_messages WHERE provider_message_id = 'wamid.pipe.old'`)[0]?.status === 'stale')).toBe(true);
    const [row] = await p.db.sql`SELECT status_note FROM inbound_messages WHERE provider_message_id = 'wamid.pipe.old'`;
    expect(row.status_note).toBe('too old to answer automatically');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo('573001110007')).toHaveLength(0);
  });

  it('counts real traffic in Prometheus text at /metrics, behind the admin check', async () => {
    expect((await p.app.inject({ url: '/metrics' })).statusCode).toBe(401); // no ADMIN_TOKEN configured: admin is off
    const text = await registry.metrics();
    const value = (line: RegExp) => Number(text.split('\n').find((l) => line.test(l))?.split(' ').pop());
    expect(value(/^wa_webhook_requests_total\{provider="meta",status="200"\}/)).toBeGreaterThanOrEqual(5);
    expect(value(/^wa_inbound_messages_total\{provider="meta",result="new"\}/)).toBeGreaterThanOrEqual(5);
    expect(value(/^wa_inbound_messages_total\{provider="meta",result="duplicate"\}/)).toBeGreaterThanOrEqual(5);
    expect(value(/^wa_stage_jobs_total\{stage="converse",outcome="completed"\}/)).toBeGreaterThanOrEqual(5);
    expect(value(/^wa_stage_duration_seconds_count\{stage="outbound"\}/)).toBeGreaterThanOrEqual(5);
    // end to end, per reply sent, and the queues' depth read from Redis at scrape time
    expect(value(/^wa_e2e_latency_seconds_count /)).toBeGreaterThanOrEqual(5);
    expect(value(/^wa_e2e_latency_seconds_sum /)).toBeGreaterThan(0);
    expect(value(/^wa_replies_total\{outcome="sent"\}/)).toBeGreaterThanOrEqual(5);
    for (const queue of ['ingest', 'converse', 'outbound', 'maintenance']) expect(value(new RegExp(`^wa_queue_jobs\\{queue="${queue}",state="wait"\\}`))).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('records an opt-out ("STOP") on the customer and the guest, and confirms it', async () => {
    await p.postMeta(text('573001110008', 'wamid.pipe.stop', 'STOP'));
    expect(await until(() => sentTo('573001110008').length === 1)).toBe(true);
    expect(bodyText(sentTo('573001110008')[0])).toContain('no te enviaremos más mensajes');
    const [row] = await p.db.sql`SELECT c.opted_out_at IS NOT NULL AS out, g.labels FROM customers c JOIN guest_profiles g ON g.phone_number = c.phone WHERE c.phone = '573001110008'`;
    expect(row).toEqual({ out: true, labels: ['no_contactar', 'nuevo'] });
  });
});
