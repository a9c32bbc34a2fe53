import type { PaymentMethod } from './orders.ts';

// Which ways to pay the shop really takes: only those are offered at checkout and named when a customer
// asks "¿cómo puedo pagar?". A transfer needs the account to send it to; a link needs a gateway.

export interface PaymentSettings {
  cashOnDelivery: boolean;
  /** The account for transfers (bank, number, holder); absent: no transfers. */
  bankDetails?: string;
  /** A payment-link gateway is configured. */
  paymentLinks: boolean;
}

export function offeredPaymentMethods(s: PaymentSettings): PaymentMethod[] {
  return [
    ...(s.cashOnDelivery ? (['cash_on_delivery'] as const) : []),
    ...(s.bankDetails ? (['bank_transfer'] as const) : []),
    ...(s.paymentLinks ? (['payment_link'] as const) : []),
  ];
}
