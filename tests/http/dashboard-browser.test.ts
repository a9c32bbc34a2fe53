import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../support/chromium.ts';
import { awayFromMinuteEdge, insertHandoff, insertMinute, insertRefusedReply } from '../support/dashboard-rows.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// The dashboard in a real browser: the page loads behind basic auth (ADMIN_TOKEN, sent with every request: a browser without credentials is sent to the sign-in page), every chart is drawn by Chart.js from
// the roll-ups, the page follows new data without a reload, and a screenshot is kept for people to look at.

const TOKEN = 'browser-admin-token';
const SCREENSHOT = join(import.meta.dirname, '..', '.artifacts', 'dashboard.png');
const CHARTS = ['messages', 'latency', 'errors', 'intents', 'cost', 'queues'] as const;

const missing = chromiumMissing();
if (missing) console.warn(missing);

let p: Pipeline;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (missing) return;
  p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: TOKEN } });
  await awayFromMinuteEdge(p.db.sql, 8);
  await insertMinute(p.db.sql, 1, {
    messages_in: 12, messages_out: 11, e2e_p95_ms: 430, errors: 1, error_rate: 0.05, session_cache_hits: 9, session_cache_misses: 1, cache_hit_rate: 0.9,
    ai_calls: 4, ai_cost_usd: 0.0021, ai_cost_by_provider: { gemini: 0.0015, openai: 0.0006 }, intents: { greeting: 6, search_products: 4, checkout: 1 },
  });
  await insertMinute(p.db.sql, 4, { messages_in: 6, messages_out: 6, e2e_p95_ms: 640, error_rate: 0, intents: { greeting: 2, order_status: 3 }, ai_cost_by_provider: { deepseek: 0.0004 }, ai_cost_usd: 0.0004 });
  await insertHandoff(p.db.sql, { chat_id: '573001234567', reason: 'requested', customer_name: 'Marta <b>Gómez</b>', last_message: 'quiero hablar con una persona', startedMinutesAgo: 7 });
  await insertRefusedReply(p.db.sql, { chat_id: '573004445555', text: 'Tu pedido <i>salió</i> hoy', code: 131047, title: 'Re-engagement message', minutesAgo: 3 });
  await p.rt.queues.outbound.add('send', { chatId: '573001234567' });
  base = await p.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  context = await browser.newContext({ extraHTTPHeaders: { authorization: `Basic ${Buffer.from(`operador:${TOKEN}`).toString('base64')}` }, viewport: { width: 1400, height: 1100 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text()); });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

/** What each chart holds and whether its canvas has any painted pixel. */
const readCharts = () => page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
  const canvas = document.getElementById(`chart-${id}`) as HTMLCanvasElement;
  // Chart is the UMD build's global
  const chart = (window as unknown as { Chart: { getChart: (c: HTMLCanvasElement) => { data: { labels: string[]; datasets: { label?: string; data: (number | null)[] }[] } } | undefined } }).Chart.getChart(canvas);
  const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
  return [id, chart ? { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })), painted, width: canvas.width } : null];
})), [...CHARTS]);

const total = (values: (number | null)[]) => values.reduce<number>((s, v) => s + (v ?? 0), 0);
const updates = () => page.evaluate(() => Number(document.body.dataset.updates ?? 0));

describe.skipIf(missing)('dashboard in Chromium', () => {
  it('draws every chart from the roll-ups', async () => {
    const response = await page.goto(`${base}/admin?refresh=500`);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => Number(document.body.dataset.updates ?? 0) >= 1, undefined, { timeout: 10_000 });
    const charts = await readCharts();
    for (const id of CHARTS) {
      expect(charts[id], id).not.toBeNull();
      expect(charts[id]!.painted, `${id} canvas is blank`).toBeGreaterThan(500);
    }
    const { messages, latency, errors, intents, cost, queues } = charts as Record<(typeof CHARTS)[number], NonNullable<(typeof charts)[string]>>;
    expect(messages.labels).toHaveLength(60);
    expect(total(messages.datasets[0].data)).toBe(18);
    expect(total(messages.datasets[1].data)).toBe(17);
    expect(messages.datasets[0].data.slice(-2)).toEqual([12, 0]);
    // processing (no burst window in tests: the whole end-to-end time) against the target, end to end beside it
    expect(latency.datasets.map((d) => d.label)).toEqual(['Procesamiento p95', 'Objetivo', 'De punta a punta p95']);
    expect(latency.datasets[0].data.filter((v) => v !== null)).toEqual([640, 430]);
    expect(new Set(latency.datasets[1].data)).toEqual(new Set([500])); // the seed's target, drawn as a line
    expect(latency.datasets[2].data.filter((v) => v !== null)).toEqual([640, 430]);
    expect(Math.max(...(errors.datasets[0].data as number[]))).toBeCloseTo(5);
    // intents named in Spanish
    expect(Object.fromEntries(intents.labels.map((l, i) => [l, intents.datasets[0].data[i]]))).toEqual({ Saludo: 8, 'Buscar productos': 4, 'Finalizar la compra': 1, 'Estado del pedido': 3 });
    expect(Object.fromEntries(cost.labels.map((l, i) => [l, cost.datasets[0].data[i]]))).toEqual({ gemini: 0.0015, openai: 0.0006, deepseek: 0.0004 });
    expect(queues.labels).toEqual(['ingest', 'converse', 'outbound', 'maintenance']);
    expect(queues.datasets[0].data).toEqual([0, 0, 1, 0]);

    await expect.poll(() => page.textContent('#status')).toMatch(/^actualizado \d\d:\d\d:\d\d$/);
    expect(await page.textContent('#fig-minute')).toBe('12 / 11');
    expect(await page.textContent('#fig-p95')).toBe('430 ms');
    expect(await page.textContent('#fig-e2e')).toBe('430 ms');
    expect(await page.textContent('#fig-burst')).toBe('ninguna');
    expect(await page.textContent('#fig-handoffs')).toBe('1');
    // customer text is shown as text, never parsed as HTML
    expect(await page.textContent('#handoff-rows')).toContain('Marta <b>Gómez</b>');
    expect(await page.locator('#handoff-rows b').count()).toBe(0);
    // the replies that did not reach the customer, with what the provider's code means
    expect(await page.textContent('#fig-undelivered')).toBe('1');
    const undelivered = await page.locator('#undelivered-rows tr').allTextContents();
    expect(undelivered).toHaveLength(1);
    // operators see the whole number, and it opens the conversation
    expect(undelivered[0]).toContain('+573004445555');
    expect(await page.getAttribute('#undelivered-rows a', 'href')).toBe('/admin/chats/573004445555');
    expect(undelivered[0]).toContain('Tu pedido <i>salió</i> hoy');
    expect(undelivered[0]).toContain('meta 131047');
    expect(undelivered[0]).toContain('Fuera de la ventana de 24 h');
    expect(await page.locator('#undelivered-rows i').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('follows new roll-ups, queue jobs and refusals without a reload', async () => {
    await awayFromMinuteEdge(p.db.sql);
    const before = await updates();
    await insertRefusedReply(p.db.sql, { chat_id: '573004446666', text: 'Otra respuesta', code: 131026, title: 'Message undeliverable', minutesAgo: 0 });
    await insertMinute(p.db.sql, 0, { messages_in: 7, messages_out: 3, intents: { farewell: 2 } });
    await p.rt.queues.outbound.add('send', { chatId: '573009999999' });
    await p.rt.queues.converse.add('drain', { chatId: '573009999999' }, { delay: 60_000 });
    await page.waitForFunction(() => {
      const chart = (window as unknown as { Chart: { getChart: (id: string) => { data: { datasets: { data: number[] }[]; labels: string[] } } } }).Chart;
      const messages = chart.getChart('chart-messages').data.datasets[0].data;
      const queues = chart.getChart('chart-queues').data;
      return messages[messages.length - 1] === 7 && queues.datasets[0].data[2] === 2 && queues.datasets[2].data[1] === 1;
    }, undefined, { timeout: 10_000 });
    expect(await updates()).toBeGreaterThan(before);
    const { intents } = await readCharts();
    expect(intents!.labels).toContain('farewell');
    expect(await page.textContent('#fig-hour')).toBe('25 / 20');
    await expect.poll(() => page.locator('#undelivered-rows tr').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.textContent('#undelivered-rows tr:first-child')).toContain('No entregable');
  });

  it('reads durations in Spanish: a p95 of 2.106 ms is "2,1 s", never "2.106 ms"', async () => {
    await awayFromMinuteEdge(p.db.sql);
    await insertMinute(p.db.sql, 0, { messages_in: 7, messages_out: 3, intents: { farewell: 2 }, e2e_p95_ms: 2106 });
    await expect.poll(() => page.textContent('#fig-p95'), { timeout: 10_000 }).toBe('2,1 s');
    expect(await page.textContent('#fig-e2e')).toBe('2,1 s');
    await insertMinute(p.db.sql, 0, { messages_in: 7, messages_out: 3, intents: { farewell: 2 } });
    await expect.poll(() => page.textContent('#fig-p95'), { timeout: 10_000 }).toBe('430 ms');
  });

  it('says there is no AI instead of drawing an empty cost chart', async () => {
    const quiet = await context.newPage();
    try {
      // the last minute alone has no AI cost, and this deployment has no AI key
      await quiet.goto(`${base}/admin?minutes=1&refresh=500`);
      await quiet.waitForFunction(() => Number(document.body.dataset.updates ?? 0) >= 1);
      expect(await quiet.isVisible('#chart-cost')).toBe(false);
      expect(await quiet.textContent('#cost-none')).toMatch(/^Sin IA configurada/);
      expect(await quiet.textContent('#fig-cost')).toBe('sin IA');
    } finally {
      await quiet.close();
    }
    expect(await page.isVisible('#chart-cost')).toBe(true); // the hour with costs still draws them
  });

  it('fits a 390 px phone without scrolling sideways', async () => {
    const phone = await browser.newContext({ extraHTTPHeaders: { authorization: `Basic ${Buffer.from(`operador:${TOKEN}`).toString('base64')}` }, viewport: { width: 390, height: 844 } });
    try {
      const small = await phone.newPage();
      await small.goto(`${base}/admin?refresh=500`);
      await small.waitForFunction(() => Number(document.body.dataset.updates ?? 0) >= 1);
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await small.screenshot({ path: join(SCREENSHOT, '..', 'dashboard-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('keeps a screenshot of the page, open handoff included', async () => {
    expect(await page.locator('#handoff-rows button').count()).toBe(1);
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1400); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(800); // the whole page, not a sliver
    expect(png.length).toBeGreaterThan(30_000); // six drawn charts, not a blank page
  });

  it('offers to resume the bot for each open handoff', async () => {
    const button = page.locator('#handoff-rows button', { hasText: 'Reanudar bot' });
    expect(await button.count()).toBe(1);
    const handoffId = Number(await button.getAttribute('data-handoff-id'));
    expect(await button.getAttribute('data-chat-id')).toBe('573001234567');
    await button.click();
    if (p.app.hasRoute({ method: 'POST', url: '/admin/api/handoffs/:id/resume' })) {
      // the resume API is there: the row goes away on the next refresh and the handoff is closed
      await expect.poll(() => page.textContent('#fig-handoffs'), { timeout: 10_000 }).toBe('0');
      const [row] = await p.db.sql<{ endedBy: string | null }[]>`SELECT ended_by AS "endedBy" FROM handoffs WHERE id = ${handoffId}`;
      expect(row.endedBy).toBe('operator');
    } else {
      await expect.poll(() => page.textContent('#handoff-error')).toMatch(/No se pudo reanudar el bot: .*404/);
    }
  });

  it('sends a stranger to the sign-in page, and answers its API calls 401', async () => {
    const stranger = await browser.newContext();
    try {
      const strangerPage = await stranger.newPage();
      const statuses = new Map<string, number>();
      strangerPage.on('response', (r) => statuses.set(new URL(r.url()).pathname, r.status()));
      for (const path of ['/admin', '/admin/assets/chart.js']) {
        const navigation = await strangerPage.goto(`${base}${path}`);
        expect(statuses.get(path), path).toBe(303);
        expect(new URL(strangerPage.url()).pathname, path).toBe('/admin/login');
        expect(navigation?.status()).toBe(200);
      }
      await strangerPage.goto(`${base}/admin/api/dashboard`);
      expect(statuses.get('/admin/api/dashboard')).toBe(401);
    } finally {
      await stranger.close();
    }
  });
});
