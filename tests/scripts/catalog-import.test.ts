import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCategoryCache } from '../../src/commerce/category-cache.ts';
import { runScript } from '../support/run-script.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL } from '../support/test-runtime.ts';

// npm run catalog:import -- FILE and npm run seed:demo, run as a user runs them.

let db: TestDatabase;
let work: string;
let env: Record<string, string>;
const prefix = newQueuePrefix();
beforeAll(async () => {
  db = await createTestDatabase();
  work = await mkdtemp(join(tmpdir(), 'catalog-import-'));
  env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix };
});
afterAll(async () => {
  await dropQueuePrefix(prefix);
  await db?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.sql`TRUNCATE products, categories RESTART IDENTITY CASCADE`;
});

const file = async (name: string, text: string) => {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
};
const HEADER = 'sku,name,description,category,price,stock,featured,offer_price,image_url';
const count = async () => (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM products`)[0].n;

describe('npm run catalog:import', () => {
  it('imports a good CSV (exit 0), refreshes the listings and clears the cached menu', async () => {
    const redis = new Redis(REDIS_URL);
    const cache = createCategoryCache({ redis, prefix });
    expect(await cache.get(async () => [])).toEqual([]); // a menu cached before the import
    const csv = await file('good.csv', `${HEADER}\nR-1,Camiseta blanca,"Algodón, talla M",Ropa,39900,10,sí,,\nR-2,Jean azul,,Ropa,129900,5,,99900,\n`);
    const res = await runScript('catalog-import.ts', [csv], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/read: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0/);
    expect(res.stdout).toMatch(/category listings refreshed/);
    expect(await db.sql`SELECT name, available_count, offer_count FROM category_listings`).toEqual([{ name: 'Ropa', available_count: 2, offer_count: 1 }]);
    expect((await cache.get(async () => [{ slug: 'ropa', name: 'Ropa', description: null, products: 2, featured: 1, offers: 1, fromPrice: 39900 }])).map((c) => c.name)).toEqual(['Ropa']);
    redis.disconnect();
    // the same file again changes nothing
    expect((await runScript('catalog-import.ts', [csv], env)).stdout).toMatch(/inserted: 0, updated: 0, unchanged: 2, rejected: 0/);
  });

  it('imports the good rows of a file with bad ones, lists each bad one with its line and reason, exit 2', async () => {
    const csv = await file('mixed.csv', [
      HEADER,
      'M-1,Olla arrocera,,Hogar,139900,10,,,',
      'M-2,Greca,,Hogar,129.900,5,,,',
      'M-3,Sartén,,Hogar,89900,-1,,,',
      'M-4,Taza,,Hogar,9900,3,,12000,',
      'M-5,Cafetera',
      'M-6,Licuadora,,Hogar,189900,15,,159900,https://img.example.co/l.jpg',
    ].join('\n'));
    const res = await runScript('catalog-import.ts', [csv], env);
    expect(res.code).toBe(2);
    expect(res.stdout).toMatch(/read: 6, inserted: 2, updated: 0, unchanged: 0, rejected: 4/);
    expect(res.stdout).toMatch(/line 3 \(sku M-2\): price must be a number like 129900/);
    expect(res.stdout).toMatch(/line 4 \(sku M-3\): stock must be 0 or more/);
    expect(res.stdout).toMatch(/line 5 \(sku M-4\): offer_price must be lower than price/);
    expect(res.stdout).toMatch(/line 6: has 2 field\(s\) where the header has 9/);
    expect((await db.sql`SELECT sku FROM products ORDER BY sku`).map((r) => r.sku)).toEqual(['M-1', 'M-6']);
  });

  it('imports a JSON array, reporting bad items by the line they start on', async () => {
    const json = await file('items.json', '[\n  {"sku": "J-1", "name": "Audífonos", "category": "Electrónica", "price": 149900, "stock": 3},\n  {"sku": "J-2", "name": "Mouse", "category": "Electrónica", "price": "gratis", "stock": 1}\n]\n');
    const res = await runScript('catalog-import.ts', [json], env);
    expect(res.code).toBe(2);
    expect(res.stdout).toMatch(/line 3 \(sku J-2\): price must be a number/);
    expect(await count()).toBe(1);
  });

  it.each([
    ['a file that does not exist', () => join(work, 'nope.csv'), /cannot read .*nope\.csv: no such file/],
    ['a CSV without the required columns', () => file('cols.csv', 'sku,nombre,precio\nX,Y,1\n'), /missing column\(s\) name, category, price, stock/],
    ['text that is not JSON', () => file('bad.json', '[{"sku": "X",'), /bad\.json is not valid JSON/],
    ['JSON that is not an array', () => file('obj.json', '{"sku": "X"}'), /expected a JSON array of products/],
  ])('refuses %s readably, imports nothing, exit 1', async (_, path, message) => {
    const res = await runScript('catalog-import.ts', [await path()], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/    at /); // no stack trace
    expect(await count()).toBe(0);
  });

  it('exits 1 when every row is bad, when no file is given, and when the database is down', async () => {
    const allBad = await runScript('catalog-import.ts', [await file('allbad.csv', `${HEADER}\nB-1,Olla,,Hogar,x,1,,,\n`)], env);
    expect(allBad.code).toBe(1);
    expect(allBad.stdout).toMatch(/rejected: 1/);
    const usage = await runScript('catalog-import.ts', [], env);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage: npm run catalog:import -- FILE/);
    const noDb = await runScript('catalog-import.ts', [await file('one.csv', `${HEADER}\nD-1,Olla,,Hogar,1000,1,,,\n`)], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/database error, import stopped/);
  });

  it('still imports, with a warning, when Redis is down', async () => {
    const res = await runScript('catalog-import.ts', [await file('redis.csv', `${HEADER}\nK-1,Olla,,Hogar,1000,1,,,\n`)], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/warning: could not clear the cached category menu/);
    expect(await count()).toBe(1);
  });
});

describe('npm run seed:demo', () => {
  it('loads the demo shop, and running it again changes nothing', async () => {
    const first = await runScript('seed-demo.ts', [], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/demo catalogue: 51 products added, 0 updated, 0 already there/);
    expect(first.stdout).toMatch(/Calzado: 7 on sale, 2 on offer, 2 featured/);
    const second = await runScript('seed-demo.ts', [], env);
    expect(second.stdout).toMatch(/0 products added, 0 updated, 51 already there/);
    const [shop] = await db.sql<{ products: number; soldOut: number; offers: number; categories: number }[]>`
      SELECT count(*)::int AS products, count(*) FILTER (WHERE stock = 0)::int AS "soldOut",
             count(*) FILTER (WHERE offer_price IS NOT NULL)::int AS offers, count(DISTINCT category_id)::int AS categories FROM products`;
    expect(shop).toEqual({ products: 51, soldOut: 5, offers: 15, categories: 6 });
  });
});
