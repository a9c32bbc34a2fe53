// catalog:import and seed:demo: a catalogue file's records checked, upserted by SKU, and the derived views
// and the cached category menu brought up to date. Good rows go in even when others are rejected.
import type { Sql } from '../db/client.ts';
import { refreshCatalogueViews } from './catalogue-refresh.ts';
import { validateRecords, type CatalogueRecord, type Rejection } from './catalogue-rows.ts';
import type { CategoryCache } from './category-cache.ts';
import { upsertProducts } from './products.ts';

export interface CatalogueImportOptions {
  /** Cleared once the products are in, so customers see the new menu at once rather than within 30 minutes. */
  cache?: CategoryCache;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CatalogueImportReport {
  /** Records in the file, good and bad. */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Rejection[];
  /** Why the cached category menu could not be cleared (it then expires on its own within 30 minutes). */
  cacheError?: string;
}

export async function importCatalogue(sql: Sql, records: readonly CatalogueRecord[], options: CatalogueImportOptions = {}): Promise<CatalogueImportReport> {
  const { rows, rejections } = validateRecords(records);
  const counts = await upsertProducts(sql, rows, { batchSize: options.batchSize, onProgress: options.onProgress });
  await refreshCatalogueViews(sql);
  let cacheError: string | undefined;
  try {
    await options.cache?.invalidate();
  } catch (error) {
    cacheError = (error as Error).message;
  }
  return { read: records.length, ...counts, rejected: rejections.length, rejections, ...(cacheError ? { cacheError } : {}) };
}
