import { createHash, timingSafeEqual } from 'node:crypto';
import { PaymentGatewayError, type ParsedPaymentEvent, type PaymentGateway } from './gateway.ts';

// Wompi (Colombia), the usual payment-link gateway of the shops this serves: card, PSE, Nequi.
// Links: POST {api}/payment_links with the private key → {data:{id}}; the customer pays at
// {checkout}{id}. Events: POST to our webhook, {event:"transaction.updated", data:{transaction:{id,
// status, amount_in_cents, payment_link_id, reference}}, signature:{properties:[...], checksum},
// timestamp}; checksum = SHA-256 of the named properties' values, the timestamp and the events
// secret, concatenated.

export interface WompiOptions {
  /** e.g. https://production.wompi.co/v1 (sandbox: https://sandbox.wompi.co/v1) */
  apiUrl: string;
  privateKey: string;
  eventsSecret: string;
  /** Where a link id becomes a page, e.g. https://checkout.wompi.co/l/ */
  checkoutUrl: string;
  currency: string;
  timeoutMs?: number;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const pick = (root: Json, path: string): unknown => path.split('.').reduce<unknown>((v, k) => rec(v)?.[k], root);

const STATUS: Record<string, 'paid' | 'declined' | 'pending'> = { APPROVED: 'paid', DECLINED: 'declined', VOIDED: 'declined', ERROR: 'declined', PENDING: 'pending' };

export function createWompiGateway(opts: WompiOptions): PaymentGateway {
  const api = opts.apiUrl.replace(/\/+$/, '');
  return {
    name: 'wompi',
    async createLink({ orderNumber, amount, description }) {
      let res: Response;
      try {
        res = await fetch(`${api}/payment_links`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.privateKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `Pedido ${orderNumber}`, description: description.slice(0, 255), single_use: true, collect_shipping: false,
            currency: opts.currency, amount_in_cents: Math.round(amount * 100), sku: String(orderNumber),
          }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new PaymentGatewayError(`wompi: ${(error as Error).message}`);
      }
      const body = rec(await res.json().catch(() => undefined));
      const id = pick(body ?? {}, 'data.id');
      if (!res.ok || typeof id !== 'string') throw new PaymentGatewayError(`wompi answered ${res.status} without a link id`, res.status);
      return { id, url: `${opts.checkoutUrl}${id}` };
    },

    parseEvent(rawBody, headers): ParsedPaymentEvent {
      let body: Json | undefined;
      try {
        body = rec(JSON.parse(rawBody.toString('utf8')));
      } catch {
        return { ok: false, status: 400, reason: 'malformed JSON' };
      }
      if (!body) return { ok: false, status: 400, reason: 'body must be a JSON object' };
      const signature = rec(body.signature);
      const properties = signature?.properties;
      const checksum = typeof signature?.checksum === 'string' ? signature.checksum : headers['x-event-checksum'];
      if (!Array.isArray(properties) || !properties.every((p) => typeof p === 'string') || typeof checksum !== 'string' || body.timestamp === undefined) {
        return { ok: false, status: 401, reason: 'unsigned event' };
      }
      const values = (properties as string[]).map((p) => pick(rec(body.data) ?? {}, p));
      const expected = createHash('sha256').update(values.map((v) => String(v ?? '')).join('') + String(body.timestamp) + opts.eventsSecret).digest();
      const given = Buffer.from(checksum, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 401, reason: 'bad signature' };

      const tx = rec(pick(body, 'data.transaction'));
      if (body.event !== 'transaction.updated' || !tx || typeof tx.id !== 'string' || typeof tx.status !== 'string' || typeof tx.amount_in_cents !== 'number') {
        return { ok: false, status: 400, reason: 'not a transaction.updated event' };
      }
      return {
        ok: true,
        event: {
          eventId: `${tx.id}:${tx.status}`,
          linkId: typeof tx.payment_link_id === 'string' ? tx.payment_link_id : null,
          status: STATUS[tx.status] ?? 'other',
          amount: tx.amount_in_cents / 100,
          raw: body,
        },
      };
    },
  };
}
