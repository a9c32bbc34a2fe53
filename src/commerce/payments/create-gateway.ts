import type { Config } from '../../config/load.ts';
import type { PaymentGateway } from './gateway.ts';
import { createWompiGateway } from './wompi.ts';

type PaymentEnv = Pick<Config, 'PAYMENT_PROVIDER' | 'PAYMENT_API_URL' | 'PAYMENT_PRIVATE_KEY' | 'PAYMENT_EVENTS_SECRET' | 'PAYMENT_CHECKOUT_URL' | 'PAYMENT_CURRENCY'>;

/** The configured payment-link gateway, or undefined: then checkout offers cash on delivery and transfer only. */
export function createPaymentGateway(env: PaymentEnv): PaymentGateway | undefined {
  if (env.PAYMENT_PROVIDER !== 'wompi' || !env.PAYMENT_PRIVATE_KEY || !env.PAYMENT_EVENTS_SECRET) return undefined;
  return createWompiGateway({
    apiUrl: env.PAYMENT_API_URL!, // defaulted by the schema
    privateKey: env.PAYMENT_PRIVATE_KEY,
    eventsSecret: env.PAYMENT_EVENTS_SECRET,
    checkoutUrl: env.PAYMENT_CHECKOUT_URL!,
    currency: env.PAYMENT_CURRENCY,
  });
}
