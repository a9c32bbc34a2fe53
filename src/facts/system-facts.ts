import { listShippingOptions, type ShippingOption } from '../commerce/shipping.ts';
import type { Queryable } from '../db/client.ts';
import { formatMoney } from '../lib/money.ts';
import type { Passage } from './retrieve.ts';
import { offeredPaymentMethods, type PaymentSettings } from '../commerce/payment-methods.ts';
import type { PaymentMethod } from '../commerce/orders.ts';

// What the shop's own settings say, as passages the same search finds: the delivery options checkout
// offers (cost, free-from amount, delivery time) and the payment methods it actually takes. A business
// that wrote nothing about delivery still answers "¿cuánto se demora el envío?" with what checkout will
// charge; one that wrote its own text is answered with that (see answer-question.ts).

export type { PaymentSettings };

export const SHIPPING_SOURCE = 'shipping';
export const PAYMENTS_SOURCE = 'payments';
export const BANK_TOPIC = 'cuenta bancaria transferencia';

export function shippingPassage(o: ShippingOption, ordinal: number): Passage {
  const price = o.cost === 0 ? 'sin costo' : `${formatMoney(o.cost)}${o.freeFrom !== null ? `, gratis desde ${formatMoney(o.freeFrom)} en compras` : ''}`;
  const description = o.description ? ` ${o.description.replace(/\.?$/, '.')}` : '';
  return { source: SHIPPING_SOURCE, topic: 'envios entregas', ordinal, content: `${o.name}: ${price}.${description}`, sortOrder: ordinal };
}

export async function shippingPassages(db: Queryable): Promise<Passage[]> {
  return (await listShippingOptions(db)).map((o, i) => shippingPassage(o, i + 1));
}

const SAID: Record<PaymentMethod, string> = {
  cash_on_delivery: 'contra entrega (en efectivo al recibir)',
  bank_transfer: 'por transferencia bancaria',
  payment_link: 'en línea con tarjeta, PSE o Nequi (te enviamos el enlace de pago)',
};

/** The methods checkout offers, said plainly; and what to do about a transfer, or that none is taken. */
export function paymentPassages(p: PaymentSettings): Passage[] {
  // the same rule checkout offers by: never a method the shop has not configured
  const methods = offeredPaymentMethods(p).map((m) => SAID[m]);
  const list = methods.length > 1 ? `${methods.slice(0, -1).join(', ')} o ${methods[methods.length - 1]}` : methods[0];
  const passages: Passage[] = list ? [{ source: PAYMENTS_SOURCE, topic: 'pagos formas de pago', ordinal: 1, content: `Puedes pagar ${list}.`, sortOrder: 1 }] : [];
  if (p.bankDetails) {
    passages.push({ source: PAYMENTS_SOURCE, topic: BANK_TOPIC, ordinal: 1, content: `Para pagar por transferencia o consignación: ${p.bankDetails.trim().replace(/\.?$/, '.')} Envíanos el comprobante por aquí.`, sortOrder: 2 });
  } else {
    passages.push({ source: PAYMENTS_SOURCE, topic: 'pagos formas de pago', ordinal: 2, content: 'Por ahora no recibimos transferencias ni consignaciones a cuenta bancaria.', sortOrder: 1 });
  }
  return passages;
}
