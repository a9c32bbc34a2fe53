import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { createTestRuntime, dropQueuePrefix, until, WHAPI_HOOK } from '../support/test-runtime.ts';
import { startFakeWhapi, type FakeWhapi } from '../support/fake-whapi.ts';
import { whapiButtonsReply, whapiEnvelope, whapiTextMessage } from '../support/whapi-payloads.ts';
import { createWebApp } from '../../src/roles/web-role.ts';
import { startWorkers, type WorkerRole } from '../../src/roles/worker-role.ts';
import type { Runtime } from '../../src/roles/runtime.ts';
import type { FastifyInstance } from 'fastify';

// Whapi end to end: its webhook in, replies out through POST /messages/text with the bearer token,
// never an answer to the bot's own messages.

let db: TestDatabase;
let whapi: FakeWhapi;
let rt: Runtime;
let app: FastifyInstance;
let workers: WorkerRole;
beforeAll(async () => {
  db = await createTestDatabase();
  whapi = await startFakeWhapi({ token: 'whapi-test-token' });
  rt = await createTestRuntime({ DATABASE_URL: db.url, WHATSAPP_PROVIDER: 'whapi', WHAPI_TOKEN: 'whapi-test-token', WHAPI_API_URL: whapi.url });
  app = await createWebApp(rt);
  workers = await startWorkers(rt);
});
afterAll(async () => {
  await workers?.close(2000);
  await app?.close();
  await rt?.close();
  await whapi?.close();
  await dropQueuePrefix(rt.config.QUEUE_PREFIX);
  await db?.drop();
});

const post = (body: unknown) => app.inject({ method: 'POST', url: `/webhooks/whapi/${WHAPI_HOOK}`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('Whapi end to end', () => {
  it('answers a customer through /messages/text, marks the message read, and ignores the bot itself', async () => {
    expect((await post(whapiEnvelope([whapiTextMessage({ id: 'PsqXn5SAD5v7HRA-wgN2fg', from: '573008800001', name: 'Whapi Uno', body: 'hola' })]))).statusCode).toBe(200);
    expect((await post(whapiEnvelope([whapiTextMessage({ id: 'PsqXn5SAD5v7HRA-wgN2fh', from: '573008800002', fromMe: true, body: 'mensaje del bot' })]))).statusCode).toBe(200);
    expect(await until(() => whapi.sent.length >= 1, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(whapi.sent).toHaveLength(1);
    const reply = whapi.sent[0];
    expect(reply.path).toBe('/messages/text');
    expect(reply.auth).toBe('Bearer whapi-test-token');
    expect(reply.body).toMatchObject({ to: '573008800001@s.whatsapp.net' });
    expect((reply.body as { body: string }).body).toMatch(/¡Hola, Whapi!.*\n\n1\. Ver catálogo/s); // buttons as numbered text
    expect(await until(() => whapi.receipts.some((r) => r.messageId === 'PsqXn5SAD5v7HRA-wgN2fg'), 5000)).toBe(true);
    const [row] = await db.sql`SELECT status, provider FROM outbox WHERE chat_id = '573008800001'`;
    expect(row).toEqual({ status: 'sent', provider: 'whapi' });
  });

  it('understands a tapped button by its id, without Whapi\'s ButtonsV3: prefix', async () => {
    await post(whapiEnvelope([whapiButtonsReply({ id: 'PsqXn5SAD5v7HRA-wgN2fi', from: '573008800003', buttonId: 'menu', title: 'Menú' })]));
    expect(await until(() => whapi.sent.some((s) => (s.body as { to: string }).to.startsWith('573008800003')), 10_000)).toBe(true);
    const [row] = await db.sql`SELECT reply_id FROM inbound_messages WHERE chat_id = '573008800003'`;
    expect(row.reply_id).toBe('menu');
    const text = (whapi.sent.find((s) => (s.body as { to: string }).to.startsWith('573008800003'))!.body as { body: string }).body;
    expect(text).toContain('Esto es lo que puedo hacer');
  });

  it('answers a linked-id chat (@lid) that hides the number, and knows it as the same customer once a number shows', async () => {
    const lid = '204882146754671@lid';
    const sentTo = (to: string) => whapi.sent.filter((m) => (m.body as { to: string }).to === to);
    expect((await post(whapiEnvelope([whapiTextMessage({ id: 'LidMsg-1', from: '204882146754671', chatId: lid, name: 'Oculta', body: 'hola' })]))).statusCode).toBe(200);
    expect(await until(() => sentTo(lid).length === 1, 10_000)).toBe(true);
    const [first] = await db.sql`SELECT chat_id FROM inbound_messages WHERE provider_message_id = 'LidMsg-1'`;
    expect(first.chat_id).toBe(lid);
    // the same chat, now with the number in `from`; then the number's own chat: one customer throughout
    await post(whapiEnvelope([whapiTextMessage({ id: 'LidMsg-2', from: '573008800009', chatId: lid, body: 'menu' })]));
    expect(await until(() => sentTo(lid).length === 2, 10_000)).toBe(true);
    await post(whapiEnvelope([whapiTextMessage({ id: 'LidMsg-3', from: '573008800009', body: 'menu' })]));
    expect(await until(() => sentTo('573008800009@s.whatsapp.net').length === 1, 10_000)).toBe(true);
    const chats = await db.sql`SELECT DISTINCT chat_id FROM inbound_messages WHERE provider_message_id LIKE 'LidMsg-%'`;
    expect(chats).toEqual([{ chat_id: lid }]);
    const ids = await db.sql`SELECT kind, value FROM customer_identities WHERE customer_key = ${lid} ORDER BY kind`;
    expect(ids).toEqual([{ kind: 'lid', value: lid }, { kind: 'phone', value: '573008800009' }]);
  });
});
