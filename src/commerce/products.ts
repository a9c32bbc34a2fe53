import type { Queryable } from '../db/client.ts';
import { ensureCategories } from './categories.ts';
import { ON_SALE, PRODUCT_COLUMNS, type Product } from './product.ts';

/**
 * A product as a catalogue file describes it. The fields of the file format are taken as given (a missing
 * description or offer means none); popularity and the availability switch are not in the file format, so
 * an existing product keeps its own unless they are given.
 */
export interface ProductInput {
  sku: string;
  name: string;
  description?: string | null;
  /** Category name; created on the fly when the shop has none by that name. */
  category?: string | null;
  price: number;
  offerPrice?: number | null;
  stock: number;
  featured?: boolean;
  imageUrl?: string | null;
  popularity?: number;
  available?: boolean;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  /** Already exactly as given: not written at all. */
  unchanged: number;
}

export interface UpsertOptions {
  /** Products per INSERT … ON CONFLICT statement (default 500); each batch commits on its own. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

// The batch travels as one jsonb parameter: one round trip, no limit on bind parameters. Popularity and
// availability come from the existing row when not given, so EXCLUDED holds the final values and one
// comparison tells an unchanged row (not rewritten, its search vector not recomputed) from a changed one.
const UPSERT = `
  INSERT INTO products AS p (sku, name, description, category_id, price, offer_price, stock, featured, image_url, popularity_score, is_available)
  SELECT r.sku, r.name, r.description, r.category_id, r.price, r.offer_price, r.stock, r.featured, r.image_url,
         coalesce(r.popularity_score, cur.popularity_score, 0), coalesce(r.is_available, cur.is_available, true)
    FROM jsonb_to_recordset($1::jsonb) AS r(sku text, name text, description text, category_id integer, price numeric,
                                            offer_price numeric, stock integer, featured boolean, image_url text,
                                            popularity_score numeric, is_available boolean)
    LEFT JOIN products cur ON cur.sku = r.sku
  ON CONFLICT (sku) DO UPDATE SET
    name = EXCLUDED.name, description = EXCLUDED.description, category_id = EXCLUDED.category_id, price = EXCLUDED.price,
    offer_price = EXCLUDED.offer_price, stock = EXCLUDED.stock, featured = EXCLUDED.featured, image_url = EXCLUDED.image_url,
    popularity_score = EXCLUDED.popularity_score, is_available = EXCLUDED.is_available, updated_at = now()
  WHERE (p.name, p.description, p.category_id, p.price, p.offer_price, p.stock, p.featured, p.image_url, p.popularity_score, p.is_available)
        IS DISTINCT FROM
        (EXCLUDED.name, EXCLUDED.description, EXCLUDED.category_id, EXCLUDED.price, EXCLUDED.offer_price, EXCLUDED.stock,
         EXCLUDED.featured, EXCLUDED.image_url, EXCLUDED.popularity_score, EXCLUDED.is_available)
  RETURNING (xmax = 0) AS inserted`;

/**
 * Insert or update products by SKU, in batches; categories named by the products are created first. When a
 * SKU appears twice the last one wins (one statement cannot update a row twice). Callers refresh the
 * catalogue views afterwards (refreshCatalogueViews), as importCatalogue does.
 */
export async function upsertProducts(db: Queryable, products: readonly ProductInput[], options: UpsertOptions = {}): Promise<UpsertCounts> {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const unique = [...bySku.values()];
  const categoryIds = await ensureCategories(db, new Set(unique.flatMap((p) => (p.category ? [p.category] : []))));
  const rows = unique.map((p) => ({
    sku: p.sku,
    name: p.name,
    description: p.description ?? null,
    category_id: p.category ? categoryIds.get(p.category) : null,
    price: p.price,
    offer_price: p.offerPrice ?? null,
    stock: p.stock,
    featured: p.featured ?? false,
    image_url: p.imageUrl ?? null,
    popularity_score: p.popularity ?? null,
    is_available: p.available ?? null,
  }));

  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const size = Math.max(1, options.batchSize ?? 500);
  options.onProgress?.(0, rows.length);
  for (let start = 0; start < rows.length; start += size) {
    const batch = rows.slice(start, start + size);
    const written = await db.unsafe<{ inserted: boolean }[]>(UPSERT, [db.json(batch as never)]);
    const inserted = written.filter((w) => w.inserted).length;
    counts.inserted += inserted;
    counts.updated += written.length - inserted;
    counts.unchanged += batch.length - written.length;
    options.onProgress?.(start + batch.length, rows.length);
  }
  return counts;
}

export async function productBySku(db: Queryable, sku: string): Promise<Product | undefined> {
  const [row] = await db.unsafe<Product[]>(`SELECT ${PRODUCT_COLUMNS} FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.sku = $1`, [sku]);
  return row;
}

/** Several products by SKU, in the order asked (SKUs not in the catalogue left out). */
export async function productsBySkus(db: Queryable, skus: readonly string[]): Promise<Product[]> {
  if (!skus.length) return [];
  const rows = await db.unsafe<Product[]>(`SELECT ${PRODUCT_COLUMNS} FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.sku = ANY($1::text[])`, [skus as string[]]);
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  return skus.map((s) => bySku.get(s)).filter((p): p is Product => p !== undefined);
}

export interface ListOptions {
  /** Only this category's products (by slug); the whole catalogue when absent. */
  category?: string;
  limit?: number;
  offset?: number;
  /** Also products switched off or out of stock (for the shop's staff, not customers). */
  includeUnavailable?: boolean;
}

/** Products best first: featured, then on offer, then popular. Paged for "ver más". */
export async function listProducts(db: Queryable, options: ListOptions = {}): Promise<Product[]> {
  const { category, limit = 10, offset = 0, includeUnavailable = false } = options;
  // Two fixed shapes rather than "$1 IS NULL OR …", so each is planned on its own index.
  const inCategory = category === undefined ? 'true' : 'p.category_id = (SELECT id FROM categories WHERE slug = $3)';
  return db.unsafe<Product[]>(
    `SELECT ${PRODUCT_COLUMNS}
       FROM products p LEFT JOIN categories c ON c.id = p.category_id
      WHERE ${includeUnavailable ? 'true' : ON_SALE} AND ${inCategory}
      ORDER BY p.featured DESC, (p.offer_price IS NOT NULL) DESC, p.popularity_score DESC, p.id
      LIMIT $1 OFFSET $2`,
    category === undefined ? [limit, offset] : [limit, offset, category],
  );
}
