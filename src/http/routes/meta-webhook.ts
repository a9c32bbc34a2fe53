import type { FastifyInstance } from 'fastify';
import { verifyMetaSignature } from '../../whatsapp/meta/signature.ts';
import { normaliseMetaWebhook } from '../../whatsapp/meta/normalise.ts';
import { secretsEqual } from '../constant-time.ts';
import { acceptRawBodies, parseJsonBody } from '../plugins/raw-body.ts';
import type { IntakeResult } from '../accept-delivery.ts';
import type { NormalisedDelivery } from '../../whatsapp/types.ts';
import type { Logger } from '../../logger.ts';

export interface MetaWebhookOptions {
  appSecret: string;
  verifyToken: string;
  bodyLimit: number;
  /** `log` is the request's logger, so what intake logs carries the request id. */
  accept: (delivery: NormalisedDelivery, log: Logger) => Promise<IntakeResult>;
}

/** Meta WhatsApp Cloud API: the subscription handshake and signed deliveries. */
export async function metaWebhookRoutes(app: FastifyInstance, opts: MetaWebhookOptions): Promise<void> {
  acceptRawBodies(app, opts.bodyLimit);

  app.get('/webhooks/meta', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    if (q['hub.mode'] === 'subscribe' && secretsEqual(q['hub.verify_token'], opts.verifyToken) && q['hub.challenge'] !== undefined) {
      return reply.type('text/plain').send(q['hub.challenge']);
    }
    return reply.code(403).send({ error: 'verification failed: wrong hub.mode or hub.verify_token' });
  });

  app.post('/webhooks/meta', { bodyLimit: opts.bodyLimit }, async (request, reply) => {
    const raw = request.body as Buffer;
    const signature = request.headers['x-hub-signature-256'];
    if (!verifyMetaSignature(raw, typeof signature === 'string' ? signature : undefined, opts.appSecret)) {
      return reply.code(401).send({ error: 'invalid or missing X-Hub-Signature-256' });
    }
    const parsed = parseJsonBody(raw);
    if (!parsed.ok) return reply.code(400).send({ error: parsed.reason });
    const result = await opts.accept(normaliseMetaWebhook(parsed.value), request.log as Logger); // a child of our pino instance (buildApp passes it as loggerInstance)
    return reply.send({ ok: true, ...result });
  });
}
