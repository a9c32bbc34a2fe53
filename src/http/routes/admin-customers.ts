import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { conversationHistory } from '../../crm/history.ts';
import { recordEvent } from '../../db/events.ts';
import { changeLabels, getGuestProfile, guestsWithLabel } from '../../crm/profiles.ts';
import type { SessionStore } from '../../crm/sessions.ts';
import { CUSTOMER_ID_PATTERN, customerKeyFor } from '../../crm/find-customer.ts';

// `:phone` is any id the customer is known by (number, BSUID, @username…): one customer whatever the id
const phoneParam = { type: 'object', required: ['phone'], properties: { phone: { type: 'string', pattern: CUSTOMER_ID_PATTERN } } } as const;
const label = { type: 'string', minLength: 1, maxLength: 64 } as const;

/** What the business knows about a customer: profile, session, history, labels. */
export async function adminCustomerRoutes(app: FastifyInstance, opts: { sql: Sql; sessions: SessionStore }): Promise<void> {
  const { sql, sessions } = opts;

  app.get('/admin/api/customers/:phone', { schema: { params: phoneParam } }, async (request, reply) => {
    const { phone: id } = request.params as { phone: string };
    const phone = await customerKeyFor(sql, id);
    const profile = await getGuestProfile(sql, phone);
    if (!profile) return reply.code(404).send({ error: `no guest profile for ${id}` });
    const [customer] = await sql`SELECT customer_tier AS tier, total_orders AS "totalOrders" FROM customers WHERE phone = ${phone}`;
    const identities = await sql`SELECT kind, value, retired_at IS NULL AS current FROM customer_identities WHERE customer_key = ${phone} ORDER BY kind, retired_at DESC NULLS FIRST`;
    return { key: phone, identities, profile, customer: customer ?? null, session: await sessions.load(phone) };
  });

  app.get('/admin/api/customers/:phone/history', {
    schema: { params: phoneParam, querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500 }, before: { type: 'string', format: 'date-time' } } } },
  }, async (request) => {
    const phone = await customerKeyFor(sql, (request.params as { phone: string }).phone);
    const q = request.query as { limit?: number; before?: string };
    return { items: await conversationHistory(sql, phone, { limit: q.limit ?? 50, before: q.before ? new Date(q.before) : undefined }) };
  });

  app.post('/admin/api/customers/:phone/labels', {
    schema: {
      params: phoneParam,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { add: { type: 'array', items: label, maxItems: 50 }, remove: { type: 'array', items: label, maxItems: 50 } } },
    },
  }, async (request, reply) => {
    const { phone: id } = request.params as { phone: string };
    const key = await customerKeyFor(sql, id);
    const change = request.body as { add?: string[]; remove?: string[] };
    // who changed them goes in the events, in the same transaction as the change
    const labels = await sql.begin(async (tx) => {
      const after = await changeLabels(tx, key, change);
      if (after) await recordEvent(tx, 'labels_changed', key, { add: change.add ?? [], remove: change.remove ?? [], operator: request.operator?.name ?? 'unknown' });
      return after;
    });
    if (!labels) return reply.code(404).send({ error: `no guest profile for ${id}` });
    return { labels };
  });

  app.get('/admin/api/guests', {
    schema: { querystring: { type: 'object', required: ['label'], properties: { label, limit: { type: 'integer', minimum: 1, maximum: 1000 } } } },
  }, async (request) => {
    const q = request.query as { label: string; limit?: number };
    return { items: await guestsWithLabel(sql, q.label, q.limit ?? 100) };
  });
}
