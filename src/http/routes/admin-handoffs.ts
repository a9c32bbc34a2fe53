import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { handoffById, listOpenHandoffs } from '../../crm/handoffs.ts';
import { conversationHistory } from '../../crm/history.ts';
import { writeOperatorReply } from '../../console/operator-reply.ts';
import { resumeHandoff } from '../../console/take-over.ts';
import { actingOperator } from '../console/acting-operator.ts';

export interface AdminHandoffRoutesOptions {
  sql: Sql;
  /** Send what was written to the chat's outbox (the outbound stage does the sending). */
  sendQueued: (chatId: string) => Promise<void>;
  /** How long a chat answered from here stays with the person (HANDOFF_AUTO_RESUME_MS). */
  resumeAfterMs?: number;
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
    // named like the console's give-back: who resumed it shows in the chat's history
    const chatId = await sql.begin((tx) => resumeHandoff(tx, id, actingOperator(request)));
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
    // the console's reply as a person: the operator's name on it, the 24 h window checked
    const written = await writeOperatorReply(sql, { chatId: handoff.chatId, text: text.trim(), operator: actingOperator(request), resumeAfterMs: opts.resumeAfterMs ?? 4 * 3600_000 });
    if (!written.ok) {
      return reply.code(written.reason === 'no_chat' ? 404 : 409).send({
        error: written.reason === 'no_chat' ? `no guest profile for chat ${handoff.chatId}` : "outside WhatsApp's 24-hour window: only a template can be sent, and templates are not available yet",
        code: written.reason,
      });
    }
    // written: if Redis is away the recovery sweep sends it
    await opts.sendQueued(handoff.chatId).catch(() => {});
    return reply.code(202).send({ queued: true, chatId: handoff.chatId });
  });
}
