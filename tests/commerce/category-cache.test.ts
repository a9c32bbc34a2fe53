import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { listCategories, type CategoryListing } from '../../src/commerce/categories.ts';
import { createCategoryCache } from '../../src/commerce/category-cache.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL } from '../support/test-runtime.ts';

// The category menu cached in Redis for 30 minutes, dropped when the catalogue changes. Real Redis, keys
// under a prefix of this file's own.

let db: TestDatabase;
let redis: Redis;
const prefix = newQueuePrefix();
beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await dropQueuePrefix(prefix);
  await db?.drop();
});

const menu = (name: string): CategoryListing[] => [{ slug: name.toLowerCase(), name, description: null, products: 1, featured: 0, offers: 0, fromPrice: 1000 }];

describe('the category cache', () => {
  it('loads once, then serves the cached menu for 30 minutes', async () => {
    const cache = createCategoryCache({ redis, prefix: `${prefix}:a` });
    let loads = 0;
    const load = async () => { loads++; return menu('Ropa'); };
    expect(await cache.get(load)).toEqual(menu('Ropa'));
    expect(await cache.get(async () => { loads++; return menu('Otra'); })).toEqual(menu('Ropa'));
    expect(loads).toBe(1);
    const [key] = await redis.keys(`${prefix}:a:catalogue:categories:*`);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(1790);
    expect(ttl).toBeLessThanOrEqual(1800);
  });

  it('loads again after an invalidation', async () => {
    const cache = createCategoryCache({ redis, prefix: `${prefix}:b` });
    await cache.get(async () => menu('Ropa'));
    await cache.invalidate();
    expect(await cache.get(async () => menu('Calzado'))).toEqual(menu('Calzado'));
    expect(await cache.get(async () => menu('Otra'))).toEqual(menu('Calzado'));
  });

  it('does not put back a menu that was loaded before an invalidation', async () => {
    const cache = createCategoryCache({ redis, prefix: `${prefix}:c` });
    let release!: () => void;
    const slow = cache.get(() => new Promise((resolve) => { release = () => resolve(menu('Vieja')); }));
    await new Promise((r) => setTimeout(r, 50)); // the slow reader has read the generation and is loading
    await cache.invalidate(); // an import finished meanwhile
    release();
    expect(await slow).toEqual(menu('Vieja')); // that reader gets what it loaded…
    expect(await cache.get(async () => menu('Nueva'))).toEqual(menu('Nueva')); // …but nobody after it does
  });

  it('answers from PostgreSQL when Redis is down, and says so when it cannot invalidate', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => {});
    const cache = createCategoryCache({ redis: dead, prefix: `${prefix}:d` });
    expect(await cache.get(async () => menu('Ropa'))).toEqual(menu('Ropa'));
    await expect(cache.invalidate()).rejects.toThrow();
    dead.disconnect();
  });

  it('is invalidated by a catalogue import, so the new category shows at once', async () => {
    const cache = createCategoryCache({ redis, prefix: `${prefix}:e` });
    const fromDb = () => listCategories(db.sql);
    expect(await cache.get(fromDb)).toEqual([]);
    const report = await importCatalogue(db.sql, [{ line: 2, fields: { sku: 'H-1', name: 'Olla', category: 'Hogar', price: 50000, stock: 2 } }], { cache });
    expect(report).toMatchObject({ inserted: 1, rejected: 0 });
    expect(report.cacheError).toBeUndefined();
    expect((await cache.get(fromDb)).map((c) => c.name)).toEqual(['Hogar']);
  });
});
