import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// GET /admin/api/products: the catalogue and its search as the shop's staff see them, behind ADMIN_TOKEN.

const TOKEN = 'test-admin-token';
let db: TestDatabase;
let app: FastifyInstance;
const demo = new URL('../../data/demo-catalogue.json', import.meta.url).pathname;

beforeAll(async () => {
  db = await createTestDatabase();
  await importCatalogue(db.sql, readCatalogue(demo, await readFile(demo, 'utf8')));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ADMIN_TOKEN: TOKEN, DATABASE_URL: db.url });
  app = await buildApp({
    config,
    log: createLogger('silent'),
    accept: async () => { throw new Error('no webhooks in this test'); },
    readinessChecks: {},
    products: { sql: db.sql },
  });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const bearer = { authorization: `Bearer ${TOKEN}` };
const get = (url: string, headers: Record<string, string> = bearer) => app.inject({ method: 'GET', url, headers });
const items = async (url: string) => {
  const res = await get(url);
  expect(res.statusCode).toBe(200);
  return (JSON.parse(res.body) as { items: { sku: string }[] }).items;
};

describe('GET /admin/api/products', () => {
  it('refuses requests without the admin token', async () => {
    expect((await get('/admin/api/products?q=licuadora', {})).statusCode).toBe(401);
    expect((await get('/admin/api/products?q=licuadora', { authorization: 'Bearer nope' })).statusCode).toBe(401);
    expect((await get('/admin/api/products', { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` })).statusCode).toBe(401);
    expect((await get('/admin/api/products', { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` })).statusCode).toBe(200);
  });

  it('searches, best first, with prices, stock and category', async () => {
    const res = await get('/admin/api/products?q=sapatos%20de%20cuero&limit=2');
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ sku: 'CAL-001', name: 'Zapatos de cuero para hombre', price: 229900, offerPrice: null, stock: 14, category: 'Calzado', match: 'corrected' });
    expect(body.items[1]).toMatchObject({ sku: 'CAL-002', offerPrice: 179900 });
  });

  it('reads the text the way a customer message is read: filler words are dropped', async () => {
    const res = JSON.parse((await get(`/admin/api/products?q=${encodeURIComponent('hola, quiero unos audífonos por favor')}`)).body);
    expect(res.query).toBe('audífonos');
    expect(res.items.map((i: { sku: string }) => i.sku).slice(0, 2).sort()).toEqual(['ELE-001', 'ELE-002']);
  });

  it('lists the catalogue best first without q, and includes sold-out products with all=true', async () => {
    const listed = await items('/admin/api/products?limit=50');
    expect(listed.slice(0, 2).map((i) => i.sku)).toEqual(['HOG-007', 'ELE-001']); // featured and on offer, most popular first
    expect(listed.map((i) => i.sku)).not.toContain('CAL-007'); // sold out
    expect((await items('/admin/api/products?limit=50&all=true')).map((i) => i.sku)).toContain('CAL-007');
    expect(await items('/admin/api/products?q=botas%20de%20monta%C3%B1a')).toEqual([]);
    expect((await items('/admin/api/products?q=botas%20de%20monta%C3%B1a&all=true')).map((i) => i.sku)).toEqual(['CAL-007']);
    expect(await items('/admin/api/products?q=%20%20')).toHaveLength(20); // blank q: the list, 20 by default
  });

  it('answers 400 with a reason for a query too long or a bad limit', async () => {
    for (const [url, reason] of [
      [`/admin/api/products?q=${'a'.repeat(201)}`, /q must NOT have more than 200 characters/],
      ['/admin/api/products?limit=0', /limit must be >= 1/],
      ['/admin/api/products?limit=51', /limit must be <= 50/],
      ['/admin/api/products?limit=diez', /limit must be integer/],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(JSON.parse(res.body).error).toMatch(reason);
    }
  });
});
