import type { FastifyInstance } from 'fastify';

/**
 * Webhook signatures are computed over the exact bytes the provider sent, so the webhook routes take
 * the body as a Buffer and parse JSON themselves after the check. Registered inside the webhook
 * plugins only (Fastify encapsulation), so other routes keep the normal JSON parser.
 */
export function acceptRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJsonBody(raw: unknown): JsonParseResult {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return { ok: false, reason: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${(error as Error).message}` };
  }
}
