import type { Queryable } from '../db/client.ts';
import type { StatusUpdate } from '../whatsapp/types.ts';
import { recipientCountry } from './country.ts';

// What each message we sent is billed, from the `pricing` its status webhooks carry (migration 016's
// message_billing): the category and whether it is billable as first reported, the price the table had
// for that category and the recipient's country then, and when it was delivered (Meta charges on delivery).

const DELIVERED = new Set(['delivered', 'read', 'played']);

/** A message recorded for the first time (`newly`), or seen delivered for the first time (`delivered`). */
export interface BillingChange {
  category: string;
  billable: boolean;
  priceUsd: number | null;
}

export interface BillingRecord {
  newly: BillingChange[];
  delivered: BillingChange[];
}

export async function recordBilling(db: Queryable, statuses: StatusUpdate[]): Promise<BillingRecord> {
  const priced = statuses.filter((s) => s.pricing);
  const newly = priced.length ? await insertBilling(db, priced) : [];
  // a delivery reported without pricing (read receipts often carry none) still marks the message delivered
  const deliveries = statuses.filter((s) => DELIVERED.has(s.status));
  const delivered = deliveries.length ? await markDelivered(db, deliveries) : [];
  return { newly: newly.map(({ deliveredNow: _d, ...c }) => c), delivered: [...newly.filter((c) => c.deliveredNow).map(({ deliveredNow: _d, ...c }) => c), ...delivered] };
}

async function insertBilling(db: Queryable, statuses: StatusUpdate[]): Promise<(BillingChange & { deliveredNow: boolean })[]> {
  // one row per message: several statuses of one message in a delivery give the first its row
  const first = new Map<string, StatusUpdate>();
  for (const s of statuses) if (!first.has(`${s.provider}\u0000${s.providerMessageId}`)) first.set(`${s.provider}\u0000${s.providerMessageId}`, s);
  const rows = [...first.values()];
  return db<(BillingChange & { deliveredNow: boolean })[]>`
    WITH input AS (
      SELECT * FROM unnest(${rows.map((s) => s.provider)}::text[], ${rows.map((s) => s.providerMessageId)}::text[],
                           ${rows.map((s) => s.pricing!.category)}::text[], ${rows.map((s) => String(s.pricing!.billable))}::text[]::boolean[],
                           ${rows.map((s) => s.pricing!.model ?? null)}::text[], ${rows.map((s) => s.pricing!.type ?? null)}::text[],
                           ${rows.map((s) => recipientCountry({ phone: s.recipientPhone, bsuid: s.recipientUserId ?? s.recipientParentUserId }) ?? null)}::text[],
                           ${rows.map((s) => s.at.toISOString())}::text[]::timestamptz[], ${rows.map((s) => String(DELIVERED.has(s.status)))}::text[]::boolean[])
        AS t(provider, id, category, billable, model, type, country, at, delivered))
    INSERT INTO message_billing (provider, provider_message_id, category, billable, pricing_model, pricing_type, country, price_usd, reported_at, delivered_at)
    SELECT provider, id, category, billable, model, type, country,
           coalesce((SELECT price_usd FROM whatsapp_prices p WHERE p.category = input.category AND p.country = input.country),
                    (SELECT price_usd FROM whatsapp_prices p WHERE p.category = input.category AND p.country = '*')),
           at, CASE WHEN delivered THEN at END
      FROM input
    ON CONFLICT (provider, provider_message_id) DO NOTHING
    RETURNING category, billable, price_usd::float8 AS "priceUsd", delivered_at IS NOT NULL AS "deliveredNow"`;
}

async function markDelivered(db: Queryable, statuses: StatusUpdate[]): Promise<BillingChange[]> {
  return db<BillingChange[]>`
    WITH input AS (
      SELECT provider, id, min(at) AS at
        FROM unnest(${statuses.map((s) => s.provider)}::text[], ${statuses.map((s) => s.providerMessageId)}::text[], ${statuses.map((s) => s.at.toISOString())}::text[]::timestamptz[]) AS t(provider, id, at)
       GROUP BY provider, id)
    UPDATE message_billing b SET delivered_at = input.at
      FROM input WHERE b.provider = input.provider AND b.provider_message_id = input.id AND b.delivered_at IS NULL
    RETURNING b.category, b.billable, b.price_usd::float8 AS "priceUsd"`;
}
