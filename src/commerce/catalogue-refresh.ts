import type { Queryable } from '../db/client.ts';

// Both views are derived from products and categories and go stale as they change: run this after an
// import and on a schedule (the maintenance queue's refresh-catalogue task). CONCURRENTLY lets customers
// keep reading the old rows while the new ones are computed; two refreshes at once simply take turns.

// A digest of the whole menu (a few dozen rows): compared before and after, it says whether the refresh
// changed anything a customer sees, so a scheduled refresh does not empty the listing cache for nothing.
const LISTINGS_DIGEST = `SELECT md5(coalesce(string_agg(l::text, '|' ORDER BY l.category_id), '')) AS digest FROM category_listings l`;

export interface RefreshResult {
  /** The category menu differs from before: cached copies must go. */
  listingsChanged: boolean;
}

/** Recompute category_listings (counts, featured, offers) and catalogue_lexemes (what search knows). */
export async function refreshCatalogueViews(db: Queryable): Promise<RefreshResult> {
  const [before] = await db.unsafe<{ digest: string }[]>(LISTINGS_DIGEST);
  await db`REFRESH MATERIALIZED VIEW CONCURRENTLY category_listings`;
  await db`REFRESH MATERIALIZED VIEW CONCURRENTLY catalogue_lexemes`;
  const [after] = await db.unsafe<{ digest: string }[]>(LISTINGS_DIGEST);
  return { listingsChanged: before.digest !== after.digest };
}
