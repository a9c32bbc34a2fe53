import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { DEFAULT_UNDELIVERED_HOURS, readUndeliveredReplies } from '../../metrics/undelivered-replies.ts';

export interface AdminUndeliveredRoutesOptions {
  sql: Sql;
}

/**
 * Every reply that did not reach the customer (refused, reported failed, expired), newest first. The
 * outbound jobs behind them completed (the stage did its job: it recorded the refusal), so neither
 * bull-board's failed list nor the error rate shows them; this does.
 */
export async function adminUndeliveredRoutes(app: FastifyInstance, opts: AdminUndeliveredRoutesOptions): Promise<void> {
  app.get('/admin/api/undelivered', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'at most this many, default 100' },
          since: { type: 'string', format: 'date-time', description: `ISO time, default ${DEFAULT_UNDELIVERED_HOURS} h ago` },
        },
      },
    },
  }, async (request, reply) => {
    const { limit, since } = request.query as { limit?: number; since?: string };
    reply.header('cache-control', 'no-store');
    return readUndeliveredReplies(opts.sql, { limit, since: since ? new Date(since) : undefined });
  });
}
