import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeSimulatorChats } from '../../src/console/simulator-sender.ts';
import { isSimulatorChat, newSimulatorChatId } from '../../src/console/simulator-chat.ts';
import { simulatorDelivery } from '../../src/console/simulator-delivery.ts';
import type { WhatsAppSender } from '../../src/whatsapp/sender.ts';
import { graphErrorBody } from '../support/fake-graph.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Envíos fallidos (retry, mark handled) and Probar el bot (a made-up customer through the real pipeline)
// over the API, with the provider set to Meta: the simulator's replies must never reach the Graph API.

const TOKEN = 'console-failed-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
let p: Pipeline;
const WINDOW_OPEN = '573650000001';
const WINDOW_CLOSED = '573650000002';
const TO_DISMISS = '573650000003';

const get = async (url: string) => {
  const res = await p.app.inject({ method: 'GET', url, headers: bearer });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
const post = async (url: string, payload?: unknown) => {
  const res = await p.app.inject({ method: 'POST', url, headers: { ...bearer, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, payload: payload === undefined ? undefined : JSON.stringify(payload) });
  return { status: res.statusCode, body: JSON.parse(res.body || '{}') };
};
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const failedRow = async (chat: string) => (await p.db.sql<{ id: number }[]>`SELECT id FROM outbox WHERE chat_id = ${chat} AND status = 'failed' ORDER BY id LIMIT 1`)[0].id;

/** One customer message whose answer Meta refuses with `code`. */
async function refusedReply(chat: string, code: number, title: string) {
  expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE status = 'pending'`).length === 0, 15_000)).toBe(true);
  p.graph.failNext(1, { status: 400, body: graphErrorBody(code, title) });
  await p.postMeta(metaEnvelope([metaTextMessage({ from: chat, id: `wamid.failed.${chat}`, body: 'hola', name: `Cliente ${chat.slice(-1)}` })]));
  expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${chat} AND status = 'failed'`).length > 0, 15_000)).toBe(true);
}

beforeAll(async () => {
  p = await startPipeline({ env: { ADMIN_TOKEN: TOKEN } });
  await refusedReply(WINDOW_OPEN, 131026, 'Message undeliverable');
  await refusedReply(WINDOW_CLOSED, 131047, 'Re-engagement message');
  await refusedReply(TO_DISMISS, 131049, 'Healthy ecosystem engagement');
  // the customer behind the 131047 last wrote two days ago
  await p.db.sql`UPDATE inbound_messages SET sent_at = now() - interval '2 days', received_at = now() - interval '2 days' WHERE chat_id = ${WINDOW_CLOSED}`;
}, 60_000);
afterAll(async () => { await p?.stop(); });

describe('strangers', () => {
  it('get 401 from every failed-send and simulator route', async () => {
    const routes: [string, string][] = [
      ['GET', '/admin/api/failed-sends'], ['POST', '/admin/api/failed-sends/1/retry'], ['POST', '/admin/api/failed-sends/1/dismiss'],
      ['POST', '/admin/api/simulator/chats'], ['POST', '/admin/api/simulator/chats/000123456789/messages'], ['GET', '/admin/api/simulator/chats/000123456789/messages'],
    ];
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: 'Bearer nope' }]) {
        const res = await p.app.inject({ method: method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? '{"type":"text","text":"hola"}' : undefined });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
    expect(await p.db.sql`SELECT 1 FROM outbox WHERE resolved_at IS NOT NULL`).toHaveLength(0);
    expect(await p.db.sql`SELECT 1 FROM inbound_messages WHERE provider = 'sandbox'`).toHaveLength(0);
  });
});

describe('Envíos fallidos', () => {
  it('lists the replies still to act on, newest first, with the reason and whether a copy could reach the customer', async () => {
    const { status, body } = await get('/admin/api/failed-sends');
    expect(status).toBe(200);
    expect(body.count).toBe(3);
    expect(body.items.map((f: { chatId: string }) => f.chatId)).toEqual([TO_DISMISS, WINDOW_CLOSED, WINDOW_OPEN]);
    const byChat = Object.fromEntries(body.items.map((f: { chatId: string }) => [f.chatId, f]));
    expect(byChat[WINDOW_OPEN]).toMatchObject({ outcome: 'refused', provider: 'meta', code: 131026, windowOpen: true, operator: null, resolution: null, meaning: { es: expect.stringMatching(/No entregable/) } });
    expect(byChat[WINDOW_CLOSED]).toMatchObject({ code: 131047, windowOpen: false, meaning: { es: expect.stringMatching(/24 h/) } });
    expect(byChat[WINDOW_OPEN].text.length).toBeGreaterThan(0);
    expect((await get('/admin/api/failed-sends?state=handled')).body).toEqual({ count: 0, items: [] });
  });

  it('sends one again: a new reply pointing back at it reaches the provider, and the first is resolved by the operator', async () => {
    const id = await failedRow(WINDOW_OPEN);
    const before = sentTo(WINDOW_OPEN).length;
    const res = await post(`/admin/api/failed-sends/${id}/retry`);
    expect(res).toMatchObject({ status: 202, body: { id, chatId: WINDOW_OPEN, queued: true } });
    expect(await until(() => sentTo(WINDOW_OPEN).length > before)).toBe(true);
    const [copy] = await p.db.sql`SELECT content, retry_of, operator_name FROM outbox WHERE id = ${res.body.retryId}`;
    const [original] = await p.db.sql`SELECT content, resolved_by, resolution, resolved_at FROM outbox WHERE id = ${id}`;
    expect(copy).toMatchObject({ retry_of: id, operator_name: 'ADMIN_TOKEN', content: original.content });
    expect(original).toMatchObject({ resolved_by: 'ADMIN_TOKEN', resolution: 'retried' });
    expect((await get('/admin/api/failed-sends')).body.count).toBe(2);
    await until(async () => (await get('/admin/api/failed-sends?state=handled')).body.items[0]?.resolution?.retryStatus === 'sent');
    const handled = (await get('/admin/api/failed-sends?state=handled')).body;
    expect(handled.items).toMatchObject([{ id, resolution: { how: 'retried', by: 'ADMIN_TOKEN', retryId: res.body.retryId, retryStatus: 'sent' } }]);
    // once is enough
    expect(await post(`/admin/api/failed-sends/${id}/retry`)).toMatchObject({ status: 409, body: { code: 'already_handled' } });
  });

  it('will not send again outside the 24-hour window, saying why', async () => {
    const id = await failedRow(WINDOW_CLOSED);
    const res = await post(`/admin/api/failed-sends/${id}/retry`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'outside_window', templates: false });
    expect(res.body.error).toMatch(/24-hour window.*template/);
    expect((await p.db.sql`SELECT resolved_at FROM outbox WHERE id = ${id}`)[0].resolved_at).toBeNull();
    expect(await p.db.sql`SELECT 1 FROM outbox WHERE retry_of = ${id}`).toHaveLength(0);
  });

  it('marks one handled without sending anything', async () => {
    const id = await failedRow(TO_DISMISS);
    const before = sentTo(TO_DISMISS).length;
    expect(await post(`/admin/api/failed-sends/${id}/dismiss`)).toMatchObject({ status: 200, body: { dismissed: true, chatId: TO_DISMISS } });
    expect(await post(`/admin/api/failed-sends/${id}/dismiss`)).toMatchObject({ status: 409, body: { code: 'already_handled' } });
    expect(sentTo(TO_DISMISS).length).toBe(before);
    expect((await get('/admin/api/failed-sends')).body.items.map((f: { chatId: string }) => f.chatId)).toEqual([WINDOW_CLOSED]);
    expect((await get('/admin/api/failed-sends?state=handled')).body.items.find((f: { id: number }) => f.id === id)).toMatchObject({ resolution: { how: 'dismissed', by: 'ADMIN_TOKEN', retryId: null } });
  });

  it('answers an unknown id 404, a reply that did not fail 409, a bad id or state 400', async () => {
    expect((await post('/admin/api/failed-sends/999999/retry')).status).toBe(404);
    expect((await post('/admin/api/failed-sends/999999/dismiss')).status).toBe(404);
    const [sent] = await p.db.sql<{ id: number }[]>`SELECT id FROM outbox WHERE status = 'sent' LIMIT 1`;
    expect(await post(`/admin/api/failed-sends/${sent.id}/dismiss`)).toMatchObject({ status: 409, body: { code: 'not_failed', error: expect.stringMatching(/did not fail \(it is sent\)/) } });
    expect((await post('/admin/api/failed-sends/abc/retry')).status).toBe(400);
    expect((await post('/admin/api/failed-sends/0/retry')).status).toBe(400);
    const bad = await get('/admin/api/failed-sends?state=all');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/state/);
  });
});

describe('Probar el bot', () => {
  it('makes up a chat no real customer can have', async () => {
    const res = await post('/admin/api/simulator/chats');
    expect(res.status).toBe(201);
    expect(res.body.chatId).toMatch(/^000\d{9}$/);
    expect(isSimulatorChat(res.body.chatId)).toBe(true);
    expect(isSimulatorChat('573001234567')).toBe(false);
  });

  it('delivers what the customer types as a webhook would, and the bot answers through the pipeline, never through Meta', async () => {
    const { body: { chatId } } = await post('/admin/api/simulator/chats');
    const res = await post(`/admin/api/simulator/chats/${chatId}/messages`, { type: 'text', text: 'hola' });
    expect(res).toMatchObject({ status: 202, body: { chatId, stored: 1, messageId: expect.stringMatching(/^sim\./) } });
    const [inbound] = await p.db.sql`SELECT provider, kind, text, customer_name FROM inbound_messages WHERE provider_message_id = ${res.body.messageId}`;
    expect(inbound).toEqual({ provider: 'sandbox', kind: 'text', text: 'hola', customer_name: 'Cliente de prueba' });
    expect(await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${chatId} AND status = 'sent'`).length > 0, 15_000)).toBe(true);
    const transcript = (await get(`/admin/api/simulator/chats/${chatId}/messages`)).body;
    expect(transcript.items.map((i: { type: string }) => i.type).slice(0, 2)).toEqual(['in', 'out']);
    // the welcome, with its menu buttons, as the bot wrote it
    const answer = transcript.items.find((i: { type: string }) => i.type === 'out');
    expect(answer).toMatchObject({ operator: null, status: 'sent', content: { type: 'buttons', body: expect.stringContaining('¡Hola, Cliente! 👋') } });
    const button = answer.content.buttons[0] as { id: string; title: string };

    // a tapped button goes in as Meta's button_reply
    const tap = await post(`/admin/api/simulator/chats/${chatId}/messages`, { type: 'button', id: button.id, title: button.title });
    expect(tap.status).toBe(202);
    const [tapped] = await p.db.sql`SELECT kind, reply_id, text FROM inbound_messages WHERE provider_message_id = ${tap.body.messageId}`;
    expect(tapped).toEqual({ kind: 'interactive', reply_id: button.id, text: button.title });
    const list = await post(`/admin/api/simulator/chats/${chatId}/messages`, { type: 'list', id: 'cat:nada:0', title: 'Nada', description: 'una fila' });
    expect(list.status).toBe(202);
    const [row] = await p.db.sql`SELECT kind, reply_id, details FROM inbound_messages WHERE provider_message_id = ${list.body.messageId}`;
    expect(row).toMatchObject({ kind: 'interactive', reply_id: 'cat:nada:0', details: { interactiveType: 'list_reply', description: 'una fila' } });
    await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${chatId} AND status = 'pending'`).length === 0);
    expect(sentTo(chatId)).toEqual([]);
    expect(p.graph.receipts.filter((r) => JSON.stringify(r.body).includes('sim.'))).toEqual([]);
  });

  it('answers a bad message 400 with the reason, and refuses a real customer’s number', async () => {
    const chatId = newSimulatorChatId();
    const cases: [unknown, RegExp][] = [
      [{}, /type must be "text"/], [{ type: 'image' }, /type must be "text"/], [{ type: 'text' }, /text is required/],
      [{ type: 'text', text: '  ' }, /text is blank/], [{ type: 'text', text: 5 }, /text must be a string/],
      [{ type: 'button', title: 'Sí' }, /id is required/], [{ type: 'list', id: 'x', title: 'y', extra: 1 }, /unknown field extra/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(`/admin/api/simulator/chats/${chatId}/messages`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(reason);
    }
    // the simulator never speaks for a real customer
    const real = await post('/admin/api/simulator/chats/573650000001/messages', { type: 'text', text: 'hola' });
    expect(real.status).toBe(400);
    expect(real.body.error).toMatch(/chatId/);
    expect((await get('/admin/api/simulator/chats/573650000001/messages')).status).toBe(400);
    expect(await p.db.sql`SELECT 1 FROM inbound_messages WHERE chat_id = ${chatId}`).toHaveLength(0);
  });
});

describe('the simulator sender', () => {
  it('hands the simulator’s chats to the sandbox and everything else to the provider', async () => {
    const calls: string[] = [];
    const provider: WhatsAppSender = {
      provider: 'meta',
      send: async (m) => { calls.push(`meta:${m.to}`); return { providerMessageId: 'wamid.x' }; },
      markRead: async (id) => { calls.push(`read:${id}`); },
      showTyping: async (t) => { calls.push(`typing:${t.providerMessageId}`); },
    };
    const sandboxed: string[] = [];
    const sandbox: WhatsAppSender = { provider: 'sandbox', send: async (m) => { sandboxed.push(m.to ?? ''); return { providerMessageId: 'sandbox-1' }; }, markRead: async () => {}, showTyping: async () => {} };
    const routed = routeSimulatorChats(provider, sandbox);
    expect(routed.provider).toBe('meta');
    await routed.send({ to: '000123456789', content: { type: 'text', text: 'hola' } });
    await routed.send({ to: '573001112233', content: { type: 'text', text: 'hola' } });
    await routed.markRead('sim.abc');
    await routed.markRead('wamid.abc');
    await routed.showTyping({ providerMessageId: 'sim.def', providerChatId: '000123456789@s.whatsapp.net' });
    expect(sandboxed).toEqual(['000123456789']);
    expect(calls).toEqual(['meta:573001112233', 'read:wamid.abc']);
    // the sandbox itself needs no routing
    expect(routeSimulatorChats(sandbox)).toBe(sandbox);
  });

  it('normalises the simulator’s deliveries with Meta’s own reader, as the sandbox’s', () => {
    const d = simulatorDelivery('000123456789', { type: 'text', text: 'quiero una camiseta' }, { messageId: 'sim.1' });
    expect(d.skipped).toEqual([]);
    expect(d.messages).toMatchObject([{ provider: 'sandbox', providerMessageId: 'sim.1', chatId: '000123456789', kind: 'text', text: 'quiero una camiseta', customerName: 'Cliente de prueba' }]);
  });
});
