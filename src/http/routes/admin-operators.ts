import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { tokenHash } from '../../operators/login-sessions.ts';
import { createOperator, listOperators, NAME_MAX, OPERATOR_ROLES, PASSWORD_MAX, removeOperator, setPassword, type OperatorRole } from '../../operators/operators.ts';
import { readCookie, SESSION_COOKIE } from '../cookies.ts';
import { requireOwner } from '../plugins/admin-auth.ts';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;
const password = { type: 'string', minLength: 1, maxLength: PASSWORD_MAX } as const;

/**
 * Operator accounts over HTTP: who am I (anyone signed in), and for an owner or ADMIN_TOKEN the list,
 * a new account, a removal. A password is changed by its owner or by an owner of the business.
 */
export async function adminOperatorRoutes(app: FastifyInstance, opts: { sql: Sql }): Promise<void> {
  const { sql } = opts;

  app.get('/admin/api/me', async (request) => ({ id: request.operator?.id ?? null, name: request.operator?.name, access: request.adminAccess }));

  app.get('/admin/api/operators', { preHandler: requireOwner }, async () => ({ items: await listOperators(sql) }));

  app.post('/admin/api/operators', {
    preHandler: requireOwner,
    schema: {
      body: {
        type: 'object', required: ['name', 'password'], additionalProperties: false,
        properties: { name: { type: 'string', minLength: 1, maxLength: NAME_MAX + 10 }, password, role: { type: 'string', enum: [...OPERATOR_ROLES] } },
      },
    },
  }, async (request, reply) => {
    const body = request.body as { name: string; password: string; role?: OperatorRole };
    const result = await createOperator(sql, { name: body.name, password: body.password, role: body.role ?? 'operator', createdBy: request.operator!.name });
    if (!result.ok) return reply.code(result.status).send({ error: result.problem });
    return reply.code(201).send(result.operator);
  });

  app.delete('/admin/api/operators/:id', { preHandler: requireOwner, schema: { params: idParam } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const result = await removeOperator(sql, id);
    if (!result.ok) return reply.code(result.status).send({ error: result.problem });
    return reply.code(204).send();
  });

  app.put('/admin/api/operators/:id/password', {
    schema: { params: idParam, body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password } } },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const self = request.operator?.id === id;
    if (!self && request.adminAccess !== 'owner' && request.adminAccess !== 'token') return reply.code(403).send({ error: 'only an owner may change another operator\'s password' });
    // changing one's own password keeps this browser signed in and ends every other session
    const cookie = self ? readCookie(request, SESSION_COOKIE) : undefined;
    const result = await setPassword(sql, id, (request.body as { password: string }).password, cookie ? tokenHash(cookie) : undefined);
    if (!result.ok) return reply.code(result.status).send({ error: result.problem });
    return reply.code(204).send();
  });
}
