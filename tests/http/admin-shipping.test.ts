import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCartLine } from '../../src/commerce/cart.ts';
import { checkoutStep, type CheckoutSettings } from '../../src/conversation/shop/checkout.ts';
import type { ShopSession, ShopTurn } from '../../src/conversation/shop/shop-turn.ts';
import { answerFactQuestion } from '../../src/facts/answer-question.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';

// The tester's shop owner: delivers in Medellín for $7.000, free from $120.000, and until now could only
// say so in prose while checkout charged the migration's $12.000. Set through the admin API, the next
// checkout charges it and "¿cuánto vale el domicilio?" quotes it, without a restart or a cache to wait for.

let p: Pipeline;
const TOKEN = 'shipping-admin-token';
const bearer = { authorization: `Bearer ${TOKEN}` };
const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = bearer) =>
  p.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const body = (res: { body: string }) => JSON.parse(res.body);
const options = async () => body(await call('GET', '/admin/api/shipping')).items as { code: string; isActive: boolean; cost: number }[];

const PHONE = '573650000001';
const settings: CheckoutSettings = { cashOnDelivery: true, paymentLinks: false };
const turn = (t: Partial<ShopTurn>): ShopTurn => ({ phone: PHONE, customerName: 'Lina Gómez', intent: 'unknown', entities: {}, text: '', ...t });
const atAddress: ShopSession = { state: 'checkout:address', context: { checkout: { name: 'Lina Gómez' } } };

/** The delivery list the checkout shows after the address, as "name: price" rows. */
async function deliveryRows(): Promise<string[]> {
  const out = await checkoutStep(p.db.sql, turn({ text: 'Carrera 43A # 1-50, El Poblado, Medellín' }), atAddress, settings);
  const list = out!.replies[0] as { sections: { rows: { title: string; description?: string }[] }[] };
  return list.sections[0].rows.map((r) => `${r.title}: ${r.description}`);
}

/** Choose the delivery and, cash being the only way to pay, get the summary. */
async function summaryWith(code: string): Promise<{ text: string; session: ShopSession }> {
  const at: ShopSession = { state: 'checkout:shipping', context: { checkout: { name: 'Lina Gómez', address: 'Carrera 43A # 1-50, El Poblado, Medellín' } } };
  const out = await checkoutStep(p.db.sql, turn({ action: { do: 'ship', code } }), at, settings);
  return { text: (out!.replies[0] as { body: string }).body, session: out!.session };
}

beforeAll(async () => {
  p = await startPipeline({ workerSets: 0, env: { ADMIN_TOKEN: TOKEN } });
  await p.db.sql`INSERT INTO products (sku, name, price, stock) VALUES ('BOL-01', 'Bolso de cuero', 100000, 20)`;
  await changeCartLine(p.db.sql, PHONE, 'BOL-01', 1);
});
afterAll(async () => { await p?.stop(); });

describe('delivery options in the admin API', () => {
  it('refuses anyone without the admin token', async () => {
    expect((await call('GET', '/admin/api/shipping', undefined, {})).statusCode).toBe(401);
    expect((await call('PUT', '/admin/api/shipping/estandar', { cost: 0 }, { authorization: 'Bearer nope' })).statusCode).toBe(401);
    expect((await call('DELETE', '/admin/api/shipping/estandar', undefined, {})).statusCode).toBe(401);
    expect((await options()).find((o) => o.code === 'estandar')?.cost).toBe(12000);
  });

  it('lists every option, active or not, with its times and order', async () => {
    const items = await options();
    expect(items.map((o) => o.code)).toEqual(['estandar', 'express', 'recoger']);
    expect(items[0]).toEqual({
      code: 'estandar', name: 'Envío estándar', description: 'A todo el país, 2 a 5 días hábiles', cost: 12000, freeFrom: 200000,
      minDays: 2, maxDays: 5, businessDays: true, isActive: true, sortOrder: 1,
    });
  });

  it('changes only the fields given, and checkout charges the new price at once', async () => {
    expect(await deliveryRows()).toContain('Envío estándar: $12.000 · A todo el país, 2 a 5 días hábiles');
    const res = await call('PUT', '/admin/api/shipping/estandar', { cost: 7000, freeFrom: 120000, description: 'En Medellín, 1 a 2 días hábiles', minDays: 1, maxDays: 2 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ code: 'estandar', name: 'Envío estándar', cost: 7000, freeFrom: 120000, minDays: 1, maxDays: 2, businessDays: true, sortOrder: 1 });
    expect(await deliveryRows()).toContain('Envío estándar: $7.000 · En Medellín, 1 a 2 días hábiles');
    const { text } = await summaryWith('estandar');
    expect(text).toContain('Envío (Envío estándar): $7.000');
    expect(text).toContain('*Total: $107.000*');
  });

  it('and the facts answer quotes what checkout charges', async () => {
    const a = await answerFactQuestion(p.db.sql, '¿cuánto vale el domicilio?', { payments: settings });
    expect(a?.text).toContain('Envío estándar: $7.000, gratis desde $120.000 en compras. En Medellín, 1 a 2 días hábiles.');
    expect(a?.text).not.toContain('12.000');
  });

  it('creates an option, which needs a name and a cost, and the free-from amount applies', async () => {
    const missing = await call('PUT', '/admin/api/shipping/moto', { cost: 5000 });
    expect(missing.statusCode).toBe(400);
    expect(body(missing).error).toMatch(/creating one needs name and cost/);
    const res = await call('PUT', '/admin/api/shipping/moto', { name: 'Domicilio en moto', cost: 5000, freeFrom: 90000, description: 'Medellín, el mismo día', sortOrder: 0, businessDays: false, minDays: 0, maxDays: 0 });
    expect(res.statusCode, res.body).toBe(201);
    expect(body(res)).toEqual({ code: 'moto', name: 'Domicilio en moto', description: 'Medellín, el mismo día', cost: 5000, freeFrom: 90000, minDays: 0, maxDays: 0, businessDays: false, isActive: true, sortOrder: 0 });
    expect((await deliveryRows())[0]).toBe('Domicilio en moto: Gratis · Medellín, el mismo día'); // $100.000 in the cart ≥ $90.000
    expect((await summaryWith('moto')).text).toContain('Envío (Domicilio en moto): gratis');
    // null: never free again
    expect(body(await call('PUT', '/admin/api/shipping/moto', { freeFrom: null }))).toMatchObject({ freeFrom: null, cost: 5000 });
    expect((await deliveryRows())[0]).toBe('Domicilio en moto: $5.000 · Medellín, el mismo día');
  });

  it('refuses bad input with the reason, and changes nothing', async () => {
    const bad: [string, unknown, RegExp][] = [
      ['estandar', { cost: -1 }, /cost must be >= 0/],
      ['estandar', { cost: 'siete mil' }, /cost must be number, not "siete mil"/],
      // never bent into a value: null would be free delivery, true $1, "7000" a string read as a number
      ['estandar', { cost: null }, /cost must be number, not null/],
      ['estandar', { cost: true }, /cost must be number, not true/],
      ['estandar', { cost: '7000' }, /cost must be number, not "7000"/],
      ['estandar', { isActive: null }, /isActive must be boolean, not null/],
      ['estandar', { name: 123 }, /name must be string, not 123/],
      ['estandar', { freeFrom: '' }, /freeFrom must be number or null, not ""/],
      ['estandar', { freeFrom: -5 }, /freeFrom must be >= 0/],
      ['estandar', { name: 'Envío estándar a todo Medellín' }, /name must NOT have more than 24 characters/],
      ['estandar', { name: '   ' }, /name is required/],
      ['estandar', { description: 'x'.repeat(73) }, /description must NOT have more than 72 characters/],
      ['estandar', { minDays: 3 }, /maxDays \(2\) is less than minDays \(3\)/], // against the stored maximum
      ['estandar', { minDays: 5, maxDays: 2 }, /maxDays \(2\) is less than minDays \(5\)/],
      ['estandar', { minDays: 1.5 }, /minDays must be integer or null, not 1.5/],
      ['estandar', { free_from: 120000 }, /unknown field free_from; the fields are name, description, cost, freeFrom/],
      ['estandar', [], /body must be object/],
      ['Estándar', { name: 'Envío', cost: 1 }, /params\/code must match pattern/],
      ['x'.repeat(33), { name: 'Envío', cost: 1 }, /params\/code must match pattern/],
    ];
    for (const [code, payload, reason] of bad) {
      const res = await call('PUT', `/admin/api/shipping/${encodeURIComponent(code)}`, payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(400);
      expect(body(res).error).toMatch(reason);
    }
    expect((await options()).find((o) => o.code === 'estandar')).toMatchObject({ cost: 7000, freeFrom: 120000, minDays: 1, maxDays: 2 });
  });

  it('deactivates an option orders name instead of deleting it, and checkout stops offering it', async () => {
    // an order placed with 'express' (orders.shipping_code references it)
    const summary = await summaryWith('express');
    const confirm = { do: 'confirm' as const, cartVersion: summary.session.context.checkout!.cartVersion! };
    const placed = await checkoutStep(p.db.sql, turn({ action: confirm }), summary.session, settings);
    expect(placed!.placedOrderIds).toHaveLength(1);
    const res = await call('DELETE', '/admin/api/shipping/express');
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toEqual({ code: 'express', outcome: 'deactivated', reason: '1 order(s) use express: kept for them, no longer offered at checkout' });
    expect((await options()).find((o) => o.code === 'express')).toMatchObject({ isActive: false });
    expect(await p.db.sql`SELECT 1 FROM orders WHERE shipping_code = 'express'`).toHaveLength(1);
    await changeCartLine(p.db.sql, PHONE, 'BOL-01', 1);
    expect((await deliveryRows()).some((r) => r.startsWith('Envío express'))).toBe(false);
    // an option nothing names goes for good; an unknown one is a 404
    expect(body(await call('DELETE', '/admin/api/shipping/recoger'))).toEqual({ code: 'recoger', outcome: 'deleted' });
    expect((await options()).map((o) => o.code)).toEqual(['moto', 'estandar', 'express']);
    const unknown = await call('DELETE', '/admin/api/shipping/recoger');
    expect(unknown.statusCode).toBe(404);
    expect(body(unknown).error).toBe('no delivery option recoger');
    // switched back on with a PUT
    expect(body(await call('PUT', '/admin/api/shipping/express', { isActive: true }))).toMatchObject({ isActive: true, cost: 25000 });
  });

  it('never leaves checkout without an option to offer', async () => {
    expect((await call('DELETE', '/admin/api/shipping/express')).statusCode).toBe(200);
    expect((await call('DELETE', '/admin/api/shipping/moto')).statusCode).toBe(200);
    const last = await call('DELETE', '/admin/api/shipping/estandar');
    expect(last.statusCode).toBe(409);
    expect(body(last).error).toMatch(/estandar is the only active delivery option/);
    const off = await call('PUT', '/admin/api/shipping/estandar', { isActive: false });
    expect(off.statusCode).toBe(409);
    expect((await options()).filter((o) => o.isActive).map((o) => o.code)).toEqual(['estandar']);
    // a WhatsApp list shows 10 rows: an eleventh active option would never be seen
    for (let i = 2; i <= 10; i++) expect((await call('PUT', `/admin/api/shipping/zona_${i}`, { name: `Zona ${i}`, cost: 1000 * i })).statusCode).toBe(201);
    const eleventh = await call('PUT', '/admin/api/shipping/zona_11', { name: 'Zona 11', cost: 11000 });
    expect(eleventh.statusCode).toBe(409);
    expect(body(eleventh).error).toMatch(/already 10 active delivery options/);
    expect((await call('PUT', '/admin/api/shipping/zona_11', { name: 'Zona 11', cost: 11000, isActive: false })).statusCode).toBe(201);
    expect((await deliveryRows())).toHaveLength(10);
  });
});
