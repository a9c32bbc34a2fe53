import type { Sql } from '../db/client.ts';
import { insertNotice } from '../db/outbox.ts';
import type { PaymentEvent } from '../commerce/payments/gateway.ts';
import { recordPaymentEvent, type PaymentOutcome } from '../commerce/payments/record-payment.ts';
import { formatMoney } from '../lib/money.ts';

/**
 * A gateway says an order was paid: record it and tell the customer, in one transaction, so a crash
 * can neither mark it paid silently nor announce a payment that was not recorded. Returns the chat to
 * hand to the outbound stage when there is a message to send.
 */
export async function acceptPaymentEvent(sql: Sql, provider: string, event: PaymentEvent): Promise<PaymentOutcome & { notifyChat?: string }> {
  return sql.begin(async (tx) => {
    const result = await recordPaymentEvent(tx, provider, event);
    if (result.outcome !== 'paid') return result;
    await insertNotice(tx, result.phone, {
      type: 'text',
      text: `✅ ¡Recibimos tu pago de ${formatMoney(result.amount)} del pedido #${result.orderNumber}! Ya lo estamos preparando; te avisaremos cuando salga. Gracias por tu compra 🙌`,
    });
    return { ...result, notifyChat: result.phone };
  });
}
