// npm run catalog:import -- FILE
// Upserts the shop's products by SKU from a JSON array or a CSV (columns sku,name,description,category,price,
// stock,featured,offer_price,image_url), then refreshes the category listings and clears the cached menu.
// Exit 0: every row imported. 2: the good rows imported, some rejected (listed with their line).
// 1: nothing imported (no file, unreadable, not JSON/CSV, missing columns, every row bad, database down).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { progressReporter } from './progress.ts';
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { createDb } from '../src/db/client.ts';
import { CatalogueFileError, readCatalogue } from '../src/commerce/catalogue-file.ts';
import { importCatalogue, type CatalogueImportReport } from '../src/commerce/catalogue-import.ts';
import type { CatalogueRecord } from '../src/commerce/catalogue-rows.ts';
import { createCategoryCache } from '../src/commerce/category-cache.ts';
import { createProducerRedis, waitForRedis } from '../src/queues/redis.ts';

const USAGE = `usage: npm run catalog:import -- FILE

  FILE   a JSON array of products, or a CSV whose header names the columns
         sku,name,description,category,price,stock,featured,offer_price,image_url
         (sku, name, category, price and stock are required; ; or , separated)

DATABASE_URL says where to import; REDIS_URL and QUEUE_PREFIX which category cache to clear.`;

/** A problem with the file's path: reported in one line, no stack. */
class InputError extends Error {}

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`import failed: ${error.message}`);
  return 1;
});

async function main(argv: string[]): Promise<number> {
  let file: string;
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new Error(positionals.length ? 'give one file at a time' : 'give the catalogue file to import');
    file = positionals[0];
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }

  let records: CatalogueRecord[];
  let config: ReturnType<typeof loadConfig>;
  try {
    records = readCatalogue(file, await readText(file));
    config = loadConfig();
  } catch (error) {
    if (error instanceof CatalogueFileError || error instanceof ConfigError || error instanceof InputError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  const sql = createDb({ url: config.DATABASE_URL, max: 2 });
  const redis = createProducerRedis(config.REDIS_URL);
  redis.on('error', () => {}); // a dead Redis is reported once, as the cache warning below
  const redisReady = waitForRedis(redis, 3000).catch(() => {});
  const progress = progressReporter('products');
  try {
    const cache = createCategoryCache({ redis, prefix: config.QUEUE_PREFIX });
    const report = await importCatalogue(sql, records, {
      onProgress: progress.update,
      cache: { get: cache.get, invalidate: async () => { await redisReady; await cache.invalidate(); } },
    });
    progress.stop();
    printReport(file, report);
    if (report.rejected === 0) return 0;
    return report.rejected < report.read ? 2 : 1;
  } catch (error) {
    console.error(`database error, import stopped: ${(error as Error).message}`);
    return 1;
  } finally {
    progress.stop();
    redis.disconnect();
    await sql.end({ timeout: 5 });
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read ${path}: ${why}`);
  }
}


function printReport(file: string, r: CatalogueImportReport): void {
  console.log(`read: ${r.read}, inserted: ${r.inserted}, updated: ${r.updated}, unchanged: ${r.unchanged}, rejected: ${r.rejected}`);
  for (const x of r.rejections) console.log(`rejected ${file} line ${x.line}${x.sku ? ` (sku ${x.sku})` : ''}: ${x.reason}`);
  if (r.cacheError) console.log(`warning: could not clear the cached category menu (${r.cacheError}); it expires within 30 minutes`);
  else console.log('category listings refreshed');
}
