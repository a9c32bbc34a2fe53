// Product search on a large catalogue: 100,000 generated products with Spanish names (kind, colour or
// material, brand, model), then a few hundred varied searches one after another, typos included.
// Used by bench/run.ts; also runs on its own against a throwaway database: `node bench/search.ts`.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../src/db/client.ts';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { ensureCategories } from '../src/commerce/categories.ts';
import { refreshCatalogueViews } from '../src/commerce/catalogue-refresh.ts';
import { searchProducts } from '../src/commerce/search.ts';
import { ADMIN_URL, databaseUrl } from '../tests/support/pg-admin.ts';
import { percentile, round } from './stats.ts';

// What a Colombian general store sells, by category.
const KINDS: Record<string, string[]> = {
  Ropa: ['Camiseta', 'Camisa', 'Pantalón', 'Jean', 'Chaqueta', 'Vestido', 'Falda', 'Buzo', 'Sudadera', 'Blusa', 'Medias', 'Gorra', 'Ruana', 'Pijama', 'Bermuda'],
  Calzado: ['Zapatos', 'Tenis', 'Sandalias', 'Botas', 'Mocasines', 'Chanclas', 'Zapatillas', 'Alpargatas', 'Botines'],
  'Hogar y cocina': ['Licuadora', 'Olla', 'Sartén', 'Cafetera', 'Vajilla', 'Cuchillo', 'Freidora de aire', 'Sábanas', 'Toalla', 'Lámpara', 'Cojín', 'Greca', 'Arrocera', 'Tostadora', 'Cortina'],
  Electrónica: ['Audífonos', 'Celular', 'Portátil', 'Cargador', 'Parlante', 'Televisor', 'Reloj inteligente', 'Mouse', 'Teclado', 'Tablet', 'Cámara', 'Memoria USB'],
  Belleza: ['Perfume', 'Crema hidratante', 'Labial', 'Champú', 'Secador de pelo', 'Plancha para el cabello', 'Esmalte'],
  Deportes: ['Balón', 'Bicicleta', 'Mancuernas', 'Colchoneta de yoga', 'Termo', 'Guantes de boxeo', 'Casco'],
  Juguetes: ['Muñeca', 'Carro de juguete', 'Rompecabezas', 'Peluche', 'Lego', 'Pelota'],
  Papelería: ['Cuaderno', 'Morral', 'Lápices de colores', 'Agenda', 'Cartuchera', 'Marcadores'],
};
const TRAITS = ['blanca', 'negra', 'azul', 'roja', 'verde', 'gris', 'rosada', 'beige', 'de cuero', 'de algodón', 'de lino',
  'de acero inoxidable', 'deportiva', 'clásica', 'premium', 'estampada', 'infantil', 'para hombre', 'para mujer', 'unisex',
  'inalámbrica', 'recargable', 'compacta', 'grande', 'pequeña', 'ecológica', 'térmica', 'impermeable', 'de lujo', 'básica'];
const BRANDS = ['Andina', 'Caribe', 'Sabana', 'Cóndor', 'Tayrona', 'Nevado', 'Pacífico', 'Guadua', 'Ceiba', 'Orquídea',
  'Samán', 'Macondo', 'Quindío', 'Amazonas', 'Chicamocha', 'Arhuaco', 'Palmira', 'Yarumo', 'Totumo', 'Mompox'];

/**
 * `count` products in one INSERT … SELECT generate_series, names and descriptions built in SQL from the word
 * lists above. Deterministic; popularity skewed like real sales (a few best sellers, a long tail); one in
 * fifty sold out, one in ninety-seven switched off, one in seven on offer, one in thirty-one featured.
 */
export async function generateProducts(sql: Sql, count: number, skuPrefix = 'GEN'): Promise<void> {
  const kinds = Object.entries(KINDS).flatMap(([category, names]) => names.map((name) => ({ name, category })));
  const ids = await ensureCategories(sql, Object.keys(KINDS));
  await sql`
    WITH kind AS (SELECT k.ord - 1 AS i, k.name, k.category_id
                    FROM unnest(${kinds.map((k) => k.name)}::text[], ${kinds.map((k) => ids.get(k.category)!)}::int[])
                         WITH ORDINALITY AS k(name, category_id, ord)),
         trait AS (SELECT t.ord - 1 AS i, t.trait FROM unnest(${TRAITS}::text[]) WITH ORDINALITY AS t(trait, ord)),
         brand AS (SELECT b.ord - 1 AS i, b.brand FROM unnest(${BRANDS}::text[]) WITH ORDINALITY AS b(brand, ord))
    INSERT INTO products (sku, name, description, category_id, price, offer_price, stock, popularity_score, is_available, featured)
    SELECT ${skuPrefix} || '-' || g,
           kind.name || ' ' || trait.trait || ' ' || brand.brand || ' ' || (100 + g % 900),
           kind.name || ' ' || trait.trait || ' de la marca ' || brand.brand || '. Garantía de ' || (1 + g % 24) ||
             ' meses y envío a todo el país.',
           kind.category_id, price, CASE WHEN g % 7 = 0 THEN round(price * 0.8, -2) END,
           CASE WHEN g % 50 = 0 THEN 0 ELSE 1 + g % 40 END,
           round(power(((g * 7919) % 1000) / 1000.0, 3) * 1000, 2), g % 97 <> 0, g % 31 = 0
      FROM generate_series(1::bigint, ${count}::bigint) AS g
     CROSS JOIN LATERAL (SELECT (10000 + (g * 104729) % 2000000)::numeric(12,2) AS price) p
      JOIN kind ON kind.i = g % ${kinds.length}
      JOIN trait ON trait.i = (g / ${kinds.length}) % ${TRAITS.length}
      JOIN brand ON brand.i = (g / ${kinds.length * TRAITS.length}) % ${BRANDS.length}`;
  await sql`VACUUM ANALYZE products`;
  await refreshCatalogueViews(sql);
}

// A small seeded generator: the same queries in every run, so runs compare.
function prng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// The misspellings customers make on phones: sounds spelt another way, a letter dropped or doubled.
const TYPOS: ((w: string, r: () => number) => string)[] = [
  (w) => w.replace(/z/, 's').replace(/v/, 'b').replace(/ll/, 'y').replace(/ce/, 'se'),
  (w, r) => { const i = 1 + Math.floor(r() * (w.length - 2)); return w.slice(0, i) + w.slice(i + 1); },
  (w, r) => { const i = 1 + Math.floor(r() * (w.length - 2)); return w.slice(0, i) + w[i] + w.slice(i); },
  (w) => w.replace(/s$/, '').replace(/a$/, 'as'),
];

/** `count` searches as customers type them: kinds, kinds with a trait or brand, categories, typos, partial words. */
export function searchQueries(count: number, seed = 42): string[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const kinds = Object.values(KINDS).flat();
  const queries: string[] = [];
  while (queries.length < count) {
    const kind = pick(kinds);
    const word = fold(kind.split(' ')[0]);
    switch (Math.floor(r() * 10)) {
      case 0: case 1: queries.push(fold(kind)); break;
      case 2: queries.push(`${kind} ${pick(TRAITS)}`); break;
      case 3: queries.push(`${fold(kind)} ${fold(pick(TRAITS))} ${pick(BRANDS)}`); break;
      case 4: queries.push(fold(pick(Object.keys(KINDS)))); break;
      case 5: case 6: queries.push(pick(TYPOS)(word, r) + (r() < 0.5 ? '' : ` ${fold(pick(TRAITS))}`)); break;
      case 7: queries.push(word.slice(0, Math.max(3, Math.ceil(word.length * 0.6)))); break;
      case 8: queries.push(`${word} ${fold(pick(TRAITS))} talla ${30 + Math.floor(r() * 15)}`); break;
      default: queries.push(pick(['helicoptero', 'xyzzy', 'repuesto de moto', 'tenis blancos baratos', 'regalo para mama', 'licuadoraoster'])); break;
    }
  }
  return queries;
}

export interface SearchBenchResult {
  search_p50_ms: number | null;
  search_p95_ms: number | null;
  products: number;
  queries: number;
}

/**
 * Generate the catalogue in `sql`'s database, then time each search, one at a time. The warm-up pass uses
 * other queries of the same kind (another seed): connections and plans are warm, and so is search's memory
 * of common words, as in a running shop, but not for the very queries measured.
 */
export async function benchSearch(sql: Sql, { products = 100_000, queries = 400 } = {}): Promise<SearchBenchResult> {
  await generateProducts(sql, products);
  for (const text of searchQueries(200, 7)) await searchProducts(sql, text);
  const texts = searchQueries(queries);
  const times: number[] = [];
  for (const text of texts) {
    const start = performance.now();
    await searchProducts(sql, text);
    times.push(performance.now() - start);
  }
  return { search_p50_ms: round(percentile(times, 50)), search_p95_ms: round(percentile(times, 95)), products, queries: texts.length };
}

if (import.meta.main) {
  const name = `wa_bench_search_${randomBytes(3).toString('hex')}`;
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const sql = createDb({ url: databaseUrl(name), max: 2 });
  try {
    await migrate(sql);
    console.log(JSON.stringify(await benchSearch(sql, { products: Number(process.env.BENCH_PRODUCTS ?? 100_000) })));
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
