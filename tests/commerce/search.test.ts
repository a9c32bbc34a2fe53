import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { upsertProducts } from '../../src/commerce/products.ts';
import { searchProducts } from '../../src/commerce/search.ts';
import { generateProducts } from '../../bench/search.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Search relevance on a realistic shop: the demo catalogue (a Colombian store, ~50 products) plus a few
// products made to test one ranking rule each.

let db: TestDatabase;
const demo = new URL('../../data/demo-catalogue.json', import.meta.url).pathname;

beforeAll(async () => {
  db = await createTestDatabase();
  await importCatalogue(db.sql, readCatalogue(demo, await readFile(demo, 'utf8')));
  await upsertProducts(db.sql, [
    // name over description: the popular pencil case only mentions a backpack
    { sku: 'T-MOCHILA', name: 'Mochila escolar', description: 'Espalda acolchada', category: 'Papelería', price: 80000, stock: 5, popularity: 1 },
    { sku: 'T-CARTUCHERA', name: 'Cartuchera doble', description: 'Combina con tu mochila, la mochila favorita', category: 'Papelería', price: 20000, stock: 5, popularity: 900 },
    // popularity breaks a tie between equally relevant names
    { sku: 'T-VELA-LAV', name: 'Vela aromática lavanda', category: 'Hogar y cocina', price: 25000, stock: 5, popularity: 10 },
    { sku: 'T-VELA-VAI', name: 'Vela aromática vainilla', category: 'Hogar y cocina', price: 25000, stock: 5, popularity: 500 },
    // switched off by the shop, though in stock
    { sku: 'T-HAMACA', name: 'Hamaca sanjacintera', category: 'Hogar y cocina', price: 250000, stock: 4, available: false },
  ]);
  await refreshCatalogueViews(db.sql);
});
afterAll(async () => { await db?.drop(); });

const skus = async (text: string, options = {}) => (await searchProducts(db.sql, text, options)).map((h) => h.sku);

describe('typos, accents and plurals', () => {
  it.each([
    ['sapatos de cuero', ['CAL-001', 'CAL-002']], // s for z
    ['licuadra', ['HOG-001', 'HOG-002']], // a dropped letter
    ['audifonos', ['ELE-001', 'ELE-002']], // no accent
    ['portatil', ['ELE-003', 'ELE-004']], // no accent
    ['camisetas blancas', ['ROP-001']], // plural for singular
    ['camizeta blanka', ['ROP-001']], // two typos at once
    ['bestido', ['ROP-006']], // b for v
    ['cmisa', ['ROP-003']], // a dropped letter near the start
    ['licua', ['HOG-001', 'HOG-002']], // a word still being typed
  ])('"%s" finds %j first', async (text, expected) => {
    expect((await skus(text)).slice(0, expected.length).sort()).toEqual([...expected].sort());
  });

  it('says how each hit was found', async () => {
    const [typo] = await searchProducts(db.sql, 'sapatos de cuero');
    expect(typo.match).toBe('corrected');
    const [exact] = await searchProducts(db.sql, 'zapatos de cuero');
    expect(exact.match).toBe('exact');
    expect(exact).toMatchObject({ category: 'Calzado', categorySlug: 'calzado', isAvailable: true });
    expect(typeof exact.price).toBe('number');
  });

  it('leaves out words the catalogue has nothing like, and falls back to most of the words', async () => {
    // no shoe mentions a size: the leather shoes still come first
    expect((await skus('zapatos de cuero talla 42')).slice(0, 2).sort()).toEqual(['CAL-001', 'CAL-002']);
    // white leather trainers do not exist; white trainers do
    const [hit] = await searchProducts(db.sql, 'tenis blancos cuero');
    expect(hit).toMatchObject({ sku: 'CAL-003', match: 'most-words' });
    // filler the caller left in does not stop the search
    expect(await skus('quiero licuadora')).toEqual(expect.arrayContaining(['HOG-001', 'HOG-002']));
  });

  it('finds nothing for nothing', async () => {
    expect(await skus('xyzzy')).toEqual([]);
    expect(await skus('')).toEqual([]);
    expect(await skus('¿¡ !?')).toEqual([]);
    expect(await skus('de la')).toEqual([]); // stop words only
  });
});

describe('ranking', () => {
  it('puts a match in the name before a match in the description, however popular', async () => {
    expect(await skus('mochila')).toEqual(['T-MOCHILA', 'T-CARTUCHERA']);
  });

  it('breaks ties by popularity', async () => {
    expect(await skus('vela aromatica')).toEqual(['T-VELA-VAI', 'T-VELA-LAV']);
    await db.sql`UPDATE products SET popularity_score = 1000 WHERE sku = 'T-VELA-LAV'`;
    expect(await skus('vela aromatica')).toEqual(['T-VELA-LAV', 'T-VELA-VAI']);
  });

  it('finds a whole category by its name, and respects the limit', async () => {
    const shoes = await searchProducts(db.sql, 'calzado', { limit: 3 });
    expect(shoes).toHaveLength(3);
    expect(shoes.every((h) => h.categorySlug === 'calzado')).toBe(true);
  });
});

describe('availability', () => {
  it('hides sold-out and switched-off products unless asked for them', async () => {
    expect(await skus('botas de montaña')).toEqual([]); // stock 0
    expect(await skus('hamaca')).toEqual([]); // is_available false
    expect(await skus('botas de montaña', { includeUnavailable: true })).toEqual(['CAL-007']);
    expect(await skus('hamaca', { includeUnavailable: true })).toEqual(['T-HAMACA']);
  });
});

describe('a large catalogue', () => {
  it('ranks broad, middling and narrow words each its own way, best sellers first, typos included', async () => {
    const big = await createTestDatabase();
    try {
      await generateProducts(big.sql, 20_000);
      // "ropa" is held by every clothing product: thousands of matches, walked in popularity order
      const clothes = await searchProducts(big.sql, 'ropa');
      expect(clothes).toHaveLength(10);
      expect(clothes.every((h) => h.category === 'Ropa' && h.stock > 0 && h.isAvailable)).toBe(true);
      const popularity = clothes.map((h) => h.popularity);
      expect(popularity).toEqual([...popularity].sort((a, b) => b - a));
      // a brand: about a thousand matches, read above a popularity floor; the best seller still comes first
      const andina = await searchProducts(big.sql, 'andina');
      expect(andina).toHaveLength(10);
      expect(andina.every((h) => h.name.includes(' Andina '))).toBe(true);
      const [best] = await big.sql<{ popularity: number }[]>`
        SELECT max(popularity_score)::float8 AS popularity FROM products WHERE name LIKE '% Andina %' AND is_available AND stock > 0`;
      expect(andina[0].popularity).toBe(best.popularity);
      // a single kind, misspelt: a couple of hundred matches through the GIN index
      const blenders = await searchProducts(big.sql, 'licuadra');
      expect(blenders).toHaveLength(10);
      expect(blenders.every((h) => h.name.startsWith('Licuadora') && h.match === 'corrected')).toBe(true);
    } finally {
      await big.drop();
    }
  });
});
