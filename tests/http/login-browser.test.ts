import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchGuestProfile } from '../../src/crm/profiles.ts';
import { createOperator } from '../../src/operators/operators.ts';
import { chromiumMissing, launchChromium } from '../support/chromium.ts';
import { insertHandoff } from '../support/dashboard-rows.ts';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// Signing in, in a real browser at a phone's width: a stranger is sent to the sign-in page, signs in, and
// lands where they were going; the page fits 390 px. Then another site (a page on another port of the
// same machine: same-site, so the SameSite=Lax cookie does ride along) makes the browser post to the
// admin API: a form giving a handed-off chat back to the bot (a route with no body, so Fastify's own
// text/plain parser would let it through) and a fetch adding a label. Both are refused, because the
// browser says where they come from.

const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts');
const CHAT = '573300000777';
const missing = chromiumMissing();
if (missing) console.warn(missing);

let p: Pipeline;
let base: string;
let attacker: LoopbackServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let handoffId: number;

const labels = async () => (await p.db.sql<{ labels: string[] }[]>`SELECT labels FROM guest_profiles WHERE phone_number = ${CHAT}`)[0].labels;

beforeAll(async () => {
  if (missing) return;
  p = await startPipeline({ workerSets: 0 });
  await createOperator(p.db.sql, { name: 'Ana', password: 'contraseña-de-ana-1', role: 'owner', createdBy: 'test' });
  await touchGuestProfile(p.db.sql, { phone: CHAT, chatId: CHAT, name: 'Marta', at: new Date() });
  handoffId = await insertHandoff(p.db.sql, { chat_id: CHAT, reason: 'requested', customer_name: 'Marta', last_message: 'una persona', startedMinutesAgo: 1 });
  base = await p.app.listen({ port: 0, host: '127.0.0.1' });
  const target = `${base}/admin/api/customers/${CHAT}/labels`;
  const resume = `${base}/admin/api/handoffs/${handoffId}/resume`;
  // the other site: one page posting a form at load, one calling fetch with the browser's cookies
  attacker = await startLoopbackServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (req.url === '/form') {
      res.end(`<form id="f" method="post" enctype="text/plain" action="${resume}"></form><script>document.getElementById('f').submit()</script>`);
    } else {
      res.end(`<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"add":["pirata"]}' })
        .then(() => { document.title = 'sent' }, () => { document.title = 'failed' })</script>`);
    }
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  page = await context.newPage();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await attacker?.close();
  await p?.stop();
});

describe.skipIf(missing)('signing in, in Chromium at 390 px', () => {
  it('sends a stranger to the sign-in page, which fits the phone', async () => {
    const response = await page.goto(`${base}/admin?refresh=60000`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await page.title()).toBe('Iniciar sesión · Asistente de WhatsApp');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the stylesheet loaded (no CSP refusal): the button is the brand's green
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('button')!).backgroundColor)).toBe('rgb(18, 140, 74)');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'login.png'), fullPage: true });
  });

  it('says so when the password is wrong, keeping the name', async () => {
    await page.fill('#name', 'Ana');
    await page.fill('#password', 'no-es-esta');
    await page.click('button[type=submit]');
    await page.waitForSelector('.alert');
    expect(await page.textContent('.alert')).toBe('Nombre o contraseña incorrectos.');
    expect(await page.inputValue('#name')).toBe('Ana');
  });

  it('signs in and lands where the stranger was going, with an HttpOnly cookie', async () => {
    await page.fill('#password', 'contraseña-de-ana-1');
    await Promise.all([page.waitForURL(`${base}/admin?refresh=60000`), page.click('button[type=submit]')]);
    expect(await page.title()).not.toContain('Iniciar sesión');
    const [cookie] = await context.cookies(`${base}/admin`);
    expect(cookie).toMatchObject({ name: 'wa_admin_session', httpOnly: true, sameSite: 'Lax', path: '/admin', secure: false });
    expect(await page.evaluate(() => document.cookie)).toBe(''); // no script can read it
  });

  it('lets the console\'s own page change things', async () => {
    const status = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"add":["desde-la-consola"]}' })).status, `/admin/api/customers/${CHAT}/labels`);
    expect(status).toBe(200);
    expect(await labels()).toEqual(['desde-la-consola']);
  });

  it('refuses the same call made from another site, by a form or by fetch, though the cookie rides along', async () => {
    const other = await context.newPage();
    const posted = other.waitForResponse((r) => r.url().includes('/resume'));
    await other.goto(`http://127.0.0.1:${attacker.port}/form`);
    const refused = await posted;
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('cross-site request refused');
    expect(refused.request().headers().cookie ?? (await refused.request().allHeaders()).cookie).toMatch(/wa_admin_session=/);
    await other.goto(`http://127.0.0.1:${attacker.port}/fetch`);
    await other.waitForFunction(() => document.title === 'sent' || document.title === 'failed');
    await other.close();
    expect(await labels()).toEqual(['desde-la-consola']);
    const [handoff] = await p.db.sql`SELECT ended_at FROM handoffs WHERE id = ${handoffId}`;
    expect(handoff.ended_at).toBeNull(); // the chat is still the person's
  });

  it('signs out', async () => {
    const status = await page.evaluate(async () => (await fetch('/admin/logout', { method: 'POST' })).status);
    expect(status).toBe(204);
    const response = await page.goto(`${base}/admin`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });
});
