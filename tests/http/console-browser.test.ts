import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../src/operators/operators.ts';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { chromiumMissing, launchChromium } from '../support/chromium.ts';
import { graphErrorBody } from '../support/fake-graph.ts';
import { metaContact, metaEnvelope, metaMedia, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// The console in a real browser, against the whole pipeline (signed webhooks in, the fake Graph API out):
// the conversation list and its search, a chat, a reply as a person reaching the provider, taking a chat
// and giving it back, the failed sends, and the simulator buying from the demo catalogue. Every page is
// photographed at a phone's width (390 px) and a desk's, and must not scroll sideways on the phone.

const TOKEN = 'console-browser-token';
const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'console');
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 900 };

const MARTA = '573660000001';
const CARLOS = '573660000002';
const LUISA = '573660000003';

const missing = chromiumMissing();
if (missing) console.warn(missing);

let p: Pipeline;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const settled = () => until(async () => (await p.db.sql`SELECT 1 FROM inbound_messages WHERE status IN ('received', 'ingested')`).length === 0
  && (await p.db.sql`SELECT 1 FROM outbox WHERE status = 'pending'`).length === 0, 15_000);

async function say(from: string, body: string, name: string) {
  expect((await p.postMeta(metaEnvelope([metaTextMessage({ from, id: `wamid.browser.${from}.${Date.now()}.${Math.random()}`, body, name })]))).status).toBe(200);
  expect(await settled()).toBe(true);
}

/** The page's own refresh counter moves on: what is on screen is what the API said after the change. */
async function nextRefresh(target: Page = page) {
  const seen = await target.evaluate(() => Number(document.body.dataset.updates ?? 0));
  await target.waitForFunction((n) => Number(document.body.dataset.updates ?? 0) > n, seen, { timeout: 10_000 });
}

async function photograph(name: string, target: Page = page) {
  await mkdir(ARTIFACTS, { recursive: true });
  const sizes = [['phone', PHONE], ['desk', DESK]] as const;
  for (const [label, size] of sizes) {
    await target.setViewportSize(size);
    await target.waitForTimeout(150);
    if (label === 'phone') {
      // nothing may make a phone scroll sideways
      const width = await target.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${name} is ${width} px wide at 390 px`).toBeLessThanOrEqual(PHONE.width);
    }
    const path = join(ARTIFACTS, `${name}-${label}.png`);
    await target.screenshot({ path, fullPage: true });
    const png = await readFile(path);
    expect(png.readUInt32BE(16)).toBe(size.width);
    expect(png.length).toBeGreaterThan(10_000);
  }
  await target.setViewportSize(DESK);
}

beforeAll(async () => {
  if (missing) return;
  p = await startPipeline({ env: { ADMIN_TOKEN: TOKEN, MESSAGE_BUFFER_MS: '0' } });
  const file = join(import.meta.dirname, '..', '..', 'data', 'demo-catalogue.json');
  const report = await importCatalogue(p.db.sql, readCatalogue(file, await readFile(file, 'utf8')));
  expect(report.rejected).toBe(0);
  await refreshCatalogueViews(p.db.sql);
  await say(LUISA, 'hola', 'Luisa Fernanda');
  // the bot's answer to Carlos is refused: it shows in the chat and among the failed sends
  p.graph.failNext(1, { status: 400, body: graphErrorBody(131026, 'Message undeliverable') });
  await say(CARLOS, 'buenas, ¿hacen envíos a Cali?', 'Carlos');
  await say(MARTA, 'hola', 'Marta Gómez');
  await say(MARTA, 'busco tenis blancos', 'Marta Gómez');
  await p.postMeta(metaEnvelope([metaMedia({ from: MARTA, id: 'wamid.browser.photo', type: 'image', mediaId: 'no-such-media', mimeType: 'image/jpeg', caption: 'como estos' })], { contacts: [metaContact(MARTA, 'Marta Gómez')] }));
  expect(await settled()).toBe(true);
  await p.db.sql`UPDATE guest_profiles SET labels = '["VIP"]' WHERE phone_number = ${MARTA}`;
  base = await p.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  // the people who answer chats sign in with their own account: their name goes on what they do
  expect((await createOperator(p.db.sql, { name: 'Ana', password: 'contraseña-de-ana-1', role: 'operator', createdBy: 'test' })).ok).toBe(true);
  context = await browser.newContext({ viewport: DESK, locale: 'es-CO' });
  page = await context.newPage();
  await page.goto(`${base}/admin/login`);
  await page.fill('#name', 'Ana');
  await page.fill('#password', 'contraseña-de-ana-1');
  await Promise.all([page.waitForURL(`${base}/admin/chats`), page.click('button[type=submit]')]);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40\d/.test(m.text())) pageErrors.push(m.text()); });
  // a poll still in flight when the page navigates away is aborted by the browser: not a failure of the page
  page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') pageErrors.push(`${r.url()} ${r.failure()?.errorText}`); });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

describe.skipIf(missing)('the console in Chromium', () => {
  it('lists the conversations, newest first, and narrows them by search and label', async () => {
    expect((await page.goto(`${base}/admin/chats`))?.status()).toBe(200);
    await page.waitForSelector('#chats li[data-chat-id]');
    const order = () => page.locator('#chats li[data-chat-id]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.chatId));
    expect(await order()).toEqual([MARTA, CARLOS, LUISA]);
    const marta = page.locator(`li[data-chat-id="${MARTA}"]`);
    expect(await marta.textContent()).toContain('Marta Gómez');
    expect(await marta.textContent()).toContain(`+${MARTA}`); // the full number, for the operator to call
    expect(await marta.textContent()).toContain('VIP');
    expect(await marta.locator('.badge.unread').textContent()).toBe('3');
    expect(await marta.locator('.badge.bot').count()).toBe(1);

    await page.fill('#search', 'cali');
    await expect.poll(order).toEqual([CARLOS]); // words the customer wrote
    await page.fill('#search', 'luisa');
    await expect.poll(order).toEqual([LUISA]);
    await page.fill('#search', '');
    await expect.poll(order).toEqual([MARTA, CARLOS, LUISA]);
    await marta.locator('.label', { hasText: 'VIP' }).click();
    await expect.poll(order).toEqual([MARTA]);
    expect(page.url()).toContain('label=VIP');
    await page.goto(`${base}/admin/chats`);
    await page.waitForSelector('#chats li[data-chat-id]');
    await photograph('conversaciones');
  });

  it('follows new messages without a reload', async () => {
    await page.goto(`${base}/admin/chats`);
    await page.waitForSelector('#chats li[data-chat-id]');
    await say(LUISA, 'quiero ver el catálogo', 'Luisa Fernanda');
    await expect.poll(() => page.locator('#chats li[data-chat-id]').first().getAttribute('data-chat-id'), { timeout: 10_000 }).toBe(LUISA);
  });

  it('opens a chat: the whole history, the customer beside it, and the unread count cleared', async () => {
    await page.goto(`${base}/admin/chats`);
    await page.click(`li[data-chat-id="${MARTA}"] a`);
    await page.waitForURL(`**/admin/chats/${MARTA}`);
    await page.waitForSelector('#thread .bubble');
    expect(await page.textContent('#name')).toBe('Marta Gómez');
    expect(await page.getAttribute('#number a', 'href')).toBe(`tel:+${MARTA}`);
    const thread = await page.textContent('#thread');
    expect(thread).toContain('busco tenis blancos');
    expect(thread).toContain('Imagen');
    expect(thread).toContain('como estos');
    expect(await page.locator('#thread .bubble.out .by', { hasText: 'Bot' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#thread .ticks[data-status="sent"]').count()).toBeGreaterThan(0);
    expect(await page.textContent('#labels')).toContain('VIP');
    expect(await page.textContent('#profile')).toContain(`+${MARTA}`);
    await expect.poll(async () => (await p.db.sql`SELECT read_by FROM chat_reads WHERE chat_id = ${MARTA}`)[0]?.read_by, { timeout: 10_000 }).toBe('Ana');
  });

  it('shows a refused reply with the provider’s reason', async () => {
    await page.goto(`${base}/admin/chats/${CARLOS}`);
    await page.waitForSelector('#thread .refused');
    expect(await page.textContent('#thread .refused')).toMatch(/No llegó al cliente: No entregable.*131026/);
  });

  it('sends a reply as a person that reaches the provider, and the bot then stays quiet', async () => {
    await page.goto(`${base}/admin/chats/${MARTA}`);
    await page.waitForSelector('#thread .bubble');
    const before = sentTo(MARTA).length;
    await page.fill('#reply', 'Hola Marta, te escribe Ana. Ya te busco los tenis <b>blancos</b>.');
    await page.click('#send');
    await expect.poll(() => sentTo(MARTA).length, { timeout: 10_000 }).toBe(before + 1);
    expect(sentTo(MARTA).at(-1)!.body).toMatchObject({ type: 'text', text: { body: 'Hola Marta, te escribe Ana. Ya te busco los tenis <b>blancos</b>.' } });
    await page.waitForSelector('#thread .bubble.out.person');
    expect(await page.textContent('#thread .bubble.out.person .by')).toBe('Ana');
    expect(await page.locator('#thread .bubble b').count()).toBe(0); // what people write is text, never HTML
    await expect.poll(() => page.textContent('#holder')).toContain('Persona: Ana');
    expect(await page.textContent('#thread')).toContain('Ana tomó la conversación');

    const replies = sentTo(MARTA).length;
    await say(MARTA, 'gracias Ana', 'Marta Gómez');
    expect(sentTo(MARTA).length).toBe(replies);
    await expect.poll(() => page.textContent('#thread'), { timeout: 10_000 }).toContain('El bot no respondió: la conversación la tenía una persona.');
    await photograph('conversacion');
  });

  it('gives the chat back to the bot and takes another from it', async () => {
    await page.goto(`${base}/admin/chats/${MARTA}`);
    await page.waitForSelector('#resume:not([hidden])');
    await page.click('#resume');
    await expect.poll(() => page.textContent('#holder')).toBe('Bot');
    expect(await page.textContent('#thread')).toContain('Ana devolvió la conversación al bot');
    const replies = sentTo(MARTA).length;
    await say(MARTA, 'quiero ver el catálogo', 'Marta Gómez');
    expect(sentTo(MARTA).length).toBe(replies + 1);

    await page.goto(`${base}/admin/chats/${LUISA}`);
    await page.waitForSelector('#take:not([hidden])');
    await page.click('#take');
    await expect.poll(() => page.textContent('#holder')).toContain('Persona: Ana');
    const [h] = await p.db.sql`SELECT reason, taken_by, pauses_bot FROM handoffs WHERE chat_id = ${LUISA} AND ended_at IS NULL`;
    expect(h).toEqual({ reason: 'taken', taken_by: 'Ana', pauses_bot: true });
    const quiet = sentTo(LUISA).length;
    await say(LUISA, '¿tienen ollas?', 'Luisa Fernanda');
    expect(sentTo(LUISA).length).toBe(quiet);
    await page.click('#resume');
    await expect.poll(() => page.textContent('#holder')).toBe('Bot');
  });

  it('adds and removes a label, named in the history', async () => {
    await page.goto(`${base}/admin/chats/${LUISA}`);
    await page.waitForSelector('#thread .bubble');
    await page.fill('#new-label', 'mayorista');
    await page.click('#label-form button');
    await page.waitForSelector('#labels [data-label="mayorista"]');
    await page.click('#labels [data-label="mayorista"] button');
    await expect.poll(() => page.locator('#labels [data-label="mayorista"]').count()).toBe(0);
    const thread = await page.textContent('#thread');
    expect(thread).toContain('Ana añadió la etiqueta mayorista');
    expect(thread).toContain('Ana quitó la etiqueta mayorista');
  });

  it('says a free-form reply cannot go outside the 24-hour window, and that templates are not available yet', async () => {
    await p.db.sql`UPDATE inbound_messages SET sent_at = now() - interval '30 hours', received_at = now() - interval '30 hours' WHERE chat_id = ${LUISA}`;
    await page.goto(`${base}/admin/chats/${LUISA}`);
    await page.waitForSelector('#window-closed:not([hidden])');
    expect(await page.textContent('#window-closed')).toMatch(/Fuera de la ventana de 24 horas.*plantillas todavía no están disponibles/);
    expect(await page.isDisabled('#reply')).toBe(true);
    expect(await page.isDisabled('#send')).toBe(true);
  });

  it('lists the failed sends and sends one again', async () => {
    await page.goto(`${base}/admin/failed`);
    await page.waitForSelector(`.failed-item[data-chat-id="${CARLOS}"]`);
    const card = page.locator(`.failed-item[data-chat-id="${CARLOS}"]`);
    expect(await card.textContent()).toMatch(/Rechazada al enviar: No entregable.*meta 131026/);
    expect(await page.textContent('#open-count')).toBe('1');
    await photograph('envios-fallidos');
    const before = sentTo(CARLOS).length;
    await card.locator('button', { hasText: 'Reenviar' }).click();
    await expect.poll(() => sentTo(CARLOS).length, { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => page.locator('.failed-item').count()).toBe(0);
    expect(await page.textContent('#failed')).toContain('Todas las respuestas llegaron');
    await page.click('[data-state="handled"]');
    await page.waitForSelector('.failed-item.handled');
    expect(await page.textContent('.failed-item.handled')).toMatch(/Reenviado por Ana/);
  });

  it('lets a newcomer buy from the demo catalogue in the simulator, with buttons and lists drawn as WhatsApp draws them', async () => {
    const sim = await context.newPage();
    sim.on('pageerror', (error) => pageErrors.push(error.message));
    await sim.goto(`${base}/admin/simulator`);
    await sim.waitForFunction(() => Boolean(document.body.dataset.chatId));
    const chatId = await sim.evaluate(() => document.body.dataset.chatId!);
    expect(chatId).toMatch(/^000\d{9}$/);
    const lastBusiness = () => sim.locator('.bubble.business').last();
    const answered = async (count: number) => sim.waitForFunction((n) => document.querySelectorAll('.bubble.business').length >= n, count, { timeout: 15_000 });
    const typeMessage = async (text: string) => { await sim.fill('#message', text); await sim.press('#message', 'Enter'); };

    await typeMessage('hola');
    await answered(1);
    expect(await lastBusiness().textContent()).toContain('¡Hola, Cliente! 👋');
    expect(await lastBusiness().locator('button.choice').allTextContents()).toEqual(['Ver catálogo', 'Mi carrito', 'Hablar con asesor']);
    await typeMessage('quiero 2 camisetas blancas');
    await answered(2);
    expect(await lastBusiness().textContent()).toContain('2 × Camiseta blanca básica de algodón');
    await lastBusiness().locator('button.choice', { hasText: 'Pagar' }).click();
    await answered(3);
    await lastBusiness().locator('button.choice', { hasText: 'Usar:' }).click();
    await answered(4);
    expect(await lastBusiness().textContent()).toContain('¿A qué dirección');
    await typeMessage('Calle 10 # 43-20, El Poblado, Medellín');
    await answered(5);
    // a list: a button under the message opens its rows
    await lastBusiness().locator('button.list-open').click();
    await sim.waitForSelector('#sheet:not([hidden]) .row-choice');
    expect(await sim.locator('#sheet .row-choice').count()).toBe(3);
    await photograph('probar-el-bot-lista', sim);
    await sim.locator('#sheet .row-choice', { hasText: 'Envío estándar' }).click();
    await answered(6);
    expect(await lastBusiness().textContent()).toContain('Total: $91.800');
    await lastBusiness().locator('button.choice', { hasText: 'Confirmar pedido' }).click();
    await answered(7);
    expect(await lastBusiness().textContent()).toMatch(/Pedido #\d+ confirmado/);

    const orders = await p.db.sql`SELECT total::float8 AS total, status FROM orders WHERE phone = ${chatId}`;
    expect(orders).toEqual([{ total: 91800, status: 'confirmed' }]);
    // through the real pipeline: inbox rows from the sandbox, replies recorded as sent, none at Meta
    expect((await p.db.sql`SELECT DISTINCT provider FROM inbound_messages WHERE chat_id = ${chatId}`).map((r) => r.provider)).toEqual(['sandbox']);
    expect((await p.db.sql`SELECT DISTINCT status FROM outbox WHERE chat_id = ${chatId}`).map((r) => r.status)).toEqual(['sent']);
    expect(sentTo(chatId)).toEqual([]);
    await photograph('probar-el-bot', sim);
    // the made-up customer is a conversation in the console like any other
    await page.goto(`${base}/admin/chats?q=${chatId}`);
    await page.waitForSelector(`li[data-chat-id="${chatId}"] .badge.sim`);
    await sim.close();
  });

  it('loads nothing from another site and throws no error', () => {
    expect(pageErrors).toEqual([]);
  });

  it('sends strangers to the sign-in page from every page, and refuses them every file and API route (401)', async () => {
    const stranger = await browser.newContext();
    try {
      const strangerPage = await stranger.newPage();
      for (const path of ['/admin/chats', `/admin/chats/${MARTA}`, '/admin/failed', '/admin/simulator']) {
        await strangerPage.goto(`${base}${path}`);
        expect(new URL(strangerPage.url()).pathname, path).toBe('/admin/login');
        expect(await strangerPage.textContent('body'), path).not.toContain('Marta');
      }
      for (const path of ['/admin/console/console.css', '/admin/console/chat.js', '/admin/api/chats', `/admin/api/chats/${MARTA}`,
        `/admin/api/chats/${MARTA}/history`, '/admin/api/failed-sends', '/admin/api/simulator/chats/000000000001/messages']) {
        const res = await stranger.request.get(`${base}${path}`);
        expect(res.status(), path).toBe(401);
      }
      for (const [method, path] of [['POST', `/admin/api/chats/${MARTA}/reply`], ['POST', `/admin/api/chats/${MARTA}/take`], ['POST', `/admin/api/chats/${MARTA}/resume`],
        ['POST', `/admin/api/chats/${MARTA}/labels`], ['POST', `/admin/api/chats/${MARTA}/read`], ['POST', '/admin/api/failed-sends/1/retry'],
        ['POST', '/admin/api/failed-sends/1/dismiss'], ['POST', '/admin/api/simulator/chats'], ['POST', '/admin/api/simulator/chats/000000000001/messages']]) {
        const res = await stranger.request.fetch(`${base}${path}`, { method, data: { text: 'hola', add: ['x'], type: 'text' } });
        expect(res.status(), `${method} ${path}`).toBe(401);
      }
    } finally {
      await stranger.close();
    }
  });
});
