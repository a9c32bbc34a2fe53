import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { eraseCustomer } from '../../crm/erasure.ts';
import { CUSTOMER_ID_PATTERN, customerKeyFor } from '../../crm/find-customer.ts';
import { requireOwner } from '../plugins/admin-auth.ts';

export interface AdminErasureOptions {
  sql: Sql;
  /** The customer's copies outside PostgreSQL (Redis); a failure there is logged, never undoes the erasure. */
  forgetElsewhere: (key: string) => Promise<unknown>;
}

/**
 * DELETE /admin/api/customers/:phone — a customer's data erased on request (src/crm/erasure.ts). Only an
 * owner or ADMIN_TOKEN: it cannot be undone. 200 with what was erased where; 404 when nothing was known.
 */
export async function adminErasureRoutes(app: FastifyInstance, opts: AdminErasureOptions): Promise<void> {
  app.delete('/admin/api/customers/:phone', {
    preHandler: requireOwner,
    schema: { params: { type: 'object', required: ['phone'], properties: { phone: { type: 'string', pattern: CUSTOMER_ID_PATTERN } } } },
  }, async (request, reply) => {
    // any id the customer is known by (number, BSUID, @username) names the one customer
    const phone = await customerKeyFor(opts.sql, (request.params as { phone: string }).phone);
    const erasure = await eraseCustomer(opts.sql, phone, request.operator!.name);
    if (!erasure) return reply.code(404).send({ error: 'nothing is known about this customer' });
    await opts.forgetElsewhere(phone).catch((error: Error) => request.log.warn({ err: error.message, erasureId: erasure.id }, 'erased customer: Redis copies not deleted (they expire by themselves)'));
    request.log.info({ erasureId: erasure.id, by: erasure.erasedBy }, 'customer erased on request');
    return { erasure };
  });
}
