import type { Queryable } from '../../db/client.ts';
import { recordEvent } from '../../db/events.ts';
import type { PaymentEvent } from './gateway.ts';

export type PaymentOutcome =
  | { outcome: 'paid'; orderId: number; orderNumber: number; phone: string; amount: number }
  | { outcome: 'replay' | 'unknown_order' | 'not_paid' | 'already_paid' }
  | { outcome: 'amount_mismatch'; orderNumber: number; expected: number; received: number };

/**
 * Record one gateway notification and, if it says the order is paid, mark it paid: exactly once. The
 * event row's key is the gateway's (transaction, status): a replay inserts nothing and changes nothing.
 * An amount that is not the order's total is recorded and not accepted (a person should look at it).
 */
export async function recordPaymentEvent(tx: Queryable, provider: string, event: PaymentEvent): Promise<PaymentOutcome> {
  const [row] = await tx<{ orderId: number | null }[]>`
    INSERT INTO payment_events (provider, event_id, order_id, status, amount, payload)
    VALUES (${provider}, ${event.eventId}, (SELECT id FROM orders WHERE payment_link_id = ${event.linkId}), ${event.status}, ${event.amount}, ${tx.json(event.raw as never)})
    ON CONFLICT (provider, event_id) DO NOTHING
    RETURNING order_id AS "orderId"`;
  if (!row) return { outcome: 'replay' };
  if (row.orderId === null) return { outcome: 'unknown_order' };
  if (event.status !== 'paid') return { outcome: 'not_paid' };

  const [order] = await tx<{ orderNumber: number; phone: string; total: number; paymentStatus: string }[]>`
    SELECT order_number AS "orderNumber", phone, total::float8 AS total, payment_status AS "paymentStatus" FROM orders WHERE id = ${row.orderId} FOR UPDATE`;
  if (order.paymentStatus === 'paid') return { outcome: 'already_paid' };
  if (Math.round(order.total * 100) !== Math.round(event.amount * 100)) return { outcome: 'amount_mismatch', orderNumber: order.orderNumber, expected: order.total, received: event.amount };
  await tx`UPDATE orders SET payment_status = 'paid', status = 'paid', paid_at = now(), updated_at = now() WHERE id = ${row.orderId}`;
  await recordEvent(tx, 'payment_received', order.phone, { orderNumber: order.orderNumber, amount: event.amount, provider });
  return { outcome: 'paid', orderId: row.orderId, orderNumber: order.orderNumber, phone: order.phone, amount: event.amount };
}

/** Attach a created payment link to its order. */
export async function attachPaymentLink(db: Queryable, orderId: number, link: { id: string; url: string }): Promise<void> {
  await db`UPDATE orders SET payment_link_id = ${link.id}, payment_url = ${link.url}, updated_at = now() WHERE id = ${orderId}`;
}
