import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import type { OutboundContent } from '../../src/whatsapp/types.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Probar el bot with the provider a newcomer has: `sandbox` (the default), the demo catalogue, no AI. The
// made-up customer buys through the simulator's API alone, every step through the real stages.

const TOKEN = 'simulator-sandbox-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ env: { ADMIN_TOKEN: TOKEN, WHATSAPP_PROVIDER: 'sandbox' } });
  const file = join(import.meta.dirname, '..', '..', 'data', 'demo-catalogue.json');
  await importCatalogue(p.db.sql, readCatalogue(file, await readFile(file, 'utf8')));
});
afterAll(async () => { await p?.stop(); });

type Item = { type: string; content?: OutboundContent; status?: string };

describe('Probar el bot on the sandbox provider', () => {
  it('buys two t-shirts from the demo catalogue, tapping the buttons and the list row the bot sent', async () => {
    const created = await p.app.inject({ method: 'POST', url: '/admin/api/simulator/chats', headers: bearer });
    const { chatId } = JSON.parse(created.body) as { chatId: string };
    let seen = 0;
    /** Send as the customer; return the bot's new replies once the chat has settled. */
    const send = async (body: Record<string, string>): Promise<OutboundContent[]> => {
      const res = await p.app.inject({ method: 'POST', url: `/admin/api/simulator/chats/${chatId}/messages`, headers: bearer, payload: body });
      expect(res.statusCode, res.body).toBe(202);
      expect(await until(async () =>
        (await p.db.sql`SELECT 1 FROM inbound_messages WHERE chat_id = ${chatId} AND status IN ('received', 'ingested')`).length === 0
        && (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${chatId} AND status = 'pending'`).length === 0, 15_000)).toBe(true);
      const { items } = JSON.parse((await p.app.inject({ method: 'GET', url: `/admin/api/simulator/chats/${chatId}/messages`, headers: bearer })).body) as { items: Item[] };
      const fresh = items.slice(seen).filter((i) => i.type === 'out');
      seen = items.length;
      expect(fresh.length, `no answer to ${JSON.stringify(body)}`).toBeGreaterThan(0);
      for (const reply of fresh) expect(reply.status).toBe('sent'); // recorded by the sandbox, sent nowhere
      return fresh.map((i) => i.content!);
    };
    const choices = (c: OutboundContent) => (c.type === 'buttons' ? c.buttons : c.type === 'list' ? c.sections.flatMap((s) => s.rows) : []);
    const pick = (c: OutboundContent, id: (id: string) => boolean) => {
      const choice = choices(c).find((x) => id(x.id));
      expect(choice, JSON.stringify(c)).toBeDefined();
      return choice!;
    };

    const [added] = await send({ type: 'text', text: 'quiero 2 camisetas blancas' });
    expect(added).toMatchObject({ type: 'buttons', body: expect.stringContaining('2 × Camiseta blanca básica de algodón') });
    const pay = pick(added, (id) => id === 'cart:checkout');
    const [askName] = await send({ type: 'button', id: pay.id, title: pay.title });
    const useName = pick(askName, (id) => id === 'co:name');
    const [askAddress] = await send({ type: 'button', id: useName.id, title: useName.title });
    expect(askAddress).toMatchObject({ type: 'text', text: expect.stringContaining('¿A qué dirección') });
    const [delivery] = await send({ type: 'text', text: 'Calle 10 # 43-20, El Poblado, Medellín' });
    expect(delivery.type).toBe('list');
    const standard = pick(delivery, (id) => id === 'ship:estandar');
    const [summary] = await send({ type: 'list', id: standard.id, title: standard.title });
    expect(summary).toMatchObject({ body: expect.stringContaining('*Total: $91.800*') });
    const confirm = pick(summary, (id) => id.startsWith('order:confirm:'));
    const [placed] = await send({ type: 'button', id: confirm.id, title: confirm.title });
    expect(placed.type === 'text' ? placed.text : placed.type === 'buttons' ? placed.body : '').toMatch(/Pedido #\d+ confirmado/);

    expect(await p.db.sql`SELECT customer_name, total::float8 AS total, status FROM orders WHERE phone = ${chatId}`).toEqual([
      { customer_name: 'Cliente de prueba', total: 91800, status: 'confirmed' },
    ]);
    expect((await p.db.sql`SELECT DISTINCT provider FROM outbox WHERE chat_id = ${chatId}`).map((r) => r.provider)).toEqual(['sandbox']);
  });
});
