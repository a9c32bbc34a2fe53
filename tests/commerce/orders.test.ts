import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cartTotals, changeCartLine, clearCart, getCart, removeFromCart } from '../../src/commerce/cart.ts';
import { checkoutKey, latestOrders, orderOfCustomer, placeOrder, type CheckoutDetails } from '../../src/commerce/orders.ts';
import { createDb, type Sql } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Carts and orders on a real database: live stock checks, totals, idempotent confirmation, and the
// property that matters most: never selling a unit that isn't there, under any concurrency.

let db: TestDatabase;
let pool: Sql; // a bigger pool, for the concurrency test
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createDb({ url: db.url, max: 20 });
});
afterAll(async () => {
  await pool?.end({ timeout: 1 });
  await db?.drop();
});

const details: CheckoutDetails = { customerName: 'Ana Ruiz', deliveryAddress: 'Calle 10 # 43-20, Medellín', shippingCode: 'estandar', paymentMethod: 'cash_on_delivery' };

async function product(sku: string, stock: number, price = 50_000, offer: number | null = null) {
  await db.sql`INSERT INTO products (sku, name, price, offer_price, stock) VALUES (${sku}, ${`Producto ${sku}`}, ${price}, ${offer}, ${stock})
               ON CONFLICT (sku) DO UPDATE SET stock = EXCLUDED.stock, price = EXCLUDED.price, offer_price = EXCLUDED.offer_price, is_available = true`;
}
const stockOf = async (sku: string) => (await db.sql<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${sku}`)[0].stock;

beforeEach(async () => {
  await db.sql`TRUNCATE cart_items, carts, order_items, orders CASCADE`;
});

describe('the cart', () => {
  it('adds, sets and removes lines, checking live stock each time, and moves its version', async () => {
    await product('CAM-01', 3, 40_000, 35_000);
    await product('PAN-01', 10, 90_000);
    expect(await changeCartLine(db.sql, '5731', 'CAM-01', 2)).toMatchObject({ ok: true, line: { quantity: 2 } });
    expect(await changeCartLine(db.sql, '5731', 'CAM-01', 2)).toEqual({ ok: false, reason: 'not_enough_stock', sku: 'CAM-01', name: 'Producto CAM-01', available: 3, inCart: 2 });
    expect(await changeCartLine(db.sql, '5731', 'NOPE', 1)).toEqual({ ok: false, reason: 'unknown_product', sku: 'NOPE' });
    await changeCartLine(db.sql, '5731', 'PAN-01', 1);
    const cart = await getCart(db.sql, '5731');
    expect(cart.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([['CAM-01', 2, 35_000], ['PAN-01', 1, 90_000]]);
    expect(cartTotals(cart.lines, 12_000)).toEqual({ subtotal: 170_000, discount: 10_000, shipping: 12_000, total: 172_000, units: 3 });

    const v = cart.version;
    await changeCartLine(db.sql, '5731', 'CAM-01', 1, 'set');
    expect((await getCart(db.sql, '5731')).version).toBe(v + 1);
    expect(await removeFromCart(db.sql, '5731', 'PAN-01')).toBe(true);
    expect(await removeFromCart(db.sql, '5731', 'PAN-01')).toBe(false);
    await changeCartLine(db.sql, '5731', 'CAM-01', 0, 'set');
    expect((await getCart(db.sql, '5731')).lines).toEqual([]);
    await changeCartLine(db.sql, '5731', 'PAN-01', 2);
    expect(await clearCart(db.sql, '5731')).toBe(1);
  });

  it('treats a product switched off as out of stock', async () => {
    await product('OFF-01', 5);
    await db.sql`UPDATE products SET is_available = false WHERE sku = 'OFF-01'`;
    expect(await changeCartLine(db.sql, '5732', 'OFF-01', 1)).toMatchObject({ ok: false, reason: 'not_enough_stock', available: 0 });
  });
});

describe('placing an order', () => {
  it('takes the stock, prices with offers and shipping (free above its threshold), empties the cart', async () => {
    await product('ZAP-01', 5, 150_000, 120_000);
    await changeCartLine(db.sql, '5733', 'ZAP-01', 2);
    const cart = await getCart(db.sql, '5733');
    const result = await placeOrder(pool, '5733', checkoutKey('5733', cart.version, details), details);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order).toMatchObject({ phone: '5733', status: 'confirmed', paymentStatus: 'pending', total: 240_000, items: [{ sku: 'ZAP-01', quantity: 2, unitPrice: 120_000 }] });
    expect(result.order.orderNumber).toBeGreaterThanOrEqual(1001);
    const [row] = await db.sql`SELECT subtotal::float8, discount::float8, shipping_cost::float8 FROM orders WHERE id = ${result.order.id}`;
    expect(row).toEqual({ subtotal: 300_000, discount: 60_000, shipping_cost: 0 }); // 240,000 ≥ 200,000: free standard shipping
    expect(await stockOf('ZAP-01')).toBe(3);
    expect((await getCart(db.sql, '5733')).lines).toEqual([]);
    expect(await orderOfCustomer(db.sql, '5733', result.order.orderNumber)).toMatchObject({ id: result.order.id });
    expect(await orderOfCustomer(db.sql, '5799', result.order.orderNumber)).toBeUndefined(); // only the customer's own
    expect((await latestOrders(db.sql, '5733')).map((o) => o.id)).toEqual([result.order.id]);
  });

  it('confirming the same summary twice (at once, or later) gives one order and takes the stock once', async () => {
    await product('BOL-01', 10);
    await changeCartLine(db.sql, '5734', 'BOL-01', 3);
    const key = checkoutKey('5734', (await getCart(db.sql, '5734')).version, details);
    const results = await Promise.all([1, 2, 3].map(() => placeOrder(pool, '5734', key, details)));
    const later = await placeOrder(pool, '5734', key, details);
    const ids = new Set([...results, later].map((r) => (r.ok ? r.order.id : -1)));
    expect(ids.size).toBe(1);
    expect([...results, later].filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(await stockOf('BOL-01')).toBe(7);
    expect((await db.sql`SELECT count(*)::int AS n FROM orders`)[0].n).toBe(1);
  });

  it('refuses an empty cart and an unknown shipping option, and says what is short', async () => {
    expect(await placeOrder(pool, '5735', 'k-empty', details)).toEqual({ ok: false, reason: 'empty_cart' });
    await product('GOR-01', 2);
    await changeCartLine(db.sql, '5735', 'GOR-01', 2);
    expect(await placeOrder(pool, '5735', 'k-ship', { ...details, shippingCode: 'dron' })).toEqual({ ok: false, reason: 'unknown_shipping' });
    await db.sql`UPDATE products SET stock = 1 WHERE sku = 'GOR-01'`; // sold elsewhere meanwhile
    expect(await placeOrder(pool, '5735', 'k-short', details)).toEqual({ ok: false, reason: 'out_of_stock', sku: 'GOR-01', name: 'Producto GOR-01', available: 1, wanted: 2 });
    expect(await stockOf('GOR-01')).toBe(1);
    expect((await getCart(db.sql, '5735')).lines).toHaveLength(1); // the cart is kept for the customer to fix
  });

  it('1,000 concurrent checkouts for 10 units: exactly 10 orders, 990 clear refusals, stock 0, never negative', async () => {
    await product('ULT-01', 1000); // enough to fill 1,000 carts first
    const phones = Array.from({ length: 1000 }, (_, i) => `57390${String(i).padStart(5, '0')}`);
    for (let i = 0; i < phones.length; i += 100) await Promise.all(phones.slice(i, i + 100).map((p) => changeCartLine(pool, p, 'ULT-01', 1)));
    await db.sql`UPDATE products SET stock = 10 WHERE sku = 'ULT-01'`;

    const results = await Promise.all(phones.map((p) => placeOrder(pool, p, `k-${p}`, details)));
    const placed = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(placed).toHaveLength(10);
    expect(refused).toHaveLength(990);
    for (const r of refused) expect(r).toEqual({ ok: false, reason: 'out_of_stock', sku: 'ULT-01', name: 'Producto ULT-01', available: 0, wanted: 1 });
    expect(await stockOf('ULT-01')).toBe(0);
    const [{ n, units }] = await db.sql`SELECT count(*)::int AS n, sum(quantity)::int AS units FROM order_items WHERE sku = 'ULT-01'`;
    expect({ n, units }).toEqual({ n: 10, units: 10 });
  });

  it('the database itself refuses negative stock, whatever the code does', async () => {
    await product('NEG-01', 1);
    await expect(db.sql`UPDATE products SET stock = stock - 2 WHERE sku = 'NEG-01'`).rejects.toThrow(/stock/);
  });
});
