import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../src/whatsapp/errors.ts';
import type { OutboundMessage } from '../../src/whatsapp/types.ts';
import { createWhapiSender } from '../../src/whatsapp/whapi/send.ts';
import { startFakeWhapi, whapiErrorBody, type FakeWhapi } from '../support/fake-whapi.ts';

const TOKEN = 'whapi-test-token';
const TO = '573001234567';
const CHAT = `${TO}@s.whatsapp.net`;
const CUSTOMER_MESSAGE = 'PsqxHfEhHcLPzMk-wlBBTKqGPbg'; // the shape of Whapi message ids

let whapi: FakeWhapi;
beforeAll(async () => {
  whapi = await startFakeWhapi({ token: TOKEN });
});
afterAll(() => whapi.close());
afterEach(() => {
  whapi.delay(0);
  whapi.sent.length = 0;
  whapi.attempts.length = 0;
  whapi.receipts.length = 0;
});

const sender = (opts: { timeoutMs?: number; interactive?: boolean; token?: string } = {}) =>
  createWhapiSender({ apiUrl: whapi.url, token: opts.token ?? TOKEN, timeoutMs: opts.timeoutMs ?? 2000, interactive: opts.interactive });
const failure = (message: OutboundMessage = { to: TO, content: { type: 'text', text: 'hola' } }, s = sender()) =>
  s.send(message).then(
    () => expect.fail('the send should have failed'),
    (e: unknown) => e,
  );

async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return check();
}

describe('Whapi sender: request bodies', () => {
  it('posts a text to {api}/messages/text as {to, body} with the bearer token', async () => {
    const result = await sender().send({ to: TO, content: { type: 'text', text: 'Hola, ¿en qué te ayudo?' } });
    expect(whapi.sent).toHaveLength(1);
    const [call] = whapi.sent;
    expect([call.method, call.path, call.auth]).toEqual(['POST', '/messages/text', `Bearer ${TOKEN}`]);
    expect(call.body).toStrictEqual({ to: TO, body: 'Hola, ¿en qué te ayudo?' });
    expect(result).toEqual({ providerMessageId: call.responseId });
  });

  it("addresses Whapi's chat id when known, quotes with `quoted`, and turns previews off when asked", async () => {
    await sender().send({ to: TO, providerChatId: CHAT, replyToMessageId: CUSTOMER_MESSAGE, content: { type: 'text', text: 'https://tienda.example', previewUrl: false } });
    expect(whapi.sent[0].body).toStrictEqual({ to: CHAT, quoted: CUSTOMER_MESSAGE, body: 'https://tienda.example', no_link_preview: true });
  });

  it('sends reply buttons to /messages/interactive as quick_reply buttons', async () => {
    await sender().send({
      to: TO,
      providerChatId: CHAT,
      replyToMessageId: CUSTOMER_MESSAGE,
      content: { type: 'buttons', header: 'Tu pedido', body: '¿Confirmas el pedido?', footer: 'Tienda', buttons: [{ id: 'order:yes', title: 'Sí' }, { id: 'order:no', title: 'No' }] },
    });
    const [call] = whapi.sent;
    expect(call.path).toBe('/messages/interactive');
    expect(call.body).toStrictEqual({
      to: CHAT,
      quoted: CUSTOMER_MESSAGE,
      type: 'button',
      header: { text: 'Tu pedido' },
      body: { text: '¿Confirmas el pedido?' },
      footer: { text: 'Tienda' },
      action: { buttons: [{ type: 'quick_reply', id: 'order:yes', title: 'Sí' }, { type: 'quick_reply', id: 'order:no', title: 'No' }] },
    });
  });

  it('sends a list to /messages/interactive with action.list {label, sections}', async () => {
    await sender().send({
      to: TO,
      content: { type: 'list', body: 'Elige una categoría', button: 'Ver', sections: [{ title: 'Ropa', rows: [{ id: 'cat:1', title: 'Camisas', description: 'Algodón' }, { id: 'cat:2', title: 'Pantalones' }] }] },
    });
    expect(whapi.sent[0].path).toBe('/messages/interactive');
    expect(whapi.sent[0].body).toStrictEqual({
      to: TO,
      type: 'list',
      body: { text: 'Elige una categoría' },
      action: { list: { label: 'Ver', sections: [{ title: 'Ropa', rows: [{ id: 'cat:1', title: 'Camisas', description: 'Algodón' }, { id: 'cat:2', title: 'Pantalones' }] }] } },
    });
  });

  it('fits content first: 4 buttons become a list, 12 options numbered text', async () => {
    const options = (k: number) => Array.from({ length: k }, (_, i) => ({ id: `o${i + 1}`, title: `Talla ${36 + i}` }));
    await sender().send({ to: TO, content: { type: 'buttons', body: 'Elige tu talla', buttons: options(4) } });
    expect(whapi.sent[0].body).toMatchObject({ type: 'list', action: { list: { label: 'Ver opciones', sections: [{ rows: options(4) }] } } });
    await sender().send({ to: TO, content: { type: 'list', body: 'Elige tu talla', button: 'Tallas', sections: [{ rows: options(12) }] } });
    expect(whapi.sent[1].path).toBe('/messages/text');
    expect(whapi.sent[1].body).toStrictEqual({ to: TO, body: `Elige tu talla\n\n${options(12).map((o, i) => `${i + 1}. ${o.title}`).join('\n')}` });
  });

  it('with interactive off, sends buttons as numbered text', async () => {
    await sender({ interactive: false }).send({ to: TO, content: { type: 'buttons', body: '¿Confirmas?', buttons: [{ id: 'y', title: 'Sí' }, { id: 'n', title: 'No' }] } });
    expect(whapi.sent[0].path).toBe('/messages/text');
    expect(whapi.sent[0].body).toStrictEqual({ to: TO, body: '¿Confirmas?\n\n1. Sí\n2. No' });
  });

  it('refuses a Meta template without calling Whapi', async () => {
    const e = await failure({ to: TO, content: { type: 'template', name: 'pedido_listo', language: 'es' } });
    expect(e).toBeInstanceOf(ProviderRejectedError);
    expect((e as Error).message).toContain('pedido_listo');
    expect(whapi.attempts).toHaveLength(0);
  });

  it('keeps many concurrent sends apart: one request and one distinct id each', async () => {
    const s = sender();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.send({ to: TO, content: { type: 'text', text: `n${i}` } })));
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(20);
    expect(whapi.sent.map((c) => (c.body as { body: string }).body).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
  });
});

describe('Whapi sender: errors', () => {
  it('maps 429 to rate limited, using Retry-After when given', async () => {
    whapi.failNext(1, { status: 429, headers: { 'retry-after': '3' } });
    const e = await failure();
    expect(e).toBeInstanceOf(ProviderRateLimitedError);
    expect((e as ProviderRateLimitedError).retryAfterMs).toBe(3000);
    whapi.failNext(1, { status: 429 });
    expect(((await failure()) as ProviderRateLimitedError).retryAfterMs).toBe(1000);
  });

  it('maps 5xx to unavailable', async () => {
    whapi.failNext(1, { status: 502, body: whapiErrorBody(502, 'Channel is not connected') });
    const e = await failure();
    expect(e).toBeInstanceOf(ProviderUnavailableError);
    expect((e as ProviderUnavailableError).status).toBe(502);
  });

  it('maps other 4xx to rejected with status and code: a refusal, a bad token, a bad request', async () => {
    whapi.failNext(1, { status: 404, body: whapiErrorBody(404, 'Chat not found') });
    const notFound = await failure();
    expect(notFound).toMatchObject({ name: 'ProviderRejectedError', status: 404, code: 404 });
    expect((notFound as Error).message).toContain('Chat not found');
    expect(await failure(undefined, sender({ token: 'wrong' }))).toMatchObject({ name: 'ProviderRejectedError', status: 401 });
    // the fake checks Whapi's schema: `quoted` must be a Whapi message id, not Meta's
    expect(await failure({ to: TO, replyToMessageId: 'wamid.X', content: { type: 'text', text: 'x' } })).toMatchObject({ name: 'ProviderRejectedError', status: 400 });
    expect(whapi.sent).toHaveLength(0);
  });

  it('treats sent:false or a missing id as not sent', async () => {
    whapi.failNext(1, { status: 200, body: { sent: false, message: { id: 'x1234-abcd' } } });
    expect(await failure()).toBeInstanceOf(ProviderUnavailableError);
    whapi.failNext(1, { status: 200, body: { sent: true } });
    expect(await failure()).toBeInstanceOf(ProviderUnavailableError);
  });

  it('gives up after timeoutMs, aborting the request (the fake sees the connection close)', async () => {
    whapi.delay(1500);
    const abortedBefore = whapi.aborted();
    const started = performance.now();
    const e = await failure(undefined, sender({ timeoutMs: 150 }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e).toBeInstanceOf(ProviderUnavailableError);
    expect(whapi.attempts).toHaveLength(1);
    expect(await until(() => whapi.aborted() === abortedBefore + 1)).toBe(true);
    expect(whapi.sent).toHaveLength(0);
  });

  it('maps a refused connection to unavailable', async () => {
    const gone = await startFakeWhapi();
    const url = gone.url;
    await gone.close();
    expect(await failure(undefined, createWhapiSender({ apiUrl: url, token: TOKEN, timeoutMs: 2000 }))).toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('Whapi sender: markRead', () => {
  it('marks a message read with PUT {api}/messages/{id} and no body', async () => {
    await sender().markRead(CUSTOMER_MESSAGE, { typing: true });
    expect(whapi.receipts).toHaveLength(1);
    const [call] = whapi.receipts;
    expect([call.method, call.path, call.auth, call.messageId, call.raw]).toEqual(['PUT', `/messages/${CUSTOMER_MESSAGE}`, `Bearer ${TOKEN}`, CUSTOMER_MESSAGE, '']);
    expect(whapi.sent).toHaveLength(0);
  });

  it('never throws: not on a refusal, a timeout or a dead server', async () => {
    await expect(sender({ token: 'wrong' }).markRead(CUSTOMER_MESSAGE)).resolves.toBeUndefined();
    whapi.delay(1000);
    await expect(sender({ timeoutMs: 100 }).markRead(CUSTOMER_MESSAGE)).resolves.toBeUndefined();
    whapi.delay(0);
    await expect(createWhapiSender({ apiUrl: 'http://127.0.0.1:1', token: TOKEN, timeoutMs: 500 }).markRead(CUSTOMER_MESSAGE)).resolves.toBeUndefined();
    expect(whapi.receipts).toHaveLength(0);
  });
});
