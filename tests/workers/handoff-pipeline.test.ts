import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server.ts';
import { until } from '../support/test-runtime.ts';
import { createHandoffNotices } from '../../src/roles/handoff-notices.ts';

// Human handoff end to end: a customer who asks for a person (or whom the bot keeps missing) gets one;
// the bot stays quiet in that chat while still storing what the customer writes; the team is told on
// WhatsApp and by webhook; an operator answers and resumes from the admin API, or the chat resumes
// by itself.

const TOKEN = 'handoff-admin-token';
const OPERATOR = '573009990000';
let p: Pipeline;
let hook: LoopbackServer;
const hookCalls: { body: Record<string, unknown> }[] = [];
let hookStatus = 200;

beforeAll(async () => {
  hook = await startLoopbackServer((_req, res, raw) => {
    hookCalls.push({ body: JSON.parse(raw) });
    res.writeHead(hookStatus).end();
  });
  p = await startPipeline({
    env: {
      ADMIN_TOKEN: TOKEN,
      HANDOFF_OPERATOR_PHONE: OPERATOR,
      HANDOFF_WEBHOOK_URL: `http://127.0.0.1:${hook.port}/hook`,
      HANDOFF_AFTER_MISUNDERSTOOD: '3',
      HANDOFF_AUTO_RESUME_MS: '600000',
    },
  });
});
afterAll(async () => {
  await p?.stop();
  await hook?.close();
});

let seq = 0;
const say = (from: string, body: string) => p.postMeta(metaEnvelope([metaTextMessage({ from, id: `wamid.handoff.${++seq}`, body, name: 'Lucía Gómez' })]));
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const textOf = (s: { body: unknown }) => {
  const b = s.body as { text?: { body: string }; interactive?: { body: { text: string } } };
  return b.text?.body ?? b.interactive?.body.text ?? '';
};
const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
  p.app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}` }, ...(payload ? { payload } : {}) });
const handled = async (from: string) => (await p.db.sql`SELECT status, status_note FROM inbound_messages WHERE chat_id = ${from} ORDER BY id`);
const openHandoff = async (chat: string) => (await p.db.sql<{ id: number; reason: string }[]>`SELECT id, reason FROM handoffs WHERE chat_id = ${chat} AND ended_at IS NULL`)[0];
const labelsOf = async (chat: string) => (await p.db.sql<{ labels: string[] }[]>`SELECT labels FROM guest_profiles WHERE phone_number = ${chat}`)[0]?.labels;

describe('a customer who asks for a person', () => {
  const customer = '573001230001';

  it('is told a person will answer, and the chat is paused, labelled and announced to the team', async () => {
    await say(customer, 'quiero hablar con un asesor por favor');
    expect(await until(() => sentTo(customer).length === 1)).toBe(true);
    expect(textOf(sentTo(customer)[0])).toContain('le aviso a una persona');
    const h = await openHandoff(customer);
    expect(h).toMatchObject({ reason: 'requested' });
    expect(await labelsOf(customer)).toContain('needs_human');

    // the operator's WhatsApp, with who and what, through the same durable outbox as any reply
    expect(await until(() => sentTo(OPERATOR).length === 1)).toBe(true);
    expect(textOf(sentTo(OPERATOR)[0])).toMatch(/Lucía Gómez \(\+573001230001\) pide hablar con una persona[\s\S]*quiero hablar con un asesor/);
    // and the team's webhook, once, marked as reached
    expect(await until(() => hookCalls.length === 1)).toBe(true);
    expect(hookCalls[0].body).toMatchObject({ event: 'handoff_started', handoff: { id: h.id, chatId: customer, reason: 'requested' } });
    expect(String(hookCalls[0].body.text)).toContain('pide hablar con una persona');
    expect(await until(async () => (await p.db.sql`SELECT notified_at FROM handoffs WHERE id = ${h.id}`)[0].notified_at !== null)).toBe(true);
  });

  it('keeps storing what the customer writes without the bot answering, and shows it to the operator', async () => {
    await say(customer, 'hola? sigo esperando');
    await say(customer, 'tienen camisas rojas?');
    expect(await until(async () => (await handled(customer)).filter((m) => m.status === 'skipped').length === 2)).toBe(true);
    expect((await handled(customer)).at(-1)!.status_note).toMatch(/handed off to a person/);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(customer)).toHaveLength(1);

    const { id } = await openHandoff(customer);
    const list = JSON.parse((await admin('GET', '/admin/api/handoffs')).body);
    expect(list.items).toEqual([expect.objectContaining({ id, chatId: customer, reason: 'requested', customerName: 'Lucía Gómez' })]);
    const one = JSON.parse((await admin('GET', `/admin/api/handoffs/${id}`)).body);
    expect(one.messages.filter((m: { direction: string }) => m.direction === 'in').map((m: { text: string }) => m.text)).toEqual([
      'quiero hablar con un asesor por favor', 'hola? sigo esperando', 'tienen camisas rojas?',
    ]);
  });

  it('lets the operator answer from the admin API, then give the chat back to the bot', async () => {
    const { id } = await openHandoff(customer);
    const answered = await admin('POST', `/admin/api/handoffs/${id}/reply`, { text: 'Hola Lucía, soy Carla. Sí tenemos camisas rojas.' });
    expect(answered.statusCode).toBe(202);
    expect(await until(() => sentTo(customer).length === 2)).toBe(true);
    expect(textOf(sentTo(customer)[1])).toBe('Hola Lucía, soy Carla. Sí tenemos camisas rojas.');

    expect((await admin('POST', `/admin/api/handoffs/${id}/resume`)).statusCode).toBe(200);
    expect((await admin('POST', `/admin/api/handoffs/${id}/resume`)).statusCode).toBe(409);
    expect((await admin('POST', `/admin/api/handoffs/${id}/reply`, { text: 'tarde' })).statusCode).toBe(409);
    expect(await labelsOf(customer)).not.toContain('needs_human');
    const [ended] = await p.db.sql`SELECT ended_by, ended_by_name, taken_by FROM handoffs WHERE id = ${id}`;
    // who answered and who resumed are named (the admin token's actor is 'admin')
    expect(ended).toEqual({ ended_by: 'operator', ended_by_name: 'admin', taken_by: 'admin' });
    expect((await p.db.sql`SELECT operator_name FROM outbox WHERE chat_id = ${customer} AND operator_name IS NOT NULL`).map((r) => r.operator_name)).toEqual(['admin']);

    await say(customer, 'gracias');
    expect(await until(() => sentTo(customer).length === 3)).toBe(true);
    expect(textOf(sentTo(customer)[2])).toContain('Con gusto');
  });

  it('answers bad admin requests with a reason', async () => {
    expect((await admin('GET', '/admin/api/handoffs/999999')).statusCode).toBe(404);
    expect((await admin('POST', '/admin/api/handoffs/999999/resume')).statusCode).toBe(404);
    expect((await admin('POST', '/admin/api/handoffs/abc/resume')).statusCode).toBe(400);
    const blank = await admin('POST', '/admin/api/handoffs/1/reply', { text: '   ' });
    expect(blank.statusCode).toBe(400);
    expect((await p.app.inject({ method: 'GET', url: '/admin/api/handoffs' })).statusCode).toBe(401);
    expect((await p.app.inject({ method: 'POST', url: '/admin/api/handoffs/1/resume' })).statusCode).toBe(401);
  });
});

describe('a customer the bot keeps misunderstanding', () => {
  const customer = '573001230002';

  it('is handed to a person on the third miss in a row, not shown the menu a third time', async () => {
    for (const [i, words] of ['xqzv plorf', 'blibber wuz', 'zzkrrt mnop'].entries()) {
      await say(customer, words);
      expect(await until(() => sentTo(customer).length === i + 1)).toBe(true);
    }
    expect(textOf(sentTo(customer)[0])).toContain('No estoy seguro de haber entendido');
    expect(textOf(sentTo(customer)[2])).toContain('Le paso tu conversación a una persona');
    expect(await openHandoff(customer)).toMatchObject({ reason: 'not_understood' });
    expect(await until(() => sentTo(OPERATOR).some((s) => textOf(s).includes('no logra que el bot le entienda')))).toBe(true);
  });

  it('counts misses in a row only: an understood message starts the count again', async () => {
    const other = '573001230003';
    for (const words of ['xqzv plorf', 'blibber wuz', 'gracias', 'zzkrrt mnop', 'qwxy trrp']) await say(other, words);
    expect(await until(() => sentTo(other).length === 5)).toBe(true);
    expect(await openHandoff(other)).toBeUndefined();
  });
});

describe('a handoff nobody resumes', () => {
  it('gives the chat back to the bot at its resume time', async () => {
    const customer = '573001230004';
    await say(customer, 'necesito hablar con una persona');
    expect(await until(() => sentTo(customer).length === 1)).toBe(true);
    const { id } = await openHandoff(customer);
    await p.db.sql`UPDATE handoffs SET resume_at = now() - interval '1 second' WHERE id = ${id}`;

    // the next message finds it overdue and is answered; the handoff is closed as timed out
    await say(customer, 'gracias');
    expect(await until(() => sentTo(customer).length === 2)).toBe(true);
    const [row] = await p.db.sql`SELECT ended_by FROM handoffs WHERE id = ${id}`;
    expect(row.ended_by).toBe('timeout');
    expect(await labelsOf(customer)).not.toContain('needs_human');
  });

  it('is closed by the maintenance housekeeping too, and a webhook that failed is tried again', async () => {
    const customer = '573001230005';
    hookStatus = 500;
    const before = hookCalls.length;
    await say(customer, 'quiero hablar con un humano');
    expect(await until(() => sentTo(customer).length === 1)).toBe(true);
    expect(await until(() => hookCalls.length === before + 1)).toBe(true);
    const { id } = await openHandoff(customer);
    expect((await p.db.sql`SELECT notified_at FROM handoffs WHERE id = ${id}`)[0].notified_at).toBeNull();

    hookStatus = 200;
    const notices = createHandoffNotices(p.rt.config, p.db.sql, p.rt.log);
    // a handoff just opened may have its first call still in flight: the retry leaves it alone
    expect(await notices.housekeeping()).toMatchObject({ notified: 0 });
    expect(hookCalls.length).toBe(before + 1);
    await p.db.sql`UPDATE handoffs SET started_at = now() - interval '1 minute' WHERE id = ${id}`;
    expect(await notices.housekeeping()).toMatchObject({ notified: 1 });
    expect((await p.db.sql`SELECT notified_at FROM handoffs WHERE id = ${id}`)[0].notified_at).not.toBeNull();

    await p.db.sql`UPDATE handoffs SET resume_at = now() - interval '1 second' WHERE id = ${id}`;
    expect(await notices.housekeeping()).toEqual({ resumed: 1, notified: 0 });
    expect(await openHandoff(customer)).toBeUndefined();
    const events = await p.db.sql`SELECT type, data FROM events WHERE chat_id = ${customer} AND type LIKE 'handoff%' ORDER BY id`;
    expect(events).toEqual([{ type: 'handoff_started', data: { reason: 'requested' } }, { type: 'handoff_ended', data: { by: 'timeout' } }]);
  });
});
