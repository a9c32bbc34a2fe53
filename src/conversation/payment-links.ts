import type { PaymentGateway } from '../commerce/payments/gateway.ts';
import { attachPaymentLink } from '../commerce/payments/record-payment.ts';
import type { Sql } from '../db/client.ts';
import { insertNotice } from '../db/outbox.ts';
import { formatMoney } from '../lib/money.ts';

// A payment link is an HTTP call to the gateway, so it is never made inside the order's transaction:
// the order commits first, then the link is made and sent. If the process dies in between, the
// maintenance sweep finds the order still without a link and makes it then (ordersWaitingForLinks).

interface WaitingOrder {
  id: number;
  orderNumber: number;
  phone: string;
  total: number;
  names: string;
}

/** Make, attach and announce the link of each order still without one; returns the chats that got a message. */
export async function sendPaymentLinks(sql: Sql, gateway: PaymentGateway, orderIds: number[]): Promise<string[]> {
  if (!orderIds.length) return [];
  const waiting = await sql<WaitingOrder[]>`
    SELECT o.id, o.order_number AS "orderNumber", o.phone, o.total::float8 AS total, string_agg(i.name, ', ' ORDER BY i.name) AS names
      FROM orders o JOIN order_items i ON i.order_id = o.id
     WHERE o.id = ANY(${orderIds}::bigint[]) AND o.payment_method = 'payment_link' AND o.payment_link_id IS NULL AND o.payment_status = 'pending'
     GROUP BY o.id`;
  const chats: string[] = [];
  for (const order of waiting) {
    const link = await gateway.createLink({ orderNumber: order.orderNumber, amount: order.total, description: order.names });
    const sent = await sql.begin(async (tx) => {
      // a concurrent sender may have attached one first: theirs stands (single-use links cost nothing unused)
      const [free] = await tx`SELECT 1 FROM orders WHERE id = ${order.id} AND payment_link_id IS NULL FOR UPDATE`;
      if (!free) return false;
      await attachPaymentLink(tx, order.id, link);
      await insertNotice(tx, order.phone, {
        type: 'text',
        text: `💳 Este es el enlace para pagar tu pedido #${order.orderNumber} (${formatMoney(order.total)}): ${link.url}\nApenas se confirme el pago te aviso por aquí.`,
        previewUrl: true,
      });
      return true;
    });
    if (sent) chats.push(order.phone);
  }
  return chats;
}

/** Orders placed with a payment link that still have none after the grace period (the sender died or the gateway failed). */
export async function ordersWaitingForLinks(sql: Sql, graceMs: number, limit: number): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    SELECT id FROM orders
     WHERE payment_method = 'payment_link' AND payment_link_id IS NULL AND payment_status = 'pending' AND status <> 'cancelled'
       AND created_at < now() - ${graceMs} * interval '1 millisecond' AND created_at > now() - interval '1 day'
     ORDER BY id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
