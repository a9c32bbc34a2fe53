import type { Queryable } from '../db/client.ts';
import { cartTotals, type CartLine, type CartTotals } from './cart.ts';

export interface ShippingOption {
  code: string;
  name: string;
  description: string | null;
  cost: number;
  /** Free at or above this subtotal (what the customer pays for the goods); null: never free. */
  freeFrom: number | null;
}

export async function listShippingOptions(db: Queryable): Promise<ShippingOption[]> {
  return db<ShippingOption[]>`
    SELECT code, name, description, cost::float8 AS cost, free_from::float8 AS "freeFrom"
      FROM shipping_options WHERE is_active ORDER BY sort_order, cost, code`;
}

export async function getShippingOption(db: Queryable, code: string): Promise<ShippingOption | undefined> {
  const [row] = await db<ShippingOption[]>`
    SELECT code, name, description, cost::float8 AS cost, free_from::float8 AS "freeFrom"
      FROM shipping_options WHERE code = ${code} AND is_active`;
  return row;
}

export function shippingCost(option: Pick<ShippingOption, 'cost' | 'freeFrom'>, goodsTotal: number): number {
  return option.freeFrom !== null && goodsTotal >= option.freeFrom ? 0 : option.cost;
}

/** A cart's totals with this delivery, free above its threshold: one rule for the summary shown and the order placed. */
export function totalsWithShipping(lines: Pick<CartLine, 'listPrice' | 'unitPrice' | 'quantity'>[], option: Pick<ShippingOption, 'cost' | 'freeFrom'>): CartTotals {
  return cartTotals(lines, shippingCost(option, cartTotals(lines).total));
}
