import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { endHandoff, handoffById, listOpenHandoffs } from '../../crm/handoffs.ts';
import { conversationHistory } from '../../crm/history.ts';
import { insertNotice } from '../../db/outbox.ts';

export interface AdminHandoffRoutesOptions {
  sql: Sql;
  /** Send what was written to the chat's outbox (the outbound stage does the sending). */
  sendQueued: (chatId: string) => Promise<void>;
}

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

/**
 * Chats handed to a person: list them, read one with its recent messages (those that arrived while the
 * bot was quiet included), answer the customer from here, and give the chat back to the bot.
 */
export async function adminHandoffRoutes(app: FastifyInstance, opts: AdminHandoffRoutesOptions): Promise<void> {
  const { sql } = opts;

  app.get('/admin/api/handoffs', async () => listOpenHandoffs(sql));

  app.get('/admin/api/handoffs/:id', { schema: { params: idParam } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const handoff = await handoffById(sql, id);
    if (!handoff) return reply.code(404).send({ error: `no handoff ${id}` });
    return { handoff, messages: await conversationHistory(sql, handoff.chatId, { limit: 30 }) };
  });

  app.post('/admin/api/handoffs/:id/resume', { schema: { params: idParam } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const chatId = await sql.begin((tx) => endHandoff(tx, id, 'operator', request.operator?.name));
    if (chatId) return { id, chatId, resumed: true };
    const handoff = await handoffById(sql, id);
    if (!handoff) return reply.code(404).send({ error: `no handoff ${id}` });
    return reply.code(409).send({ error: `handoff ${id} already ended (${handoff.endedBy})` });
  });

  app.post('/admin/api/handoffs/:id/reply', {
    schema: {
      params: idParam,
      body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: 4096 } } },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const { text } = request.body as { text: string };
    if (!text.trim()) return reply.code(400).send({ error: 'text is blank' });
    const handoff = await handoffById(sql, id);
    if (!handoff) return reply.code(404).send({ error: `no handoff ${id}` });
    if (handoff.endedAt) return reply.code(409).send({ error: `handoff ${id} already ended: the bot has the chat again` });
    await insertNotice(sql, handoff.chatId, { type: 'text', text: text.trim() }, { sentBy: request.operator?.name });
    // written: if Redis is away the recovery sweep sends it
    await opts.sendQueued(handoff.chatId).catch(() => {});
    return reply.code(202).send({ queued: true, chatId: handoff.chatId });
  });
}
