import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { ensureCategories, listCategories, slugify } from '../../src/commerce/categories.ts';
import { listProducts, productBySku, upsertProducts, type ProductInput } from '../../src/commerce/products.ts';
import { searchProducts } from '../../src/commerce/search.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });
beforeEach(async () => {
  await db.sql`TRUNCATE products, categories RESTART IDENTITY CASCADE`;
  await refreshCatalogueViews(db.sql);
});

const shoes: ProductInput[] = [
  { sku: 'CAL-1', name: 'Zapatos de cuero', category: 'Calzado', price: 229900, stock: 4, featured: true, popularity: 10 },
  { sku: 'CAL-2', name: 'Tenis blancos', category: 'Calzado', price: 179900, offerPrice: 149900, stock: 9, popularity: 50 },
  { sku: 'CAL-3', name: 'Chanclas', category: 'calzado', price: 29900, stock: 20, popularity: 80 },
  { sku: 'CAL-4', name: 'Botas de montaña', category: 'Calzado', price: 299900, stock: 0, popularity: 99 },
  { sku: 'ELE-1', name: 'Audífonos', description: 'Inalámbricos', category: 'Electrónica', price: 149900, stock: 3 },
];

describe('upsert by SKU', () => {
  it('inserts, then changes nothing when run again (and does not rewrite the rows)', async () => {
    expect(await upsertProducts(db.sql, shoes)).toEqual({ inserted: 5, updated: 0, unchanged: 0 });
    const before = await db.sql`SELECT sku, updated_at, xmin::text FROM products ORDER BY sku`;
    expect(await upsertProducts(db.sql, shoes, { batchSize: 2 })).toEqual({ inserted: 0, updated: 0, unchanged: 5 });
    expect(await db.sql`SELECT sku, updated_at, xmin::text FROM products ORDER BY sku`).toEqual(before);
    expect((await db.sql`SELECT count(*)::int AS n FROM categories`)[0].n).toBe(2); // "Calzado" and "calzado" are one
  });

  it('updates what changed, keeps popularity and availability when the file does not give them', async () => {
    await upsertProducts(db.sql, shoes);
    await db.sql`UPDATE products SET popularity_score = 777, is_available = false WHERE sku = 'ELE-1'`;
    const changed = shoes.map((p) => (p.sku === 'ELE-1' ? { ...p, price: 139900, popularity: undefined } : p));
    expect(await upsertProducts(db.sql, changed)).toEqual({ inserted: 0, updated: 1, unchanged: 4 });
    expect(await productBySku(db.sql, 'ELE-1')).toMatchObject({ price: 139900, popularity: 777, isAvailable: false, description: 'Inalámbricos' });
  });

  it('keeps the last of a SKU given twice, and reports progress per batch', async () => {
    const seen: [number, number][] = [];
    await upsertProducts(db.sql, [...shoes, { ...shoes[0], name: 'Zapatos de cuero café' }], { batchSize: 2, onProgress: (d, t) => seen.push([d, t]) });
    expect((await productBySku(db.sql, 'CAL-1'))?.name).toBe('Zapatos de cuero café');
    expect(seen).toEqual([[0, 5], [2, 5], [4, 5], [5, 5]]);
  });

  it('keeps the search vector in step with the name, the category and its renaming', async () => {
    await upsertProducts(db.sql, shoes);
    await refreshCatalogueViews(db.sql);
    expect((await searchProducts(db.sql, 'calzado')).map((h) => h.sku).sort()).toEqual(['CAL-1', 'CAL-2', 'CAL-3']);
    await db.sql`UPDATE categories SET name = 'Zapatería' WHERE slug = 'calzado'`;
    await refreshCatalogueViews(db.sql);
    expect((await searchProducts(db.sql, 'zapateria')).map((h) => h.sku).sort()).toEqual(['CAL-1', 'CAL-2', 'CAL-3']);
    expect(await searchProducts(db.sql, 'calzado')).toEqual([]);
    await upsertProducts(db.sql, [{ ...shoes[2], name: 'Sandalias' }]);
    expect((await searchProducts(db.sql, 'sandalias')).map((h) => h.sku)).toEqual(['CAL-3']);
  });
});

describe('constraints', () => {
  it('refuse a negative stock, a negative price and an offer that is not lower than the price', async () => {
    await upsertProducts(db.sql, shoes);
    await expect(db.sql`UPDATE products SET stock = stock - 5 WHERE sku = 'CAL-1'`).rejects.toMatchObject({ code: '23514', constraint_name: 'products_stock_check' });
    await expect(upsertProducts(db.sql, [{ ...shoes[0], stock: -1 }])).rejects.toMatchObject({ code: '23514' });
    await expect(upsertProducts(db.sql, [{ ...shoes[0], price: -1 }])).rejects.toMatchObject({ code: '23514' });
    await expect(upsertProducts(db.sql, [{ ...shoes[0], offerPrice: 229900 }])).rejects.toMatchObject({ code: '23514' });
    expect((await productBySku(db.sql, 'CAL-1'))?.stock).toBe(4);
  });
});

describe('categories', () => {
  it('are named by slug, created on the fly, and keep their first name', async () => {
    expect(slugify('Hogar y Cocina')).toBe('hogar-y-cocina');
    expect(slugify('Electrónica & Cómputo')).toBe('electronica-computo');
    expect(slugify('¡!')).toBe('');
    const first = await ensureCategories(db.sql, ['Electrónica', 'Hogar y cocina']);
    const again = await ensureCategories(db.sql, ['electronica', 'Hogar y cocina', 'Juguetes']);
    expect(again.get('electronica')).toBe(first.get('Electrónica'));
    expect(again.get('Hogar y cocina')).toBe(first.get('Hogar y cocina'));
    expect((await db.sql`SELECT name FROM categories ORDER BY id`).map((r) => r.name)).toEqual(['Electrónica', 'Hogar y cocina', 'Juguetes']);
    await expect(ensureCategories(db.sql, ['¡!'])).rejects.toThrow(/no letter or digit/);
  });

  it('are listed from the materialised view with what is on sale, as of the last refresh', async () => {
    await upsertProducts(db.sql, shoes);
    expect(await listCategories(db.sql)).toEqual([]); // not refreshed yet
    expect(await refreshCatalogueViews(db.sql)).toEqual({ listingsChanged: true });
    expect(await listCategories(db.sql)).toEqual([
      { slug: 'calzado', name: 'Calzado', description: null, products: 3, featured: 1, offers: 1, fromPrice: 29900 },
      { slug: 'electronica', name: 'Electrónica', description: null, products: 1, featured: 0, offers: 0, fromPrice: 149900 },
    ]);
    expect(await refreshCatalogueViews(db.sql)).toEqual({ listingsChanged: false });
    // refreshed by other means: the next refresh still reports the menu as changed
    await db.sql`UPDATE products SET stock = 0 WHERE sku = 'ELE-1'`;
    await db.sql`REFRESH MATERIALIZED VIEW category_listings`;
    expect(await refreshCatalogueViews(db.sql)).toEqual({ listingsChanged: true });
    expect((await listCategories(db.sql)).map((c) => c.slug)).toEqual(['calzado']);
    expect((await listCategories(db.sql, { includeEmpty: true })).map((c) => c.slug)).toEqual(['calzado', 'electronica']);
  });
});

describe('listings', () => {
  it('list products best first (featured, on offer, popular), by category and in pages', async () => {
    await upsertProducts(db.sql, shoes);
    expect((await listProducts(db.sql, { category: 'calzado' })).map((p) => p.sku)).toEqual(['CAL-1', 'CAL-2', 'CAL-3']);
    expect((await listProducts(db.sql, { category: 'calzado', limit: 2, offset: 2 })).map((p) => p.sku)).toEqual(['CAL-3']);
    expect((await listProducts(db.sql, { category: 'calzado', includeUnavailable: true })).map((p) => p.sku)).toEqual(['CAL-1', 'CAL-2', 'CAL-4', 'CAL-3']);
    expect((await listProducts(db.sql)).map((p) => p.sku)).toEqual(['CAL-1', 'CAL-2', 'CAL-3', 'ELE-1']);
    expect(await listProducts(db.sql, { category: 'no-such-category' })).toEqual([]);
  });

  it('read one product by SKU, with its category and prices as numbers', async () => {
    await upsertProducts(db.sql, shoes);
    expect(await productBySku(db.sql, 'CAL-2')).toEqual({
      sku: 'CAL-2', name: 'Tenis blancos', description: null, category: 'Calzado', categorySlug: 'calzado', price: 179900, offerPrice: 149900,
      stock: 9, featured: false, isAvailable: true, popularity: 50, imageUrl: null,
    });
    expect(await productBySku(db.sql, 'NOPE')).toBeUndefined();
  });
});
