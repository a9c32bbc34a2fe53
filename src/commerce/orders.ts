import { createHash } from 'node:crypto';
import type { Queryable, Sql } from '../db/client.ts';
import { recordEvent } from '../db/events.ts';
import { getShippingOption, totalsWithShipping } from './shipping.ts';

// Turning a cart into an order without ever selling a unit twice. One transaction: the cart row is
// locked first (two confirmations of one cart queue up here), the products are locked in id order (no
// deadlock between carts that share SKUs), then each line takes its units with "WHERE stock >= n".
// Anything short rolls the whole order back and says which product and how many are left.

export type PaymentMethod = 'cash_on_delivery' | 'bank_transfer' | 'payment_link';

export interface CheckoutDetails {
  customerName: string;
  deliveryAddress: string;
  shippingCode: string;
  paymentMethod: PaymentMethod;
}

export interface OrderSummary {
  id: number;
  orderNumber: number;
  phone: string;
  status: string;
  paymentMethod: PaymentMethod;
  paymentStatus: 'pending' | 'paid';
  paymentUrl: string | null;
  total: number;
  createdAt: Date;
  /** The delivery chosen and how long it takes, when the shop gave it times (shipping_options.min_days/max_days). */
  delivery?: { name: string; minDays: number; maxDays: number; businessDays: boolean };
  items: { sku: string; name: string; quantity: number; unitPrice: number }[];
}

export type PlaceOrderResult =
  | { ok: true; order: OrderSummary; replayed: boolean }
  | { ok: false; reason: 'empty_cart' | 'unknown_shipping' }
  | { ok: false; reason: 'out_of_stock'; sku: string; name: string; available: number; wanted: number };

/**
 * The key of one confirmation: the customer, the cart version the summary showed, and the details.
 * Confirming that summary again (a double tap, a redelivered message) gives the same key, so the same order.
 */
export function checkoutKey(phone: string, cartVersion: number, details: CheckoutDetails): string {
  const canonical = JSON.stringify([phone, cartVersion, details.customerName, details.deliveryAddress, details.shippingCode, details.paymentMethod]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** Place the order in its own transaction, retrying the rare serialization or deadlock failure. */
export async function placeOrder(sql: Sql, phone: string, key: string, details: CheckoutDetails, attempts = 5): Promise<PlaceOrderResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.begin((tx) => placeOrderIn(tx, phone, key, details));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}

/** The same, inside a transaction the caller owns (the conversation's): everything commits or nothing does. */
export async function placeOrderIn(tx: Queryable, phone: string, key: string, details: CheckoutDetails): Promise<PlaceOrderResult> {
  await tx`SELECT 1 FROM carts WHERE phone = ${phone} FOR UPDATE`;
  const [done] = await tx<{ id: number }[]>`SELECT id FROM orders WHERE idempotency_key = ${key}`;
  if (done) return { ok: true, order: (await orderById(tx, done.id))!, replayed: true };

  const lines = await tx<{ productId: number; sku: string; name: string; listPrice: number; unitPrice: number; quantity: number; stock: number }[]>`
    SELECT p.id AS "productId", p.sku, p.name, p.price::float8 AS "listPrice", coalesce(p.offer_price, p.price)::float8 AS "unitPrice",
           ci.quantity, CASE WHEN p.is_available THEN p.stock ELSE 0 END AS stock
      FROM cart_items ci JOIN products p ON p.id = ci.product_id
     WHERE ci.phone = ${phone}
     ORDER BY p.id
       FOR UPDATE OF p`;
  if (!lines.length) return { ok: false, reason: 'empty_cart' };
  const shipping = await getShippingOption(tx, details.shippingCode);
  if (!shipping) return { ok: false, reason: 'unknown_shipping' };

  // the rows are locked: what we read is what we may take; the UPDATE's condition is the last guard
  const short = lines.find((l) => l.quantity > l.stock);
  if (short) return { ok: false, reason: 'out_of_stock', sku: short.sku, name: short.name, available: short.stock, wanted: short.quantity };
  for (const l of lines) {
    const taken = await tx`UPDATE products SET stock = stock - ${l.quantity}, popularity_score = popularity_score + ${l.quantity}, updated_at = now()
                            WHERE id = ${l.productId} AND stock >= ${l.quantity} RETURNING 1`;
    if (!taken.length) throw new Error(`stock of ${l.sku} changed under a row lock`); // cannot happen; never sell it anyway
  }

  const totals = totalsWithShipping(lines, shipping);
  const [order] = await tx<{ id: number }[]>`
    INSERT INTO orders (phone, idempotency_key, customer_name, delivery_address, shipping_code, shipping_cost, subtotal, discount, total, payment_method)
    VALUES (${phone}, ${key}, ${details.customerName}, ${details.deliveryAddress}, ${shipping.code}, ${totals.shipping}, ${totals.subtotal}, ${totals.discount}, ${totals.total}, ${details.paymentMethod})
    RETURNING id`;
  await tx`INSERT INTO order_items ${tx(lines.map((l) => ({ order_id: order.id, product_id: l.productId, sku: l.sku, name: l.name, unit_price: l.unitPrice, quantity: l.quantity })))}`;
  await tx`DELETE FROM cart_items WHERE phone = ${phone}`;
  await tx`UPDATE carts SET version = version + 1, updated_at = now() WHERE phone = ${phone}`;
  const placed = (await orderById(tx, order.id))!;
  await recordEvent(tx, 'order_created', phone, { orderNumber: placed.orderNumber, total: totals.total, payment: details.paymentMethod });
  return { ok: true, order: placed, replayed: false };
}

export async function orderById(db: Queryable, id: number): Promise<OrderSummary | undefined> {
  const [row] = await db<(Omit<OrderSummary, 'items' | 'delivery'> & { shippingName: string | null; minDays: number | null; maxDays: number | null; businessDays: boolean | null })[]>`
    SELECT o.id, o.order_number AS "orderNumber", o.phone, o.status, o.payment_method AS "paymentMethod", o.payment_status AS "paymentStatus",
           o.payment_url AS "paymentUrl", o.total::float8 AS total, o.created_at AS "createdAt",
           s.name AS "shippingName", s.min_days AS "minDays", s.max_days AS "maxDays", s.business_days AS "businessDays"
      FROM orders o LEFT JOIN shipping_options s ON s.code = o.shipping_code WHERE o.id = ${id}`;
  if (!row) return undefined;
  const { shippingName, minDays, maxDays, businessDays, ...order } = row;
  const delivery = shippingName !== null && minDays !== null && maxDays !== null ? { name: shippingName, minDays, maxDays, businessDays: businessDays ?? true } : undefined;
  const items = await db<OrderSummary['items']>`
    SELECT sku, name, quantity, unit_price::float8 AS "unitPrice" FROM order_items WHERE order_id = ${id} ORDER BY sku`;
  return { ...order, ...(delivery ? { delivery } : {}), items };
}

/** A customer's order by its number: only their own. */
export async function orderOfCustomer(db: Queryable, phone: string, orderNumber: number): Promise<OrderSummary | undefined> {
  const [row] = await db<{ id: number }[]>`SELECT id FROM orders WHERE phone = ${phone} AND order_number = ${orderNumber}`;
  return row ? orderById(db, row.id) : undefined;
}

/** Whether the customer has a recent order to be paid by transfer and not paid yet (a receipt may follow). */
export async function awaitsTransfer(db: Queryable, phone: string, withinDays = 7): Promise<boolean> {
  const rows = await db`
    SELECT 1 FROM orders WHERE phone = ${phone} AND payment_method = 'bank_transfer' AND payment_status = 'pending'
       AND status <> 'cancelled' AND created_at > now() - make_interval(days => ${withinDays}) LIMIT 1`;
  return rows.length > 0;
}

export async function latestOrders(db: Queryable, phone: string, limit = 3): Promise<OrderSummary[]> {
  const rows = await db<{ id: number }[]>`SELECT id FROM orders WHERE phone = ${phone} ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
  return Promise.all(rows.map((r) => orderById(db, r.id).then((o) => o!)));
}
