import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { listProducts } from '../../commerce/products.ts';
import { searchProducts } from '../../commerce/search.ts';
import { findQuery } from '../../conversation/keywords/entities.ts';
import { normalise } from '../../conversation/keywords/normalise.ts';

export interface AdminProductRoutesOptions {
  sql: Sql;
}

const MAX_QUERY_LENGTH = 200;

const querystring = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: MAX_QUERY_LENGTH },
    limit: { type: 'integer', minimum: 1, maximum: 50 },
    // products switched off or sold out too (staff restocking want them; customers never see them)
    all: { type: 'boolean' },
  },
} as const;

/**
 * The catalogue as the shop's staff see it: GET /admin/api/products?q=TEXT&limit=N, best first, or the
 * whole catalogue in listing order without q. The text is read the way a customer's message is: the
 * keyword understanding's product words ("quiero unos audífonos por favor" → "audífonos"), so staff can
 * paste what a customer wrote and see what the assistant finds.
 */
export async function adminProductRoutes(app: FastifyInstance, opts: AdminProductRoutesOptions): Promise<void> {
  const { sql } = opts;
  app.get('/admin/api/products', { schema: { querystring } }, async (request) => {
    const { q, limit = 20, all = false } = request.query as { q?: string; limit?: number; all?: boolean };
    const text = q?.trim();
    if (!text) return { items: await listProducts(sql, { limit, includeUnavailable: all }) };
    const words = findQuery(normalise(text).tokens) ?? text;
    return { query: words, items: await searchProducts(sql, words, { limit, includeUnavailable: all }) };
  });
}
