// Search by need and attribute on the bench's 100,000 generated products: the conversation's search
// (searchCatalogue: need, colour, size, material, then the words) timed on the bench's own queries and on
// need and attribute ones, beside the plain searchProducts figure of bench/search.ts. On its own, against a
// throwaway database: `node bench/search-catalogue.ts` (BENCH_PRODUCTS to change the size).
import { randomBytes } from 'node:crypto';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { searchCatalogue } from '../src/commerce/search-catalogue.ts';
import { searchProducts } from '../src/commerce/search.ts';
import { ADMIN_URL, databaseUrl } from '../tests/support/pg-admin.ts';
import { generateProducts, searchQueries } from './search.ts';
import { percentile, round } from './stats.ts';

const NEEDS = ['algo para el frío', 'una chaqueta para el frio', 'algo para la lluvia', 'para hacer ejercicio', 'algo para el gimnasio', 'para regalar',
  'algo para la cocina', 'para la playa', 'para dormir', 'para el bebé', 'tenis para correr', 'camiseta roja', 'camisetas rojas talla XL', 'jean azul talla 32',
  'buzo de lana', 'zapatos de cuero negro', 'chaqueta impermeable para la lluvia', 'licuadora roja', 'morral para el colegio', 'algo para la piel'];

async function time(texts: readonly string[], search: (t: string) => Promise<unknown>) {
  const times: number[] = [];
  for (const text of texts) {
    const start = performance.now();
    await search(text);
    times.push(performance.now() - start);
  }
  return { p50_ms: round(percentile(times, 50)), p95_ms: round(percentile(times, 95)), queries: texts.length };
}

if (import.meta.main) {
  const name = `wa_bench_needs_${randomBytes(3).toString('hex')}`;
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const sql = createDb({ url: databaseUrl(name), max: 2 });
  try {
    await migrate(sql);
    const products = Number(process.env.BENCH_PRODUCTS ?? 100_000);
    await generateProducts(sql, products);
    // warm as bench/search.ts does: other queries of the same kinds, then the need words once each
    for (const text of searchQueries(200, 7)) await searchCatalogue(sql, text);
    for (const text of NEEDS) await searchCatalogue(sql, `${text} por favor`);
    const queries = searchQueries(400);
    const needs = Array.from({ length: 200 }, (_, i) => NEEDS[i % NEEDS.length]);
    console.log(JSON.stringify({
      products,
      searchProducts: await time(queries, (t) => searchProducts(sql, t)),
      searchCatalogue: await time(queries, (t) => searchCatalogue(sql, t)),
      searchCatalogue_needs_and_attributes: await time(needs, (t) => searchCatalogue(sql, t)),
    }));
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
