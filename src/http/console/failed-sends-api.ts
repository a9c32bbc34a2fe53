import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { dismissFailedSend, listFailedSends, MAX_FAILED_PAGE, retryFailedSend, type FailedSendAction } from '../../console/failed-sends.ts';
import { actingOperator } from './acting-operator.ts';

export interface FailedSendsApiOptions {
  sql: Sql;
  sendQueued: (chatId: string) => Promise<void>;
}

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

/** Replies that never reached the customer, still to act on (or handled), and the two things to do with one. */
export async function failedSendsApi(app: FastifyInstance, opts: FailedSendsApiOptions): Promise<void> {
  const { sql } = opts;

  app.get('/admin/api/failed-sends', {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          state: { type: 'string', enum: ['open', 'handled'], description: 'open (default): not acted on yet' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_FAILED_PAGE },
        },
      },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return listFailedSends(sql, request.query as { state?: 'open' | 'handled'; limit?: number });
  });

  app.post('/admin/api/failed-sends/:id/retry', { schema: { params: idParam } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const done = await retryFailedSend(sql, id, actingOperator(request));
    if (!done.ok) return refuse(reply, id, done);
    await opts.sendQueued(done.chatId).catch(() => {});
    return reply.code(202).send({ id, retryId: done.retryId, chatId: done.chatId, queued: true });
  });

  app.post('/admin/api/failed-sends/:id/dismiss', { schema: { params: idParam } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const done = await dismissFailedSend(sql, id, actingOperator(request));
    if (!done.ok) return refuse(reply, id, done);
    return { id, chatId: done.chatId, dismissed: true };
  });
}

function refuse(reply: FastifyReply, id: number, why: Extract<FailedSendAction, { ok: false }>) {
  switch (why.reason) {
    case 'not_found':
      return reply.code(404).send({ error: `no reply ${id}` });
    case 'not_failed':
      return reply.code(409).send({ error: `reply ${id} did not fail (it is ${why.status})`, code: why.reason });
    case 'already_handled':
      return reply.code(409).send({ error: `reply ${id} was already handled`, code: why.reason });
    case 'outside_window':
      return reply.code(409).send({
        error: `outside WhatsApp's 24-hour window (the customer last wrote ${why.lastInboundAt ? `at ${why.lastInboundAt.toISOString()}` : 'never'}): a copy would be refused too; only a template can reach them, and templates are not available yet`,
        code: why.reason, lastInboundAt: why.lastInboundAt, templates: false,
      });
  }
}
