import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { signMeta, startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { META_VERIFY, WHAPI_HOOK } from '../support/test-runtime.ts';

// The HTTP edge on its own (no workers): what gets in, what is refused, and that a refusal stores nothing.

let p: Pipeline;
beforeAll(async () => { p = await startPipeline({ workerSets: 0 }); });
afterAll(async () => { await p?.stop(); });

const countRows = async (providerMessageId: string) =>
  (await p.db.sql`SELECT count(*) FROM inbound_messages WHERE provider_message_id = ${providerMessageId}`)[0].count;

describe('GET /webhooks/meta (subscription handshake)', () => {
  it('echoes the challenge for the right token', async () => {
    const res = await p.app.inject({ url: `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${META_VERIFY}&hub.challenge=8675309` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('8675309');
  });
  it('refuses a wrong token or mode with 403', async () => {
    expect((await p.app.inject({ url: '/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1' })).statusCode).toBe(403);
    expect((await p.app.inject({ url: `/webhooks/meta?hub.mode=unsubscribe&hub.verify_token=${META_VERIFY}&hub.challenge=1` })).statusCode).toBe(403);
  });
});

describe('POST /webhooks/meta signature', () => {
  it('accepts emoji, accents and \\u-escaped unicode because the HMAC is over the raw bytes', async () => {
    // a body as Meta writes it: non-ASCII escaped, which JSON.stringify would not reproduce
    const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from: '573005550001', id: 'wamid.sig.1', body: 'PLACEHOLDER' })]))
      .replace('PLACEHOLDER', 'ma\\u00f1ana \\ud83d\\ude00 caf\\u00e9 — ñandú 😊');
    const res = await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw) });
    expect(res.status).toBe(200);
    const [row] = await p.db.sql`SELECT text FROM inbound_messages WHERE provider_message_id = 'wamid.sig.1'`;
    expect(row.text).toBe('mañana 😀 café — ñandú 😊');
  });

  it('refuses tampered, unsigned and wrong-secret requests with 401 and stores nothing', async () => {
    const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from: '573005550002', id: 'wamid.sig.2', body: 'hola' })]));
    const tampered = raw.replace('hola', 'hole');
    expect((await p.postRaw('/webhooks/meta', tampered, { 'x-hub-signature-256': signMeta(raw) })).status).toBe(401);
    expect((await p.postRaw('/webhooks/meta', raw)).status).toBe(401);
    expect((await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw, 'wrong-secret') })).status).toBe(401);
    expect((await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': 'sha1=abc' })).status).toBe(401);
    expect(await countRows('wamid.sig.2')).toBe(0);
  });
});

describe('POST /webhooks/meta bad input', () => {
  it('answers malformed JSON with 400 and a reason', async () => {
    const raw = '{"object": ';
    const res = await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/malformed JSON/);
  });

  it('accepts a body just under 3 MB and refuses one over it with 413', async () => {
    const padding = 'x'.repeat(3 * 1024 * 1024 - 2048);
    const ok = JSON.stringify({ ...metaEnvelope([metaTextMessage({ from: '573005550003', id: 'wamid.big.1', body: 'hola' })]), padding });
    expect((await p.postRaw('/webhooks/meta', ok, { 'x-hub-signature-256': signMeta(ok) })).status).toBe(200);
    const huge = 'x'.repeat(3 * 1024 * 1024 + 10);
    expect((await p.postRaw('/webhooks/meta', huge, { 'x-hub-signature-256': signMeta(huge) })).status).toBe(413);
  });

  it('answers 200 to shapes it does not know, and stores nothing from them', async () => {
    for (const body of [{}, { object: 'page', entry: [] }, { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'account_update', value: {} }] }] }, [], 'text', 42, null]) {
      const raw = JSON.stringify(body);
      const res = await p.postRaw('/webhooks/meta', raw, { 'x-hub-signature-256': signMeta(raw) });
      expect(res.status, raw).toBe(200);
    }
    const [{ count }] = await p.db.sql`SELECT count(*) FROM inbound_messages WHERE chat_id NOT LIKE '57300555%'`;
    expect(count).toBe(0);
  });

  it('accepts a body whatever content type a proxy put on it', async () => {
    const raw = JSON.stringify(metaEnvelope([metaTextMessage({ from: '573005550004', id: 'wamid.ct.1', body: 'hola' })]));
    const res = await p.app.inject({ method: 'POST', url: '/webhooks/meta', payload: raw, headers: { 'x-hub-signature-256': signMeta(raw), 'content-type': 'text/plain; charset=utf-8' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('POST /webhooks/whapi/:token', () => {
  const whapi = (messages: unknown[]) => JSON.stringify({ messages, event: { type: 'messages', event: 'post' }, channel_id: 'CH1' });
  const textMsg = (id: string, from: string, fromMe = false) => ({
    id, from_me: fromMe, type: 'text', chat_id: `${from}@s.whatsapp.net`, timestamp: Math.floor(Date.now() / 1000), source: 'mobile', text: { body: 'hola' }, from, from_name: 'Whapi',
  });

  it('stores a customer message under the right token, drops the bot\'s own', async () => {
    const res = await p.postRaw(`/webhooks/whapi/${WHAPI_HOOK}`, whapi([textMsg('W-1', '573008800001'), textMsg('W-2', '573008800002', true)]));
    expect(res.status).toBe(200);
    const rows = await p.db.sql`SELECT provider, chat_id, provider_chat_id FROM inbound_messages WHERE provider = 'whapi' ORDER BY id`;
    expect(rows).toEqual([{ provider: 'whapi', chat_id: '573008800001', provider_chat_id: '573008800001@s.whatsapp.net' }]);
  });

  it('refuses a wrong token with 401 and stores nothing', async () => {
    const res = await p.postRaw('/webhooks/whapi/wrong-token-123', whapi([textMsg('W-3', '573008800003')]));
    expect(res.status).toBe(401);
    expect(await countRows('W-3')).toBe(0);
  });

  it('notes typing presences for the burst window', async () => {
    const res = await p.postRaw(`/webhooks/whapi/${WHAPI_HOOK}`, JSON.stringify({ presences: [{ contact_id: '573008800009@s.whatsapp.net', status: 'typing' }], event: { type: 'presences', event: 'post' } }));
    expect(res.status).toBe(200);
    expect(await p.rt.redis.exists(`${p.rt.config.QUEUE_PREFIX}:presence:typing:573008800009`)).toBe(1);
  });
});

describe('health', () => {
  it('/health answers alive and /ready checks PostgreSQL, Redis and the queues', async () => {
    expect((await p.app.inject({ url: '/health' })).statusCode).toBe(200);
    const ready = await p.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(JSON.parse(ready.body).checks).toEqual({ postgres: 'ok', redis: 'ok', queues: 'ok' });
  });
});
