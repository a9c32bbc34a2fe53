// npm run seed:demo
// Loads data/demo-catalogue.json, a Colombian shop of about fifty products (ropa, calzado, hogar y cocina,
// electrónica, belleza, deportes; offers, featured items, a few sold out), through the same import as
// catalog:import, so a newcomer has something to browse and search. Safe to run again: products are
// upserted by SKU and a second run changes nothing.
import { readFile } from 'node:fs/promises';
import { readCatalogue } from '../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../src/commerce/catalogue-import.ts';
import { createCategoryCache } from '../src/commerce/category-cache.ts';
import { listCategories } from '../src/commerce/categories.ts';
import { createProducerRedis, waitForRedis } from '../src/queues/redis.ts';
import { runCommand } from './cli.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run seed:demo', {});

const DEMO_FILE = new URL('../data/demo-catalogue.json', import.meta.url).pathname;

await runCommand(async ({ config, sql }) => {
  const records = readCatalogue(DEMO_FILE, await readFile(DEMO_FILE, 'utf8'));
  const redis = createProducerRedis(config.REDIS_URL);
  redis.on('error', () => {});
  try {
    await waitForRedis(redis, 3000).catch(() => {});
    const report = await importCatalogue(sql, records, { cache: createCategoryCache({ redis, prefix: config.QUEUE_PREFIX }) });
    console.log(`demo catalogue: ${report.inserted} products added, ${report.updated} updated, ${report.unchanged} already there`);
    for (const c of await listCategories(sql)) console.log(`  ${c.name}: ${c.products} on sale, ${c.offers} on offer, ${c.featured} featured`);
    if (report.cacheError) console.log(`warning: could not clear the cached category menu (${report.cacheError}); it expires within 30 minutes`);
    // the demo file is ours: a rejected row is a bug in it, not something to shrug off
    for (const x of report.rejections) console.error(`demo row on line ${x.line} rejected: ${x.reason}`);
    return report.rejected ? 1 : 0;
  } finally {
    redis.disconnect();
  }
});
