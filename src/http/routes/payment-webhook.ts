import type { FastifyInstance } from 'fastify';
import type { PaymentEvent, PaymentGateway } from '../../commerce/payments/gateway.ts';
import { DependencyUnavailableError } from '../dependency-error.ts';
import { acceptRawBodies } from '../plugins/raw-body.ts';

export interface PaymentWebhookOptions {
  gateway: PaymentGateway;
  /** Records the event (and tells the customer when it is a payment); throws when the database is down. */
  accept: (provider: string, event: PaymentEvent) => Promise<{ outcome: string }>;
  bodyLimit: number;
}

/**
 * POST /webhooks/payments/:provider. The signature is checked over the raw bytes before anything is
 * read; a bad one is a 401 and changes nothing. A recorded event is a 200 even when it changes nothing
 * (a replay, a decline), because any other answer makes the gateway retry it for days.
 */
export async function paymentWebhookRoutes(app: FastifyInstance, opts: PaymentWebhookOptions): Promise<void> {
  acceptRawBodies(app, opts.bodyLimit);
  app.post('/webhooks/payments/:provider', { bodyLimit: opts.bodyLimit }, async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (provider !== opts.gateway.name) return reply.code(404).send({ error: `no payment provider ${provider}` });
    const parsed = opts.gateway.parseEvent(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), request.headers);
    if (!parsed.ok) return reply.code(parsed.status).send({ error: parsed.reason });
    let result: { outcome: string };
    try {
      result = await opts.accept(provider, parsed.event);
    } catch (error) {
      throw new DependencyUnavailableError('database', error);
    }
    if (result.outcome === 'amount_mismatch' || result.outcome === 'unknown_order') request.log.warn({ provider, event: parsed.event.eventId, ...result }, 'payment event needs a person');
    return reply.send({ ok: true, outcome: result.outcome });
  });
}
