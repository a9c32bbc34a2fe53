import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchGuestProfile } from '../../src/crm/profiles.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// The admin API: closed to anyone without ADMIN_TOKEN (bearer or basic-auth password), and every bad
// request answered with a 4xx and a reason.

let p: Pipeline;
const TOKEN = 'test-admin-token';
beforeAll(async () => {
  p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: TOKEN } });
  await touchGuestProfile(p.db.sql, { phone: '573300000001', chatId: '573300000001@s.whatsapp.net', name: 'Marta', at: new Date() });
});
afterAll(async () => { await p?.stop(); });

const bearer = { authorization: `Bearer ${TOKEN}` };
const basic = { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` };
const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  p.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('admin API authentication', () => {
  for (const url of ['/admin/api/config', '/admin/api/knowledge', '/admin/api/customers/573300000001', '/admin/api/guests?label=x', '/metrics']) {
    it(`refuses ${url} without credentials, with a wrong token, and with a wrong basic password`, async () => {
      expect((await call('GET', url)).statusCode).toBe(401);
      expect((await call('GET', url, { authorization: 'Bearer nope' })).statusCode).toBe(401);
      expect((await call('GET', url, { authorization: `Basic ${Buffer.from(`admin:nope`).toString('base64')}` })).statusCode).toBe(401);
      expect((await call('GET', url, bearer)).statusCode).toBe(200);
      expect((await call('GET', url, basic)).statusCode).toBe(200);
    });
  }
});

describe('customers and labels', () => {
  it('shows the profile, tier and session', async () => {
    const res = await call('GET', '/admin/api/customers/573300000001', bearer);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.profile).toMatchObject({ phoneNumber: '573300000001', userName: 'Marta', labels: [] });
    expect(body.session).toMatchObject({ state: 'idle' });
    expect((await call('GET', '/admin/api/customers/573399999999', bearer)).statusCode).toBe(404);
    expect((await call('GET', '/admin/api/customers/not-a-phone', bearer)).statusCode).toBe(400);
  });

  it('adds and removes labels, and finds guests by label', async () => {
    let res = await call('POST', '/admin/api/customers/573300000001/labels', bearer, { add: ['vip', 'cotización'] });
    expect(JSON.parse(res.body)).toEqual({ labels: ['vip', 'cotización'] });
    res = await call('POST', '/admin/api/customers/573300000001/labels', bearer, { remove: ['VIP'] });
    expect(JSON.parse(res.body)).toEqual({ labels: ['cotización'] });
    res = await call('GET', '/admin/api/guests?label=cotizaci%C3%B3n', bearer);
    expect(JSON.parse(res.body).items.map((g: { phoneNumber: string }) => g.phoneNumber)).toEqual(['573300000001']);
    expect((await call('POST', '/admin/api/customers/573300000001/labels', bearer, { add: [''] })).statusCode).toBe(400);
    expect((await call('POST', '/admin/api/customers/573300000001/labels', bearer, {})).statusCode).toBe(400);
  });

  it('finds guests by label whatever the case, as the labels are a case-insensitive set (issue 13)', async () => {
    await call('POST', '/admin/api/customers/573300000001/labels', bearer, { add: ['VIP'] });
    const phones = async (label: string) => JSON.parse((await call('GET', `/admin/api/guests?label=${encodeURIComponent(label)}`, bearer)).body).items.map((g: { phoneNumber: string }) => g.phoneNumber);
    expect(await phones('vip')).toEqual(['573300000001']);
    expect(await phones('Vip')).toEqual(['573300000001']);
    expect(await phones('COTIZACIÓN')).toEqual(['573300000001']);
    expect(await phones('nadie')).toEqual([]);
    await call('POST', '/admin/api/customers/573300000001/labels', bearer, { remove: ['vip'] });
  });
});

describe('run-time settings', () => {
  it('are listed, read and changed, and a bad value for a known switch is refused', async () => {
    const list = JSON.parse((await call('GET', '/admin/api/config', bearer)).body).items.map((i: { key: string }) => i.key);
    expect(list).toEqual(expect.arrayContaining(['use_ai_providers', 'use_redis_sessions']));
    expect(JSON.parse((await call('PUT', '/admin/api/config/use_ai_providers', bearer, { value: 'false' })).body)).toEqual({ key: 'use_ai_providers', value: 'false' });
    expect(JSON.parse((await call('GET', '/admin/api/config/use_ai_providers', bearer)).body).value).toBe('false');
    const bad = await call('PUT', '/admin/api/config/use_ai_providers', bearer, { value: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/must be true or false/);
    expect((await call('GET', '/admin/api/config/nothing_here', bearer)).statusCode).toBe(404);
  });

  it('refuses a setting name nothing reads, naming the settings (issue 13: a typo was stored)', async () => {
    const typo = await call('PUT', '/admin/api/config/typo_key', bearer, { value: 'false' });
    expect(typo.statusCode).toBe(400);
    expect(JSON.parse(typo.body)).toMatchObject({ error: expect.stringMatching(/^no setting named typo_key; the settings are .*use_redis_sessions/), settings: expect.arrayContaining(['use_ai_providers', 'use_redis_sessions']) });
    expect((await call('PUT', '/admin/api/config/use_redis_session', bearer, { value: 'false' })).statusCode).toBe(400);
    expect((await call('GET', '/admin/api/config/typo_key', bearer)).statusCode).toBe(404);
  });
});

describe('business knowledge', () => {
  it('adds, replaces, lists in order and deletes topics', async () => {
    expect((await call('PUT', '/admin/api/knowledge/horario', bearer, { content: ' Lunes a sábado de 8 a 6 ', sortOrder: 1 })).statusCode).toBe(200);
    expect((await call('PUT', '/admin/api/knowledge/envios', bearer, { content: 'A todo Colombia' })).statusCode).toBe(200);
    expect((await call('PUT', '/admin/api/knowledge/horario', bearer, { content: 'Lunes a domingo de 8 a 6', sortOrder: 1 })).statusCode).toBe(200);
    const list = JSON.parse((await call('GET', '/admin/api/knowledge', bearer)).body).items;
    expect(list.map((k: { topic: string; content: string }) => [k.topic, k.content])).toEqual([['horario', 'Lunes a domingo de 8 a 6'], ['envios', 'A todo Colombia']]);
    expect((await call('DELETE', '/admin/api/knowledge/envios', bearer)).statusCode).toBe(204);
    expect((await call('DELETE', '/admin/api/knowledge/envios', bearer)).statusCode).toBe(404);
  });
  it('refuses bad topics and blank or oversized content with a reason, and without a token', async () => {
    for (const [url, body] of [
      ['/admin/api/knowledge/Horario%20Largo', { content: 'x' }],
      ['/admin/api/knowledge/horario', { content: '   ' }],
      ['/admin/api/knowledge/horario', { content: 'x'.repeat(4001) }],
      ['/admin/api/knowledge/horario', { texto: 'x' }],
    ] as const) {
      const res = await call('PUT', url, bearer, body);
      expect(res.statusCode, url).toBe(400);
      expect(JSON.parse(res.body).message ?? JSON.parse(res.body).error).toBeTruthy();
    }
    expect((await call('PUT', '/admin/api/knowledge/horario', {}, { content: 'x' })).statusCode).toBe(401);
  });
});

describe('bull-board', () => {
  it('is closed without credentials, page and API alike, and shows every pipeline queue to an admin', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      expect((await call('GET', url)).statusCode).toBe(401);
      expect((await call('GET', url, { authorization: 'Bearer nope' })).statusCode).toBe(401);
    }
    expect((await call('GET', '/admin/queues', basic)).statusCode).toBe(200);
    const api = await call('GET', '/admin/queues/api/queues', bearer);
    expect(api.statusCode).toBe(200);
    const names = (JSON.parse(api.body).queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['converse', 'ingest', 'maintenance', 'outbound']);
  });
});
