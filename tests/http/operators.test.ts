import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchGuestProfile } from '../../src/crm/profiles.ts';
import { createOperator } from '../../src/operators/operators.ts';
import { insertHandoff } from '../support/dashboard-rows.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// Operators are people (issue 17): named accounts sign in on a page and get a session cookie; what they do
// carries their name; a browser's credentials cannot be used by another site; guessing passwords is slowed
// down per account and per address; ADMIN_TOKEN still opens everything for scripts and Prometheus.

let p: Pipeline;
const TOKEN = 'operators-admin-token';
const ANA = { name: 'Ana María', password: 'contraseña-de-ana-1' };
const BETO = { name: 'Beto', password: 'contraseña-de-beto-2' };
const HOST = 'consola.test';
const SAME = `http://${HOST}`;
const CHAT = '573300000101';

beforeAll(async () => {
  p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: TOKEN } });
  await createOperator(p.db.sql, { ...ANA, role: 'owner', createdBy: 'test' });
  await createOperator(p.db.sql, { ...BETO, role: 'operator', createdBy: 'test' });
  await touchGuestProfile(p.db.sql, { phone: CHAT, chatId: CHAT, name: 'Marta', at: new Date() });
  // Marta wrote a minute ago: a reply as a person is inside WhatsApp's 24-hour window
  await p.db.sql`INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, text, sent_at, status)
                 VALUES ('meta', 'wamid.operators.1', ${CHAT}, 'text', 'quiero hablar con una persona', now() - interval '1 minute', 'handled')`;
}, 30_000);
afterAll(async () => { await p?.stop(); });

let address = 0;
/** Each test signs in from its own address, so the per-address limit of one does not reach another. */
const newAddress = () => `198.51.100.${++address}`;

type Headers = Record<string, string>;
const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Headers = {}, payload?: unknown) =>
  p.app.inject({ method, url, headers: { host: HOST, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function signIn(who: { name: string; password: string }, ip = newAddress(), extra: Headers = {}) {
  const res = await inject('POST', '/admin/login', { ...FORM, origin: SAME, 'x-forwarded-for': ip, ...extra }, form({ ...who, next: '/admin' }));
  return res;
}
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0];

describe('the sign-in page', () => {
  it('is Spanish, phone-sized, self-contained, and posts to itself', async () => {
    const res = await inject('GET', '/admin/login', { accept: 'text/html' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('Iniciar sesión');
    expect(res.body).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(res.body).toMatch(/<form method="post" action="\/admin\/login">/);
    expect(res.body).not.toMatch(/https?:\/\//); // nothing from another site
    expect(res.body).not.toMatch(/<script/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("form-action 'self'");
    const css = await inject('GET', '/admin/login.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('sends a browser without a session from any admin page to it, and answers scripts with 401 JSON', async () => {
    for (const url of ['/admin', '/admin/queues', '/admin/?refresh=2000']) {
      const page = await inject('GET', url, { accept: 'text/html,application/xhtml+xml' });
      expect(page.statusCode, url).toBe(303);
      expect(page.headers.location).toBe(`/admin/login?next=${encodeURIComponent(url)}`);
    }
    for (const url of ['/admin/api/config', '/admin/api/me', '/metrics']) {
      const api = await inject('GET', url, { accept: 'text/html' });
      expect(api.statusCode, url).toBe(401);
      expect(JSON.parse(api.body).error).toMatch(/sign in at \/admin\/login/);
      expect(api.headers['www-authenticate']).toMatch(/^Bearer /); // no Basic: the browser must not pop its own dialog
    }
  });

  it('refuses a wrong password and an unknown name alike, in Spanish', async () => {
    const ip = newAddress();
    const wrong = await signIn({ name: ANA.name, password: 'no-es-la-contraseña' }, ip);
    const unknown = await signIn({ name: 'Nadie', password: 'no-es-la-contraseña' }, ip);
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Nombre o contraseña incorrectos.');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(wrong.body).toContain(`value="${ANA.name}"`); // the name is kept, the password is not
    expect(wrong.body).not.toContain('no-es-la-contraseña');
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, scoped to /admin, and not Secure over plain HTTP', async () => {
    const res = await signIn(ANA);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^wa_admin_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('; HttpOnly');
    expect(cookie).toContain('; SameSite=Lax');
    expect(cookie).toContain('; Path=/admin');
    expect(cookie).toMatch(/; Max-Age=604800\b/);
    expect(cookie).not.toContain('Secure');
  });

  it('is Secure when the request came over HTTPS through a proxy', async () => {
    const res = await signIn(ANA, newAddress(), { 'x-forwarded-proto': 'https', origin: `https://${HOST}` });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers['set-cookie'])).toContain('; Secure');
  });

  it('opens the pages and the API, and names the operator', async () => {
    const cookie = cookieOf(await signIn(BETO));
    const me = await inject('GET', '/admin/api/me', { cookie });
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ name: 'Beto', access: 'operator' });
    expect(JSON.parse(me.body).id).toEqual(expect.any(Number));
    expect((await inject('GET', '/admin', { cookie, accept: 'text/html' })).statusCode).toBe(200);
    expect((await inject('GET', '/admin/api/config', { cookie })).statusCode).toBe(200);
    // the sign-in page sends a signed-in browser straight on
    const again = await inject('GET', '/admin/login?next=%2Fadmin%2Fapi%2Fme', { cookie, accept: 'text/html' });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/admin/api/me');
  });

  it('is stored only as a hash, and opens nothing once its session is past its expiry', async () => {
    const res = await signIn(BETO);
    const cookie = cookieOf(res);
    const token = cookie.split('=')[1];
    const rows = await p.db.sql<{ hex: string }[]>`SELECT encode(token_hash, 'hex') AS hex FROM operator_sessions`;
    expect(rows.some((r) => r.hex.includes(Buffer.from(token).toString('hex')))).toBe(false);
    expect((await inject('GET', '/admin/api/me', { cookie })).statusCode).toBe(200);
    await p.db.sql`UPDATE operator_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = sha256(${token}::bytea)`;
    const expired = await inject('GET', '/admin/api/me', { cookie });
    expect(expired.statusCode).toBe(401);
    expect(String(expired.headers['set-cookie'])).toMatch(/^wa_admin_session=; .*Max-Age=0/); // and the browser forgets it
  });

  it('ends at sign-out: the same cookie opens nothing afterwards', async () => {
    const cookie = cookieOf(await signIn(BETO));
    expect((await inject('POST', '/admin/logout', { cookie, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await inject('GET', '/admin/api/me', { cookie })).statusCode).toBe(200);
    const out = await inject('POST', '/admin/logout', { cookie, origin: SAME, accept: 'text/html' });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/admin/login');
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await inject('GET', '/admin/api/me', { cookie })).statusCode).toBe(401);
  });

  it('does not send the browser anywhere but an admin page after signing in', async () => {
    for (const next of ['https://evil.example/', '//evil.example', '/webhooks/meta', '/admin\\@evil', '/admin/login']) {
      const res = await inject('POST', '/admin/login', { ...FORM, origin: SAME, 'x-forwarded-for': newAddress() }, form({ ...BETO, next }));
      expect(res.headers.location, next).toBe('/admin/chats');
    }
  });
});

describe('cross-site requests', () => {
  const labels = (headers: Headers) => inject('POST', `/admin/api/customers/${CHAT}/labels`, { 'content-type': 'application/json', ...headers }, { add: ['prueba'] });

  it('refuses a state-changing call with the session cookie unless the browser says it comes from the console', async () => {
    const cookie = cookieOf(await signIn(ANA));
    expect((await labels({ cookie })).statusCode).toBe(403); // a browser always says; saying nothing is not a browser
    expect((await labels({ cookie, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await labels({ cookie, origin: 'null' })).statusCode).toBe(403);
    expect((await labels({ cookie, 'sec-fetch-site': 'cross-site', origin: SAME })).statusCode).toBe(403);
    expect((await labels({ cookie, 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    const refused = await labels({ cookie, origin: 'https://evil.example' });
    expect(JSON.parse(refused.body).error).toMatch(/cross-site request refused/);
    expect((await labels({ cookie, origin: SAME })).statusCode).toBe(200);
    expect((await labels({ cookie, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    // reading needs no such proof: a GET changes nothing
    expect((await inject('GET', `/admin/api/customers/${CHAT}`, { cookie, origin: 'https://evil.example' })).statusCode).toBe(200);
  });

  it('refuses a cross-site call with remembered basic auth, and lets scripts through', async () => {
    const basic = `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`;
    expect((await labels({ authorization: basic, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await labels({ authorization: basic, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await labels({ authorization: basic })).statusCode).toBe(200); // curl -u
    // a bearer token is never attached by a browser on its own: whatever the origin, it is a script
    expect((await labels({ authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' })).statusCode).toBe(200);
  });

  it('refuses a sign-in posted from another site', async () => {
    const res = await inject('POST', '/admin/login', { ...FORM, origin: 'https://evil.example', 'x-forwarded-for': newAddress() }, form(ANA));
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('failed sign-ins', () => {
  it('lock the account after a few, doubling, and refuse even the right password while locked', async () => {
    const ip = newAddress();
    const wrong = { name: BETO.name, password: 'adivinando-123' };
    for (let i = 0; i < 3; i++) expect((await signIn(wrong, ip)).statusCode).toBe(401);
    const fourth = await signIn(wrong, ip);
    expect(fourth.statusCode).toBe(401);
    expect(fourth.headers['retry-after']).toBe('1');
    expect(fourth.body).toContain('Espera 1 s');
    // from another address too: the lock is the account's
    const locked = await signIn(BETO, newAddress());
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Demasiados intentos fallidos');
    expect(locked.headers['set-cookie']).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    const fifth = await signIn(wrong, ip);
    expect(fifth.headers['retry-after']).toBe('2'); // twice as long as the one before
    await new Promise((r) => setTimeout(r, 2100));
    const right = await signIn(BETO, ip);
    expect(right.statusCode).toBe(303);
    // a success clears the account's count: the next mistake costs nothing
    expect((await signIn(wrong, ip)).headers['retry-after']).toBeUndefined();
  }, 40_000);

  it('lock an address that tries many names, whatever the names', async () => {
    const ip = newAddress();
    // at once: the count is one atomic Redis script per failure, and the checks share scrypt's thread pool
    const attempts = await Promise.all(Array.from({ length: 21 }, (_, i) => signIn({ name: `persona${i}`, password: 'adivinando-123' }, ip)));
    expect(attempts.map((a) => a.statusCode)).toEqual(attempts.map(() => 401));
    const json = await inject('POST', '/admin/login', { 'content-type': 'application/json', 'x-forwarded-for': ip }, ANA);
    expect(json.statusCode).toBe(429);
    expect(JSON.parse(json.body).error).toMatch(/too many failed sign-ins/);
    expect((await signIn(ANA, newAddress())).statusCode).toBe(303); // Ana from elsewhere is not held up
  }, 60_000);
});

describe('ADMIN_TOKEN', () => {
  it('still opens everything as a bearer token or a basic-auth password, named ADMIN_TOKEN', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`]) {
      const me = await inject('GET', '/admin/api/me', { authorization });
      expect(JSON.parse(me.body)).toEqual({ id: null, name: 'ADMIN_TOKEN', access: 'token' });
      expect((await inject('GET', '/metrics', { authorization })).statusCode).toBe(200);
      expect((await inject('GET', '/admin/queues', { authorization, accept: 'text/html' })).statusCode).toBe(200);
    }
    // a wrong one is refused even with a good cookie beside it
    const cookie = cookieOf(await signIn(ANA));
    expect((await inject('GET', '/admin/api/me', { authorization: 'Bearer nope', cookie })).statusCode).toBe(401);
  });
});

describe("the operator's name on what they do", () => {
  it('is recorded on a reply, a resume, a label change and a setting', async () => {
    const cookie = cookieOf(await signIn(ANA));
    const same = { cookie, origin: SAME, 'content-type': 'application/json' };
    const id = await insertHandoff(p.db.sql, { chat_id: CHAT, reason: 'requested', customer_name: 'Marta', last_message: 'una persona', startedMinutesAgo: 1 });

    expect((await inject('POST', `/admin/api/handoffs/${id}/reply`, same, { text: 'Hola Marta, soy Ana' })).statusCode).toBe(202);
    const [reply] = await p.db.sql`SELECT operator_name FROM outbox WHERE chat_id = ${CHAT} AND content->>'text' = 'Hola Marta, soy Ana'`;
    expect(reply.operator_name).toBe('Ana María');

    expect((await inject('POST', `/admin/api/customers/${CHAT}/labels`, same, { add: ['vip'], remove: ['prueba'] })).statusCode).toBe(200);
    const [label] = await p.db.sql`SELECT data FROM events WHERE type = 'labels_changed' AND chat_id = ${CHAT} ORDER BY id DESC LIMIT 1`;
    expect(label.data).toEqual({ add: ['vip'], remove: ['prueba'], operator: 'Ana María' });

    expect((await inject('POST', `/admin/api/handoffs/${id}/resume`, same, {})).statusCode).toBe(200);
    const [handoff] = await p.db.sql`SELECT ended_by, ended_by_name FROM handoffs WHERE id = ${id}`;
    expect(handoff).toEqual({ ended_by: 'operator', ended_by_name: 'Ana María' });
    const [ended] = await p.db.sql`SELECT data FROM events WHERE type = 'handoff_ended' AND chat_id = ${CHAT} ORDER BY id DESC LIMIT 1`;
    expect(ended.data).toEqual({ by: 'operator', operator: 'Ana María' });

    expect((await inject('PUT', '/admin/api/config/use_ai_providers', same, { value: 'true' })).statusCode).toBe(200);
    const items = JSON.parse((await inject('GET', '/admin/api/config', { cookie })).body).items;
    expect(items.find((i: { key: string }) => i.key === 'use_ai_providers')).toMatchObject({ updatedBy: 'Ana María' });

    // and a script's, as ADMIN_TOKEN
    await inject('PUT', '/admin/api/config/use_ai_providers', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, { value: 'true' });
    const [setting] = await p.db.sql`SELECT updated_by FROM system_config WHERE key = 'use_ai_providers'`;
    expect(setting.updated_by).toBe('ADMIN_TOKEN');
  });
});

describe('accounts over the admin API', () => {
  it('are listed, created and removed by an owner or ADMIN_TOKEN only; the last owner stays', async () => {
    const owner = { cookie: cookieOf(await signIn(ANA)), origin: SAME, 'content-type': 'application/json' };
    const operator = { cookie: cookieOf(await signIn(BETO)), origin: SAME, 'content-type': 'application/json' };
    expect((await inject('GET', '/admin/api/operators', operator)).statusCode).toBe(403);
    expect((await inject('POST', '/admin/api/operators', operator, { name: 'Caro', password: 'contraseña-caro-3' })).statusCode).toBe(403);

    const created = await inject('POST', '/admin/api/operators', owner, { name: 'Caro', password: 'contraseña-caro-3' });
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ name: 'Caro', role: 'operator', createdBy: 'Ana María' });
    expect(JSON.parse(created.body).passwordHash).toBeUndefined();
    expect((await inject('POST', '/admin/api/operators', owner, { name: 'caro', password: 'contraseña-caro-3' })).statusCode).toBe(409);
    const short = await inject('POST', '/admin/api/operators', owner, { name: 'Dani', password: 'corta' });
    expect(short.statusCode).toBe(400);
    expect(JSON.parse(short.body).error).toMatch(/at least 10 characters/);
    expect((await inject('POST', '/admin/api/operators', owner, { name: '<script>', password: 'contraseña-larga-4' })).statusCode).toBe(400);

    const list = JSON.parse((await inject('GET', '/admin/api/operators', { authorization: `Bearer ${TOKEN}` })).body).items;
    expect(list.map((o: { name: string }) => o.name)).toEqual(['Ana María', 'Beto', 'Caro']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt/);

    const del = { cookie: owner.cookie, origin: SAME };
    const caroCookie = cookieOf(await signIn({ name: 'Caro', password: 'contraseña-caro-3' }));
    const caro = list.find((o: { name: string }) => o.name === 'Caro');
    expect((await inject('DELETE', `/admin/api/operators/${caro.id}`, del)).statusCode).toBe(204);
    expect((await inject('GET', '/admin/api/me', { cookie: caroCookie })).statusCode).toBe(401); // her sessions went with her
    const ana = list.find((o: { name: string }) => o.name === 'Ana María');
    const last = await inject('DELETE', `/admin/api/operators/${ana.id}`, del);
    expect(last.statusCode).toBe(409);
    expect(JSON.parse(last.body).error).toMatch(/last owner/);
  }, 20_000);

  it('let an operator change their own password, which ends their other sessions', async () => {
    const first = cookieOf(await signIn(BETO));
    const second = cookieOf(await signIn(BETO));
    const me = JSON.parse((await inject('GET', '/admin/api/me', { cookie: first })).body);
    const res = await inject('PUT', `/admin/api/operators/${me.id}/password`, { cookie: first, origin: SAME, 'content-type': 'application/json' }, { password: 'nueva-contraseña-beto' });
    expect(res.statusCode).toBe(204);
    expect((await inject('GET', '/admin/api/me', { cookie: first })).statusCode).toBe(200);
    expect((await inject('GET', '/admin/api/me', { cookie: second })).statusCode).toBe(401);
    expect((await signIn({ name: 'Beto', password: 'nueva-contraseña-beto' })).statusCode).toBe(303);
    // another's password is an owner's business
    const [ana] = await p.db.sql`SELECT id FROM operators WHERE name = 'Ana María'`;
    expect((await inject('PUT', `/admin/api/operators/${ana.id}/password`, { cookie: first, origin: SAME, 'content-type': 'application/json' }, { password: 'otra-contraseña-ana' })).statusCode).toBe(403);
    BETO.password = 'nueva-contraseña-beto';
  }, 20_000);
});
