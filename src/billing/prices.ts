import type { Queryable } from '../db/client.ts';

// The price table of WhatsApp messages (migration 016's whatsapp_prices): US$ per delivered message by
// Meta's category and the recipient's country, '*' for every country without its own row.

export interface WhatsAppPrice {
  category: string;
  country: string;
  priceUsd: number;
  updatedAt: Date;
}

/** Meta's categories; others it adds later are taken as long as they look like one. */
export const KNOWN_CATEGORIES = ['marketing', 'utility', 'authentication', 'authentication_international', 'service', 'marketing_lite', 'referral_conversion'];

/** Why a row could not be set, or undefined. Prices with up to six decimals, as Meta's rate card gives them. */
export function priceProblem(p: { category: string; country: string; priceUsd: string }): string | undefined {
  if (!/^[a-z_]{1,40}$/.test(p.category)) return `category must be one of Meta's, such as ${KNOWN_CATEGORIES.slice(0, 4).join(', ')}; not ${JSON.stringify(p.category)}`;
  if (!/^([A-Z]{2}|\*)$/.test(p.country)) return `country must be an ISO 3166 code such as CO, or * for every other country; not ${JSON.stringify(p.country)}`;
  if (!/^\d{1,4}(\.\d{1,6})?$/.test(p.priceUsd)) return `price must be US$ per message like 0.0125 (up to six decimals); not ${JSON.stringify(p.priceUsd)}`;
  return undefined;
}

export async function listPrices(db: Queryable): Promise<WhatsAppPrice[]> {
  return db<WhatsAppPrice[]>`
    SELECT category, country, price_usd::float8 AS "priceUsd", updated_at AS "updatedAt" FROM whatsapp_prices
     ORDER BY category, country = '*', country`;
}

/** Set one price; messages already reported keep the price they were reported at. */
export async function setPrice(db: Queryable, category: string, country: string, priceUsd: string): Promise<WhatsAppPrice> {
  const [row] = await db<WhatsAppPrice[]>`
    INSERT INTO whatsapp_prices (category, country, price_usd) VALUES (${category}, ${country}, ${priceUsd}::numeric)
    ON CONFLICT (category, country) DO UPDATE SET price_usd = EXCLUDED.price_usd, updated_at = now()
    RETURNING category, country, price_usd::float8 AS "priceUsd", updated_at AS "updatedAt"`;
  return row;
}

export async function removePrice(db: Queryable, category: string, country: string): Promise<boolean> {
  const rows = await db`DELETE FROM whatsapp_prices WHERE category = ${category} AND country = ${country} RETURNING 1`;
  return rows.length === 1;
}
