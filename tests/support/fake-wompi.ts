import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.ts';

// A fake Wompi on loopback: payment links as Wompi creates them (bearer private key, amount in cents),
// and signed transaction.updated events as Wompi sends them, for the webhook under test.

export interface FakeWompi {
  /** API base, like https://sandbox.wompi.co/v1 */
  url: string;
  links: { id: string; body: Record<string, unknown>; auth: string | undefined }[];
  close: () => Promise<void>;
}

export async function startFakeWompi(opts: { privateKey: string }): Promise<FakeWompi> {
  const links: FakeWompi['links'] = [];
  const srv = await startLoopbackServer((req: IncomingMessage, res: ServerResponse, raw: string) => {
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v1/payment_links') return answer(404, { error: { type: 'NOT_FOUND_ERROR', reason: 'La entidad solicitada no existe' } });
    if (req.headers.authorization !== `Bearer ${opts.privateKey}`) return answer(401, { error: { type: 'INVALID_ACCESS_TOKEN', reason: 'Se esperaba una llave privada' } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(422, { error: { type: 'INPUT_VALIDATION_ERROR', messages: { body: ['JSON inválido'] } } });
    }
    if (typeof body.name !== 'string' || typeof body.amount_in_cents !== 'number' || !Number.isInteger(body.amount_in_cents) || typeof body.single_use !== 'boolean') {
      return answer(422, { error: { type: 'INPUT_VALIDATION_ERROR', messages: { amount_in_cents: ['requerido'] } } });
    }
    const id = `test_${links.length + 1}${Math.random().toString(36).slice(2, 8)}`;
    links.push({ id, body, auth: req.headers.authorization });
    answer(201, { data: { id, ...body, active: true, created_at: new Date().toISOString() } });
  });
  return { url: `http://127.0.0.1:${srv.port}/v1`, links, close: srv.close };
}

/** A transaction.updated event for a payment link, signed with the events secret as Wompi signs it. */
export function wompiEvent(opts: { secret: string; transactionId: string; linkId: string; status: string; amountInCents: number; timestamp?: number }) {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const transaction = {
    id: opts.transactionId, amount_in_cents: opts.amountInCents, reference: `ref-${opts.transactionId}`, customer_email: 'cliente@example.com',
    currency: 'COP', payment_method_type: 'NEQUI', redirect_url: null, status: opts.status, shipping_address: null, payment_link_id: opts.linkId, payment_source_id: null,
  };
  const checksum = createHash('sha256').update(`${transaction.id}${transaction.status}${transaction.amount_in_cents}${timestamp}${opts.secret}`).digest('hex').toUpperCase();
  return {
    event: 'transaction.updated',
    data: { transaction },
    environment: 'test',
    signature: { properties: ['transaction.id', 'transaction.status', 'transaction.amount_in_cents'], checksum },
    timestamp,
    sent_at: new Date().toISOString(),
  };
}
