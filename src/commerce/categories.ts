import type { Queryable } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';

/** A line of the category menu, from the category_listings materialised view (as of its last refresh). */
export interface CategoryListing {
  slug: string;
  name: string;
  description: string | null;
  /** Products on sale now (available, in stock). */
  products: number;
  featured: number;
  offers: number;
  /** The lowest price on sale in the category, offers included; null when nothing is on sale. */
  fromPrice: number | null;
}

/** "Hogar y Cocina" → "hogar-y-cocina", "Electrónica" → "electronica". Empty when the name has no letter or digit. */
export function slugify(name: string): string {
  return foldAccents(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The id of each named category, creating the missing ones. Names are matched by slug, so "Electrónica"
 * and "electronica" are one category; an existing category keeps the name it was created with.
 */
export async function ensureCategories(db: Queryable, names: Iterable<string>): Promise<Map<string, number>> {
  const list = [...names];
  const bySlug = new Map<string, string>();
  for (const name of list) {
    const slug = slugify(name);
    if (!slug) throw new Error(`category "${name}" has no letter or digit to name it by`);
    if (!bySlug.has(slug)) bySlug.set(slug, name.trim());
  }
  if (bySlug.size === 0) return new Map();
  // The SELECT does not see the CTE's inserts (one snapshot), so together they return every slug once.
  const rows = await db<{ id: number; slug: string }[]>`
    WITH inserted AS (
      INSERT INTO categories (slug, name)
      SELECT * FROM unnest(${[...bySlug.keys()]}::text[], ${[...bySlug.values()]}::text[])
      ON CONFLICT (slug) DO NOTHING
      RETURNING id, slug)
    SELECT id, slug FROM inserted
    UNION ALL
    SELECT id, slug FROM categories WHERE slug = ANY(${[...bySlug.keys()]}::text[])`;
  const idBySlug = new Map(rows.map((r) => [r.slug, r.id]));
  const ids = new Map<string, number>();
  for (const name of list) ids.set(name, idBySlug.get(slugify(name))!);
  return ids;
}

/** The category menu in the shop's order; categories with nothing on sale are left out unless asked for. */
export async function listCategories(db: Queryable, { includeEmpty = false } = {}): Promise<CategoryListing[]> {
  return db<CategoryListing[]>`
    SELECT slug, name, description, available_count AS products, featured_count AS featured, offer_count AS offers,
           from_price::float8 AS "fromPrice"
      FROM category_listings
     WHERE ${includeEmpty} OR available_count > 0
     ORDER BY sort_order, name`;
}
