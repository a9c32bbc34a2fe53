import type { Queryable } from '../db/client.ts';

export type CustomerTier = 'new' | 'regular' | 'vip';

/** The shop's customer record; created on first contact. Returns the tier that decides the rate limits. */
export async function ensureCustomer(db: Queryable, phone: string, name: string | null): Promise<{ tier: CustomerTier; optedOut: boolean }> {
  const [row] = await db<{ tier: CustomerTier; optedOut: boolean }[]>`
    INSERT INTO customers (phone, name) VALUES (${phone}, ${name})
    ON CONFLICT (phone) DO UPDATE SET name = coalesce(EXCLUDED.name, customers.name), updated_at = now()
    RETURNING customer_tier AS tier, opted_out_at IS NOT NULL AS "optedOut"`;
  return row;
}

export async function setCustomerTier(db: Queryable, phone: string, tier: CustomerTier): Promise<void> {
  await db`UPDATE customers SET customer_tier = ${tier}, updated_at = now() WHERE phone = ${phone}`;
}

/** The customer asked not to be contacted (opt-out): campaigns must skip them from now on. */
export async function markOptedOut(db: Queryable, phone: string): Promise<void> {
  await db`
    UPDATE customers SET opted_out_source = CASE WHEN opted_out_at IS NULL THEN 'typed' ELSE opted_out_source END,
                         opted_out_at = coalesce(opted_out_at, now()), updated_at = now()
     WHERE phone = ${phone}`;
}
