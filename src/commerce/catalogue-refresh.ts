import type { Queryable } from '../db/client.ts';
import { forgetCatalogueWords } from './search-terms.ts';

// The views are derived from products and categories and go stale as they change: run this after an
// import and on a schedule (the maintenance queue's refresh-catalogue task). CONCURRENTLY lets customers
// keep reading the old rows while the new ones are computed; two refreshes at once simply take turns.

// A digest of the whole menu (a few dozen rows), kept in catalogue_refresh: compared with the one the
// previous refresh left, it says whether customers' cached menus are out of date. Against the previous
// refresh rather than against the view just before this one, so a view refreshed some other way (by
// hand, by an older process) still counts as a change. The popularity percentiles are search's (search.ts).
const RECORD_DIGEST = `
  UPDATE catalogue_refresh r
     SET listings_digest = now_listed.digest, refreshed_at = now(),
         popularity_quantiles = (SELECT percentile_disc(array(SELECT g / 100.0 FROM generate_series(0, 100) g)) WITHIN GROUP (ORDER BY popularity_score)
                                   FROM products WHERE is_available AND stock > 0)
    FROM (SELECT md5(coalesce(string_agg(l::text, '|' ORDER BY l.category_id), '')) AS digest FROM category_listings l) now_listed,
         (SELECT listings_digest FROM catalogue_refresh) previous
   RETURNING previous.listings_digest IS DISTINCT FROM now_listed.digest AS changed`;

export interface RefreshResult {
  /** The category menu differs from what the previous refresh left: cached copies must go. */
  listingsChanged: boolean;
}

/** Recompute category_listings (counts, featured, offers) and what search knows (catalogue_lexemes, catalogue_words). */
export async function refreshCatalogueViews(db: Queryable): Promise<RefreshResult> {
  await db`REFRESH MATERIALIZED VIEW CONCURRENTLY category_listings`;
  await db`REFRESH MATERIALIZED VIEW CONCURRENTLY catalogue_lexemes`;
  await db`REFRESH MATERIALIZED VIEW CONCURRENTLY catalogue_words`;
  const [row] = await db.unsafe<{ changed: boolean }[]>(RECORD_DIGEST);
  forgetCatalogueWords(db);
  return { listingsChanged: row?.changed ?? true };
}
