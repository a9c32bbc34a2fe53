import type { FastifyInstance } from 'fastify';
import { normaliseWhapiWebhook } from '../../whatsapp/whapi/normalise.ts';
import { secretsEqual } from '../constant-time.ts';
import { acceptRawBodies, parseJsonBody } from '../plugins/raw-body.ts';
import type { IntakeResult } from '../accept-delivery.ts';
import type { NormalisedDelivery } from '../../whatsapp/types.ts';
import type { Logger } from '../../logger.ts';

export interface WhapiWebhookOptions {
  webhookToken: string;
  bodyLimit: number;
  /** `log` is the request's logger, so what intake logs carries the request id. */
  accept: (delivery: NormalisedDelivery, log: Logger) => Promise<IntakeResult>;
}

/** Whapi.cloud signs nothing: the secret token in the path is the credential, compared in constant time. */
export async function whapiWebhookRoutes(app: FastifyInstance, opts: WhapiWebhookOptions): Promise<void> {
  acceptRawBodies(app, opts.bodyLimit);

  app.post('/webhooks/whapi/:token', { bodyLimit: opts.bodyLimit }, async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!secretsEqual(token, opts.webhookToken)) return reply.code(401).send({ error: 'unknown webhook token' });
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return reply.code(400).send({ error: parsed.reason });
    const result = await opts.accept(normaliseWhapiWebhook(parsed.value), request.log as Logger); // a child of our pino instance (buildApp passes it as loggerInstance)
    return reply.send({ ok: true, ...result });
  });
}
