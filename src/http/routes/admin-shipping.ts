import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '../../db/client.ts';
import {
  listAllShippingOptions, MAX_AMOUNT, MAX_DAYS, MAX_DESCRIPTION, MAX_NAME, putShippingOption, removeShippingOption, SHIPPING_CODE,
  type ShippingOptionChange,
} from '../../commerce/shipping-options.ts';

// The delivery options checkout charges and the facts answers quote, as the shop owner sets them.
// Read from the table on every turn: a change is seen by the next customer, in every process.

const codeParam = {
  type: 'object', required: ['code'],
  properties: { code: { type: 'string', pattern: SHIPPING_CODE.source, description: 'lower-case letters, digits and _' } },
} as const;

const amount = { type: 'number', minimum: 0, maximum: MAX_AMOUNT } as const;
const days = { type: ['integer', 'null'], minimum: 0, maximum: MAX_DAYS } as const;
const FIELDS = {
  name: { type: 'string', minLength: 1, maxLength: MAX_NAME },
  description: { type: ['string', 'null'], maxLength: MAX_DESCRIPTION },
  cost: amount,
  freeFrom: { ...amount, type: ['number', 'null'] },
  minDays: days,
  maxDays: days,
  businessDays: { type: 'boolean' },
  isActive: { type: 'boolean' },
  sortOrder: { type: 'integer', minimum: 0, maximum: 100000 },
} as const;

const IS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

// Fastify's validator drops unknown properties without a word and coerces types: {"cost": null} would
// become free delivery, {"isActive": null} switch the option off, {"free_from": …} change nothing.
// The body as sent is checked first; the schema then checks ranges and lengths.
async function refuseLooseBody(request: FastifyRequest, reply: FastifyReply) {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const unknown = Object.keys(body).filter((k) => !Object.hasOwn(FIELDS, k));
  if (unknown.length) return reply.code(400).send({ error: `unknown field ${unknown.join(', ')}; the fields are ${Object.keys(FIELDS).join(', ')}` });
  for (const [field, value] of Object.entries(body)) {
    const types = [FIELDS[field as keyof typeof FIELDS].type].flat();
    if (!types.some((t) => IS[t](value))) return reply.code(400).send({ error: `${field} must be ${types.join(' or ')}, not ${JSON.stringify(value)}` });
  }
}

export async function adminShippingRoutes(app: FastifyInstance, opts: { sql: Sql }): Promise<void> {
  const { sql } = opts;

  app.get('/admin/api/shipping', async () => ({ items: await listAllShippingOptions(sql) }));

  // create or change: the fields given change, the others keep their value (creating needs name and cost)
  app.put('/admin/api/shipping/:code', {
    preValidation: refuseLooseBody,
    schema: { params: codeParam, body: { type: 'object', additionalProperties: false, properties: FIELDS } },
  }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const result = await putShippingOption(sql, code, request.body as ShippingOptionChange);
    if (!result.ok) return reply.code(result.conflict ? 409 : 400).send({ error: result.problem });
    return reply.code(result.created ? 201 : 200).send(result.option);
  });

  // an option orders name is kept for their records and only switched off
  app.delete('/admin/api/shipping/:code', { schema: { params: codeParam } }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const result = await removeShippingOption(sql, code);
    if (!result.ok) return reply.code(result.notFound ? 404 : 409).send({ error: result.problem });
    if (result.outcome === 'deleted') return { code, outcome: 'deleted' };
    return { code, outcome: 'deactivated', reason: `${result.orders} order(s) use ${code}: kept for them, no longer offered at checkout` };
  });
}
