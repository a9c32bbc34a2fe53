import type { Queryable } from '../db/client.ts';

/** One of Meta's categories over a window: messages, how many are billable, delivered, and what they cost. */
export interface CategoryBilling {
  messages: number;
  billable: number;
  /** billable and delivered: what Meta charges for */
  charged: number;
  /** charged with no price in the table for their country */
  unpriced: number;
  costUsd: number;
}

export interface WhatsAppBilling {
  since: Date;
  byCategory: Record<string, CategoryBilling>;
  costUsd: number;
  unpriced: number;
}

/** Messages we sent and what WhatsApp charges for them, first reported since `since`. */
export async function readWhatsAppBilling(db: Queryable, since: Date): Promise<WhatsAppBilling> {
  const rows = await db<(CategoryBilling & { category: string })[]>`
    SELECT category, count(*)::int AS messages, count(*) FILTER (WHERE billable)::int AS billable,
           count(*) FILTER (WHERE billable AND delivered_at IS NOT NULL)::int AS charged,
           count(*) FILTER (WHERE billable AND delivered_at IS NOT NULL AND price_usd IS NULL)::int AS unpriced,
           coalesce(sum(price_usd) FILTER (WHERE billable AND delivered_at IS NOT NULL), 0)::float8 AS "costUsd"
      FROM message_billing WHERE reported_at >= ${since}
     GROUP BY category ORDER BY category`;
  const byCategory = Object.fromEntries(rows.map(({ category, ...figures }) => [category, { ...figures, costUsd: roundUsd(figures.costUsd) }]));
  return {
    since,
    byCategory,
    costUsd: roundUsd(rows.reduce((sum, r) => sum + r.costUsd, 0)),
    unpriced: rows.reduce((sum, r) => sum + r.unpriced, 0),
  };
}

const roundUsd = (usd: number) => Math.round(usd * 1e6) / 1e6;
