import type { Queryable } from '../db/client.ts';
import type { EventData } from '../db/events.ts';

// The customer's cart: one per phone, lines keyed by product. Every change checks the live stock, so
// the customer hears "only 2 left" when adding, not at checkout. Stock is not reserved here: the order
// takes it (./orders.ts), and the checkout answers clearly if it went in the meantime.

export interface CartLine {
  productId: number;
  sku: string;
  name: string;
  /** List price, and the price charged now (the offer while there is one). */
  listPrice: number;
  unitPrice: number;
  quantity: number;
  /** Units on sale right now (0 when the product was switched off). */
  stock: number;
}

export interface Cart {
  phone: string;
  version: number;
  lines: CartLine[];
}

export type CartChange =
  | { ok: true; line: { sku: string; name: string; quantity: number }; cart: Cart }
  | { ok: false; reason: 'unknown_product'; sku: string }
  | { ok: false; reason: 'not_enough_stock'; sku: string; name: string; available: number; inCart: number };

/** Most units of one product in one cart: a typo ("100" for "10") should not empty the shelf. */
export const MAX_LINE_QUANTITY = 99;

export async function getCart(db: Queryable, phone: string): Promise<Cart> {
  const [head] = await db<{ version: number }[]>`SELECT version FROM carts WHERE phone = ${phone}`;
  const lines = await db<CartLine[]>`
    SELECT p.id AS "productId", p.sku, p.name, p.price::float8 AS "listPrice", coalesce(p.offer_price, p.price)::float8 AS "unitPrice",
           ci.quantity, CASE WHEN p.is_available THEN p.stock ELSE 0 END AS stock
      FROM cart_items ci JOIN products p ON p.id = ci.product_id
     WHERE ci.phone = ${phone}
     ORDER BY ci.added_at, p.id`;
  return { phone, version: head?.version ?? 0, lines };
}

/** Add units (or, with `set`, make the line exactly this many); 0 with `set` removes the line. */
export async function changeCartLine(db: Queryable, phone: string, sku: string, quantity: number, mode: 'add' | 'set' = 'add'): Promise<CartChange> {
  const [product] = await db<{ id: number; name: string; stock: number; inCart: number }[]>`
    SELECT p.id, p.name, CASE WHEN p.is_available THEN p.stock ELSE 0 END AS stock, coalesce(ci.quantity, 0) AS "inCart"
      FROM products p LEFT JOIN cart_items ci ON ci.product_id = p.id AND ci.phone = ${phone}
     WHERE p.sku = ${sku}`;
  if (!product) return { ok: false, reason: 'unknown_product', sku };
  const wanted = Math.min(mode === 'add' ? product.inCart + quantity : quantity, MAX_LINE_QUANTITY);
  if (wanted > product.stock) return { ok: false, reason: 'not_enough_stock', sku, name: product.name, available: product.stock, inCart: product.inCart };

  await touchCart(db, phone, { action: mode === 'add' ? 'add' : wanted <= 0 ? 'remove' : 'set', items: Math.max(wanted, 0) - product.inCart });
  if (wanted <= 0) await db`DELETE FROM cart_items WHERE phone = ${phone} AND product_id = ${product.id}`;
  else await db`
    INSERT INTO cart_items (phone, product_id, quantity) VALUES (${phone}, ${product.id}, ${wanted})
    ON CONFLICT (phone, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`;
  return { ok: true, line: { sku, name: product.name, quantity: Math.max(wanted, 0) }, cart: await getCart(db, phone) };
}

export async function removeFromCart(db: Queryable, phone: string, sku: string): Promise<boolean> {
  const rows = await db`DELETE FROM cart_items ci USING products p WHERE ci.phone = ${phone} AND ci.product_id = p.id AND p.sku = ${sku} RETURNING 1`;
  if (rows.length) await touchCart(db, phone, { action: 'remove', items: -1 });
  return rows.length > 0;
}

export async function clearCart(db: Queryable, phone: string): Promise<number> {
  const rows = await db`DELETE FROM cart_items WHERE phone = ${phone} RETURNING 1`;
  if (rows.length) await touchCart(db, phone, { action: 'clear', items: -rows.length });
  return rows.length;
}

/** Creates the cart on first use; every change moves its version and is a `cart_changed` event (lines added or taken). */
async function touchCart(db: Queryable, phone: string, change: EventData['cart_changed']): Promise<void> {
  await db`
    WITH touched AS (
      INSERT INTO carts (phone) VALUES (${phone})
      ON CONFLICT (phone) DO UPDATE SET version = carts.version + 1, updated_at = now()
      RETURNING phone)
    INSERT INTO events (type, chat_id, data) SELECT 'cart_changed', phone, ${db.json(change as never)} FROM touched`;
}

export interface CartTotals {
  /** At list prices. */
  subtotal: number;
  /** What the offers take off. */
  discount: number;
  shipping: number;
  total: number;
  units: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;

export function cartTotals(lines: Pick<CartLine, 'listPrice' | 'unitPrice' | 'quantity'>[], shipping = 0): CartTotals {
  const subtotal = cents(lines.reduce((s, l) => s + l.listPrice * l.quantity, 0));
  const charged = cents(lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0));
  return { subtotal, discount: cents(subtotal - charged), shipping: cents(shipping), total: cents(charged + shipping), units: lines.reduce((s, l) => s + l.quantity, 0) };
}
