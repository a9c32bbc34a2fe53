import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnService, type ServiceProcess } from '../support/spawn-service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, until } from '../support/test-runtime.ts';

// The first run (issue 17): `npm start` on a fresh database says where the console and the bot simulator
// are, which webhooks listen, which provider sends, and, with no ADMIN_TOKEN and no account, prints a
// one-time link that creates the owner's account. With an account it says where to sign in instead.

let db: TestDatabase;
const prefixes: string[] = [];
const running: ServiceProcess[] = [];
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const prefix of prefixes) await dropQueuePrefix(prefix);
  await db?.drop();
});

/** `npm start` (every role in one process) with this environment, until its summary is out; then stopped. */
async function firstLines(env: Record<string, string> = {}): Promise<{ output: string; port: number; service: ServiceProcess }> {
  const prefix = newQueuePrefix();
  prefixes.push(prefix);
  // no ADMIN_TOKEN, META_* or WHAPI_* from the test's own environment: a newcomer's machine has none
  const service = await spawnService({ DATABASE_URL: db.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', ADMIN_TOKEN: '', META_APP_SECRET: '', META_VERIFY_TOKEN: '', WHAPI_WEBHOOK_TOKEN: '', WHATSAPP_PROVIDER: '', ...env });
  running.push(service);
  expect(await until(() => /"msg":"ready"/.test(service.output()), 15_000)).toBe(true);
  return { output: service.output(), port: service.port, service };
}

async function stop(service: ServiceProcess) {
  service.child.kill('SIGTERM');
  await service.exited;
}

describe('npm start on a fresh install', () => {
  it('prints the console, the simulator, the provider, the webhooks, and a one-time setup link that works once', async () => {
    const { output, port, service } = await firstLines();
    const base = `http://127.0.0.1:${port}`;
    const plain = output.split('\n').filter((l) => !l.startsWith('{')).join('\n');
    expect(plain).toContain('WhatsApp assistant started (web and every worker stage in one process)');
    expect(plain).toContain(`  console        ${base}/admin/chats`);
    expect(plain).toContain(`  bot simulator  ${base}/admin/simulator`);
    expect(plain).toContain(`  dashboard      ${base}/admin    queues ${base}/admin/queues`);
    expect(plain).toContain('  provider sandbox: replies are recorded in the outbox and sent nowhere; talk to the bot in the simulator');
    expect(plain).toContain('  webhook  /webhooks/meta is off: set META_APP_SECRET and META_VERIFY_TOKEN');
    expect(plain).toContain('  webhook  /webhooks/whapi/:token is off: set WHAPI_WEBHOOK_TOKEN');
    expect(plain).toContain('  AI: none configured, keyword understanding only');
    expect(plain).toContain('  first run: no operator account yet.');
    const link = new RegExp(`^    (${base}/admin/setup\\?token=[A-Za-z0-9_-]{32})$`, 'm').exec(plain)?.[1];
    expect(link, plain).toBeDefined();

    // the JSON log says the same, without the setup token
    const ready = JSON.parse(output.split('\n').find((l) => l.includes('"msg":"ready"'))!);
    expect(ready).toMatchObject({ role: 'all', provider: 'sandbox', webhooks: [], console: `${base}/admin/chats`, simulator: `${base}/admin/simulator`, signIn: 'setup link' });
    expect(JSON.stringify(ready)).not.toContain('token=');

    // the link opens the form; the form creates the owner and signs them in
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Crear la primera cuenta');
    const token = new URL(link!).searchParams.get('token')!;
    const post = (fields: Record<string, string>) => fetch(`${base}/admin/setup`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: new URLSearchParams(fields),
    });
    const mismatch = await post({ token, name: 'Dueña', password: 'una-contraseña-larga', confirm: 'otra-contraseña-larga' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('Las dos contraseñas no coinciden.');
    const wrong = await post({ token: 'not-the-token', name: 'Dueña', password: 'una-contraseña-larga', confirm: 'una-contraseña-larga' });
    expect(wrong.status).toBe(403);
    const created = await post({ token, name: 'Dueña', password: 'una-contraseña-larga', confirm: 'una-contraseña-larga' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/admin/chats');
    const cookie = created.headers.get('set-cookie')!.split(';')[0];
    const me = await fetch(`${base}/admin/api/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ name: 'Dueña', access: 'owner' });
    // once: the link is spent, and setup is closed for good
    const again = await post({ token, name: 'Intrusa', password: 'una-contraseña-larga', confirm: 'una-contraseña-larga' });
    expect(again.status).toBe(409);
    expect((await fetch(link!)).status).toBe(409);
    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM operators`;
    expect(n).toBe(1);
    await stop(service);
  }, 40_000);

  it('once an account exists, says where to sign in and makes no link', async () => {
    const { output, port, service } = await firstLines();
    expect(output).toContain(`  sign in at http://127.0.0.1:${port}/admin/login`);
    expect(output).not.toContain('/admin/setup');
    expect((await db.sql`SELECT count(*)::int AS n FROM operator_setup_tokens`)[0].n).toBe(0);
    await stop(service);
  }, 30_000);

  it('with ADMIN_TOKEN and no account, offers the token as the setup credential instead of a link', async () => {
    await db.sql`DELETE FROM operators`;
    const { output, port, service } = await firstLines({ ADMIN_TOKEN: 'first-run-admin-token', META_APP_SECRET: 's', META_VERIFY_TOKEN: 'v' });
    expect(output).toContain(`  no operator account yet: create the first at http://127.0.0.1:${port}/admin/setup with ADMIN_TOKEN`);
    expect(output).not.toContain('setup?token=');
    expect(output).toContain(`  webhook  http://127.0.0.1:${port}/webhooks/meta  (Meta; verify token META_VERIFY_TOKEN)`);
    expect(output).not.toContain('first-run-admin-token');
    const res = await fetch(`http://127.0.0.1:${port}/admin/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'first-run-admin-token', name: 'Dueño', password: 'una-contraseña-larga' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ operator: { name: 'Dueño', role: 'owner' } });
    await stop(service);
  }, 30_000);

  it('a worker-only process says its stages and provider, and no address', async () => {
    const prefix = newQueuePrefix();
    prefixes.push(prefix);
    const worker = await spawnService({ DATABASE_URL: db.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', WORKER_STAGES: 'outbound' }, ['--role', 'worker'], false);
    running.push(worker);
    expect(await until(() => /"msg":"ready"/.test(worker.output()), 15_000)).toBe(true);
    expect(worker.output()).toContain('WhatsApp assistant started (worker: outbound)');
    expect(worker.output()).not.toContain('console ');
    await stop(worker);
  }, 40_000);
});
