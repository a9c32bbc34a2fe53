import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { deleteKnowledge, listKnowledge, putKnowledge } from '../../crm/business-knowledge.ts';

/**
 * The business's written facts for AI replies (hours, address, policies, FAQ), one entry per topic.
 * Changes reach the workers within their 30-second cache, without a redeploy.
 */
export async function adminKnowledgeRoutes(app: FastifyInstance, opts: { sql: Sql }): Promise<void> {
  const { sql } = opts;
  const topicParam = {
    type: 'object', required: ['topic'],
    properties: { topic: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'lower-case letters, digits, - and _' } },
  } as const;

  app.get('/admin/api/knowledge', async () => ({ items: await listKnowledge(sql) }));

  app.put('/admin/api/knowledge/:topic', {
    schema: {
      params: topicParam,
      body: {
        type: 'object', required: ['content'], additionalProperties: false,
        properties: { content: { type: 'string', minLength: 1, maxLength: 4000 }, sortOrder: { type: 'integer', minimum: 0, maximum: 100000 } },
      },
    },
  }, async (request, reply) => {
    const { topic } = request.params as { topic: string };
    const { content, sortOrder } = request.body as { content: string; sortOrder?: number };
    if (!content.trim()) return reply.code(400).send({ error: 'content is blank' });
    return putKnowledge(sql, { topic, content: content.trim(), sortOrder });
  });

  app.delete('/admin/api/knowledge/:topic', { schema: { params: topicParam } }, async (request, reply) => {
    const { topic } = request.params as { topic: string };
    return (await deleteKnowledge(sql, topic)) ? reply.code(204).send() : reply.code(404).send({ error: `no knowledge topic ${topic}` });
  });
}
