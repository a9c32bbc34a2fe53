import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../src/whatsapp/errors.ts';
import { createMetaSender } from '../../src/whatsapp/meta/send.ts';
import type { OutboundMessage } from '../../src/whatsapp/types.ts';
import { graphErrorBody, startFakeGraph, type FakeGraph } from '../support/fake-graph.ts';
import { GRAPH_API_VERSION } from '../../src/whatsapp/meta/graph-version.ts';

const PHONE_NUMBER_ID = '1098765432';
const TOKEN = 'meta-test-token';
const TO = '573001234567';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await startFakeGraph({ accessToken: TOKEN, phoneNumberId: PHONE_NUMBER_ID });
});
afterAll(() => graph.close());
afterEach(() => {
  graph.delay(0);
  graph.sent.length = 0;
  graph.dropped.length = 0;
  graph.attempts.length = 0;
  graph.receipts.length = 0;
});

const sender = (timeoutMs = 2000) => createMetaSender({ graphUrl: graph.url, phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, timeoutMs });
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

describe('Meta sender: request bodies', () => {
  it('posts a text to {graph}/{phone-number-id}/messages with the bearer token and the exact Cloud API body', async () => {
    const result = await sender().send({ to: TO, content: { type: 'text', text: 'Hola, ¿en qué te ayudo?' } });
    expect(graph.sent).toHaveLength(1);
    const [call] = graph.sent;
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`/${GRAPH_API_VERSION}/${PHONE_NUMBER_ID}/messages`);
    expect(call.auth).toBe(`Bearer ${TOKEN}`);
    expect(call.body).toStrictEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: TO, type: 'text', text: { body: 'Hola, ¿en qué te ayudo?', preview_url: false } });
    expect(result).toEqual({ providerMessageId: call.responseId });
    expect(result.providerMessageId).toMatch(/^wamid\.out\d+$/);
  });

  it('quotes the customer message with context.message_id and passes preview_url through', async () => {
    await sender().send({ to: TO, replyToMessageId: 'wamid.IN123', content: { type: 'text', text: 'Mira https://tienda.example', previewUrl: true } });
    expect(graph.sent[0].body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      context: { message_id: 'wamid.IN123' },
      type: 'text',
      text: { body: 'Mira https://tienda.example', preview_url: true },
    });
  });

  it('sends reply buttons as interactive type button, with header and footer', async () => {
    await sender().send({
      to: TO,
      content: { type: 'buttons', header: 'Tu pedido', body: '¿Confirmas el pedido?', footer: 'Tienda', buttons: [{ id: 'order:yes', title: 'Sí' }, { id: 'order:no', title: 'No' }] },
    });
    expect(graph.sent[0].body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Tu pedido' },
        body: { text: '¿Confirmas el pedido?' },
        footer: { text: 'Tienda' },
        action: { buttons: [{ type: 'reply', reply: { id: 'order:yes', title: 'Sí' } }, { type: 'reply', reply: { id: 'order:no', title: 'No' } }] },
      },
    });
  });

  it('sends a list as interactive type list, without the header or footer it does not have', async () => {
    await sender().send({
      to: TO,
      content: { type: 'list', body: 'Elige una categoría', button: 'Ver', sections: [{ title: 'Ropa', rows: [{ id: 'cat:1', title: 'Camisas', description: 'Algodón' }, { id: 'cat:2', title: 'Pantalones' }] }] },
    });
    expect(graph.sent[0].body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Elige una categoría' },
        action: { button: 'Ver', sections: [{ title: 'Ropa', rows: [{ id: 'cat:1', title: 'Camisas', description: 'Algodón' }, { id: 'cat:2', title: 'Pantalones' }] }] },
      },
    });
  });

  it('sends a template with its name, language code and components', async () => {
    const components = [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }];
    await sender().send({ to: TO, content: { type: 'template', name: 'pedido_listo', language: 'es_CO', components } });
    expect(graph.sent[0].body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'template',
      template: { name: 'pedido_listo', language: { code: 'es_CO' }, components },
    });
  });

  it('fits content first: 5 buttons go as a list, long titles clipped, and Meta accepts it', async () => {
    const buttons = [1, 2, 3, 4, 5].map((i) => ({ id: `b${i}`, title: `Producto número ${i} de la tienda` }));
    await sender().send({ to: TO, content: { type: 'buttons', body: 'Elige', buttons } });
    expect(graph.sent).toHaveLength(1); // the fake refuses anything past WhatsApp's limits with 131009
    const interactive = (graph.sent[0].body as { interactive: { type: string; action: { sections: { rows: { id: string; title: string }[] }[] } } }).interactive;
    expect(interactive.type).toBe('list');
    expect(interactive.action.sections[0].rows.map((r) => r.id)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(interactive.action.sections[0].rows[0].title).toBe('Producto número 1 de la…');
  });

  it('keeps many concurrent sends apart: one request and one distinct id each', async () => {
    const s = sender();
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => s.send({ to: `57300000${String(i).padStart(4, '0')}`, content: { type: 'text', text: `n${i}` } })));
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(25);
    expect(graph.sent).toHaveLength(25);
    for (const r of results) {
      const call = graph.sent.find((c) => c.responseId === r.providerMessageId)!;
      const i = Number((call.body as { text: { body: string } }).text.body.slice(1));
      expect((call.body as { to: string }).to).toBe(`57300000${String(i).padStart(4, '0')}`);
    }
  });
});

describe('Meta sender: errors', () => {
  it('maps 429 with code 130429 to rate limited, 1 s by default or the Retry-After header', async () => {
    graph.failNext(1, { status: 429, body: graphErrorBody(130429, 'Rate limit hit') });
    const e = await failure();
    expect(e).toBeInstanceOf(ProviderRateLimitedError);
    expect((e as ProviderRateLimitedError).retryAfterMs).toBe(1000);
    expect((e as Error).message).toContain('130429');

    graph.failNext(1, { status: 429, body: graphErrorBody(130429, 'Rate limit hit'), headers: { 'retry-after': '7' } });
    expect(((await failure()) as ProviderRateLimitedError).retryAfterMs).toBe(7000);
  });

  it('maps the pair rate limit (131056) to rate limited for 5 s, even on HTTP 400', async () => {
    graph.failNext(1, { status: 400, body: graphErrorBody(131056, '(Business Account, Consumer Account) pair rate limit hit') });
    const e = await failure();
    expect(e).toBeInstanceOf(ProviderRateLimitedError);
    expect((e as ProviderRateLimitedError).retryAfterMs).toBe(5000);
  });

  it('maps app and business rate limits (4, 80007, 613) to rate limited', async () => {
    for (const code of [4, 80007, 613]) {
      graph.failNext(1, { status: 400, body: graphErrorBody(code, 'Application request limit reached') });
      expect(await failure()).toBeInstanceOf(ProviderRateLimitedError);
    }
  });

  it('maps HTTP 500 and temporary codes (1, 2, 131000, 131016, 133004) to unavailable', async () => {
    graph.failNext(1, { status: 500, body: graphErrorBody(1, 'An unknown error occurred') });
    const e = await failure();
    expect(e).toBeInstanceOf(ProviderUnavailableError);
    expect((e as ProviderUnavailableError).status).toBe(500);
    for (const code of [1, 2, 131000, 131016, 133004]) {
      graph.failNext(1, { status: 400, body: graphErrorBody(code, 'Temporary') });
      expect(await failure()).toBeInstanceOf(ProviderUnavailableError);
    }
    graph.failNext(1, { status: 503, body: '<html>Service Unavailable</html>' });
    expect(await failure()).toBeInstanceOf(ProviderUnavailableError);
  });

  it('maps 400 code 131047 (outside the 24 h window) to rejected, with status and code', async () => {
    graph.failNext(1, { status: 400, body: graphErrorBody(131047, 'Re-engagement message') });
    const e = await failure();
    expect(e).toBeInstanceOf(ProviderRejectedError);
    expect((e as ProviderRejectedError).status).toBe(400);
    expect((e as ProviderRejectedError).code).toBe(131047);
    expect((e as Error).message).toContain('Re-engagement message');
  });

  it('maps other refusals to rejected: undeliverable 131026, invalid parameter 100, bad token 190', async () => {
    graph.failNext(1, { status: 400, body: graphErrorBody(131026, 'Message undeliverable') });
    expect(await failure()).toMatchObject({ name: 'ProviderRejectedError', status: 400, code: 131026 });
    // the fake's own checks refuse what Meta refuses: here a template without a name
    const noName = { to: TO, content: { type: 'template' as const, name: '', language: 'es' } };
    expect(await failure(noName)).toMatchObject({ name: 'ProviderRejectedError', status: 400, code: 131009 });
    const badToken = createMetaSender({ graphUrl: graph.url, phoneNumberId: PHONE_NUMBER_ID, accessToken: 'expired', timeoutMs: 2000 });
    expect(await failure(undefined, badToken)).toMatchObject({ name: 'ProviderRejectedError', status: 401, code: 190 });
    const wrongNumber = createMetaSender({ graphUrl: graph.url, phoneNumberId: '999', accessToken: TOKEN, timeoutMs: 2000 });
    expect(await failure(undefined, wrongNumber)).toMatchObject({ name: 'ProviderRejectedError', status: 400, code: 100 });
    expect(graph.sent).toHaveLength(0);
  });

  it('treats a 2xx without a message id as not sent', async () => {
    graph.failNext(1, { status: 200, body: { messaging_product: 'whatsapp' } });
    expect(await failure()).toBeInstanceOf(ProviderUnavailableError);
  });

  it('gives up after timeoutMs, aborting the request (the fake sees the connection close)', async () => {
    graph.delay(1500);
    const abortedBefore = graph.aborted();
    const started = performance.now();
    const e = await failure(undefined, sender(150));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e).toBeInstanceOf(ProviderUnavailableError);
    expect((e as Error).message).toMatch(/150 ms/);
    expect(graph.attempts).toHaveLength(1); // it did arrive…
    expect(await until(() => graph.aborted() === abortedBefore + 1)).toBe(true); // …and was cut
    expect(graph.attempts[0].status).toBeUndefined();
    expect(graph.sent).toHaveLength(0);
  });

  it('gives up after timeoutMs when the answer stops halfway through its body', async () => {
    // headers and half an answer, then nothing: the deadline covers the whole answer, not just its first byte
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"messaging_product":"whatsapp","messages":[{"id":"wamid.');
    });
    await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = stalling.address() as AddressInfo;
      const s = createMetaSender({ graphUrl: `http://127.0.0.1:${port}/v21.0`, phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, timeoutMs: 200 });
      const started = performance.now();
      const e = await failure(undefined, s);
      expect(performance.now() - started).toBeLessThan(1500);
      expect(e).toBeInstanceOf(ProviderUnavailableError);
      expect((e as Error).message).toMatch(/200 ms/);
    } finally {
      stalling.closeAllConnections();
      await new Promise((r) => stalling.close(r));
    }
  });

  it('maps a refused connection to unavailable', async () => {
    const gone = await startFakeGraph();
    const url = gone.url;
    await gone.close();
    const s = createMetaSender({ graphUrl: url, phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, timeoutMs: 2000 });
    expect(await failure(undefined, s)).toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('Meta sender: markRead', () => {
  it('posts the read receipt, with the typing indicator only when asked', async () => {
    await sender().markRead('wamid.IN1');
    await sender().markRead('wamid.IN2', { typing: true });
    expect(graph.receipts.map((r) => [r.path, r.auth, r.body])).toStrictEqual([
      [`/${GRAPH_API_VERSION}/${PHONE_NUMBER_ID}/messages`, `Bearer ${TOKEN}`, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN1' }],
      [`/${GRAPH_API_VERSION}/${PHONE_NUMBER_ID}/messages`, `Bearer ${TOKEN}`, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN2', typing_indicator: { type: 'text' } }],
    ]);
    expect(graph.sent).toHaveLength(0);
  });

  it('never throws: not on a refusal, a timeout or a dead server', async () => {
    const badToken = createMetaSender({ graphUrl: graph.url, phoneNumberId: PHONE_NUMBER_ID, accessToken: 'expired', timeoutMs: 2000 });
    await expect(badToken.markRead('wamid.IN3')).resolves.toBeUndefined();
    graph.delay(1000);
    await expect(sender(100).markRead('wamid.IN4')).resolves.toBeUndefined();
    graph.delay(0);
    const dead = createMetaSender({ graphUrl: 'http://127.0.0.1:1/v21.0', phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, timeoutMs: 500 });
    await expect(dead.markRead('wamid.IN5', { typing: true })).resolves.toBeUndefined();
    expect(graph.receipts).toHaveLength(0);
  });
});

describe('Meta sender: where a reply goes (business-scoped user ids, 2026)', () => {
  const BSUID = 'CO.13491208655302741918';
  const text = { type: 'text' as const, text: 'hola' };

  it('a customer known only by BSUID gets it in `recipient`, with recipient_type individual and no `to`', async () => {
    await sender().send({ recipient: BSUID, content: text });
    expect(graph.sent[0].body).toStrictEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', recipient: BSUID, type: 'text', text: { body: 'hola', preview_url: false } });
  });

  it('a known number wins: `to` only, the BSUID left out (Meta prefers the number, and `to` would win anyway)', async () => {
    await sender().send({ to: TO, recipient: BSUID, content: text });
    expect(graph.sent[0].body).toMatchObject({ to: TO });
    expect(graph.sent[0].body).not.toHaveProperty('recipient');
  });

  it('never puts a BSUID in `to`, even when handed one there', async () => {
    await sender().send({ to: BSUID, content: text });
    expect(graph.sent[0].body).toMatchObject({ recipient: BSUID });
    expect(graph.sent[0].body).not.toHaveProperty('to');
    expect(graph.dropped).toEqual([]);
  });

  it('is why: the fake Graph API, like Meta, takes a BSUID in `to` with a 200 and delivers nothing', async () => {
    const res = await fetch(`${graph.url}/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: BSUID, type: 'text', text: { body: 'hola' } }),
    });
    expect(res.status).toBe(200);
    expect(graph.sent).toEqual([]);
    expect(graph.dropped).toHaveLength(1);
    graph.dropped.length = 0;
  });

  it('refuses, without calling Meta, an authentication template to a customer with no known number', async () => {
    const error = await failure({ recipient: BSUID, content: { type: 'template', name: 'codigo', language: 'es', category: 'authentication' } });
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).code).toBe(131062);
    expect((error as Error).message).toMatch(/needs the customer's phone number/);
    expect(graph.attempts).toEqual([]);
    // with the number it goes
    await sender().send({ to: TO, recipient: BSUID, content: { type: 'template', name: 'codigo', language: 'es', category: 'authentication' } });
    expect(graph.sent[0].body).toMatchObject({ to: TO, type: 'template' });
  });

  it('refuses a reply with nowhere to go', async () => {
    const error = await failure({ content: text });
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as Error).message).toBe('no phone number or business-scoped user id to send to');
    expect(graph.attempts).toEqual([]);
  });
});
