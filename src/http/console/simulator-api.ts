import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import type { NormalisedDelivery } from '../../whatsapp/types.ts';
import type { IntakeResult } from '../accept-delivery.ts';
import { chatHistory } from '../../console/history.ts';
import { newSimulatorChatId, newSimulatorMessageId, SIMULATOR_CHAT_PATTERN } from '../../console/simulator-chat.ts';
import { simulatorDelivery, type SimulatorInput } from '../../console/simulator-delivery.ts';
import { MAX_TEXT_BODY } from '../../whatsapp/limits.ts';
import { bodyProblem, type FieldSpec } from './strict-body.ts';

export interface SimulatorApiOptions {
  sql: Sql;
  /** The webhooks' own intake: commit the messages, enqueue their ingest. */
  accept: (delivery: NormalisedDelivery, log: Logger) => Promise<IntakeResult>;
}

const simulatorChat = {
  type: 'object', required: ['chatId'],
  properties: { chatId: { type: 'string', pattern: SIMULATOR_CHAT_PATTERN, description: 'a chat made by POST /admin/api/simulator/chats (000 and 9 digits)' } },
} as const;

const id = { type: 'string', required: true, minLength: 1, maxLength: 256 } as const satisfies FieldSpec;
const title = { type: 'string', required: true, minLength: 1, maxLength: 100 } as const satisfies FieldSpec;
const SHAPES: Record<SimulatorInput['type'], Record<string, FieldSpec>> = {
  text: { type: { type: 'string' }, text: { type: 'string', required: true, minLength: 1, maxLength: MAX_TEXT_BODY } },
  button: { type: { type: 'string' }, id, title },
  list: { type: { type: 'string' }, id, title, description: { type: 'string', maxLength: 200 } },
};

/**
 * *Probar el bot*: a made-up customer talks to the bot through the real pipeline. Its messages go in as a
 * webhook delivery would (normalised from Meta's shape, committed to the inbox, ingested, answered by the
 * converse stage), and its replies are recorded by the sandbox, never sent (src/console/simulator-sender.ts).
 */
export async function simulatorApi(app: FastifyInstance, opts: SimulatorApiOptions): Promise<void> {
  const { sql } = opts;

  app.post('/admin/api/simulator/chats', async (_request, reply) => reply.code(201).send({ chatId: newSimulatorChatId() }));

  app.post('/admin/api/simulator/chats/:chatId/messages', { schema: { params: simulatorChat } }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const body = request.body as { type?: unknown } | undefined;
    const type = body && typeof body === 'object' ? body.type : undefined;
    if (type !== 'text' && type !== 'button' && type !== 'list') {
      return reply.code(400).send({ error: 'type must be "text" (with text), "button" or "list" (with the id and title of the choice tapped)' });
    }
    const problem = bodyProblem(body, SHAPES[type]);
    if (problem) return reply.code(400).send({ error: problem });
    const input = body as SimulatorInput;
    const messageId = newSimulatorMessageId();
    const delivery = simulatorDelivery(chatId, input.type === 'text' ? { type: 'text', text: input.text.trim() } : input, { messageId });
    const intake = await opts.accept(delivery, request.log as Logger); // a child of our pino instance, as the webhooks pass it
    return reply.code(202).send({ chatId, messageId, stored: intake.stored });
  });

  app.get('/admin/api/simulator/chats/:chatId/messages', { schema: { params: simulatorChat } }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const [{ items }, [handoff]] = await Promise.all([
      chatHistory(sql, chatId, { limit: 300 }),
      sql<{ reason: string; pausesBot: boolean; takenBy: string | null }[]>`
        SELECT reason, pauses_bot AS "pausesBot", taken_by AS "takenBy" FROM handoffs WHERE chat_id = ${chatId} AND ended_at IS NULL`,
    ]);
    reply.header('cache-control', 'no-store');
    return { chatId, items, handoff: handoff ?? null };
  });
}
