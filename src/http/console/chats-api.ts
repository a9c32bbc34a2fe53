import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { chatIdParam } from '../../console/chat-id.ts';
import { CHAT_FILTERS, CURSOR_PATTERN, listConversations, MAX_PAGE, type ChatFilter } from '../../console/conversation-list.ts';
import { readConversation } from '../../console/conversation.ts';
import { chatHistory, MAX_HISTORY } from '../../console/history.ts';
import { changeChatLabels, MAX_LABEL } from '../../console/labels.ts';
import { MAX_REPLY_TEXT, writeOperatorReply } from '../../console/operator-reply.ts';
import { markChatRead } from '../../console/read-marks.ts';
import { giveBackChat, takeChat } from '../../console/take-over.ts';
import { actingOperator } from './acting-operator.ts';
import { strictBody } from './strict-body.ts';

export interface ChatsApiOptions {
  sql: Sql;
  /** Send what was written to the chat's outbox (the outbound stage does the sending); after commit. */
  sendQueued: (chatId: string) => Promise<void>;
  /** A chat a person takes goes back to the bot after this unless given back sooner (HANDOFF_AUTO_RESUME_MS). */
  resumeAfterMs: number;
}

const MARK = '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z$';

/**
 * The console's conversations: the list (filters, search), one chat (profile, cart, orders, history), and
 * what a person does in it: read it, reply as a person, take it from the bot, give it back, change labels.
 * Every change carries the acting operator's name.
 */
export async function chatsApi(app: FastifyInstance, opts: ChatsApiOptions): Promise<void> {
  const { sql } = opts;
  const noStore = { 'cache-control': 'no-store' };

  app.get('/admin/api/chats', {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          filter: { type: 'string', enum: [...CHAT_FILTERS] },
          label: { type: 'string', minLength: 1, maxLength: MAX_LABEL },
          q: { type: 'string', maxLength: 200 },
          before: { type: 'string', pattern: CURSOR_PATTERN, description: 'the `next` of the previous page' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
        },
      },
    },
  }, async (request, reply) => {
    const q = request.query as { filter?: ChatFilter; label?: string; q?: string; before?: string; limit?: number };
    reply.headers(noStore);
    return listConversations(sql, q);
  });

  app.get('/admin/api/chats/:chatId', { schema: { params: chatIdParam } }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const view = await readConversation(sql, chatId);
    if (!view) return reply.code(404).send({ error: `no chat ${chatId}` });
    reply.headers(noStore);
    return view;
  });

  app.get('/admin/api/chats/:chatId/history', {
    schema: {
      params: chatIdParam,
      querystring: {
        type: 'object',
        properties: {
          before: { type: 'string', pattern: MARK, description: "an item's `mark`: the items before it" },
          limit: { type: 'integer', minimum: 1, maximum: MAX_HISTORY },
        },
      },
    },
  }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const q = request.query as { before?: string; limit?: number };
    reply.headers(noStore);
    return chatHistory(sql, chatId, q);
  });

  app.post('/admin/api/chats/:chatId/read', { schema: { params: chatIdParam } }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const readUpTo = await markChatRead(sql, chatId, actingOperator(request));
    if (!readUpTo) return reply.code(404).send({ error: `no messages from chat ${chatId}` });
    return { readUpTo };
  });

  app.post('/admin/api/chats/:chatId/reply', {
    schema: { params: chatIdParam },
    preValidation: strictBody({ text: { type: 'string', required: true, minLength: 1, maxLength: MAX_REPLY_TEXT } }),
  }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const { text } = request.body as { text: string };
    const written = await writeOperatorReply(sql, { chatId, text: text.trim(), operator: actingOperator(request), resumeAfterMs: opts.resumeAfterMs });
    if (!written.ok && written.reason === 'no_chat') return reply.code(404).send({ error: `no chat ${chatId}` });
    if (!written.ok) {
      const { lastInboundAt, closesAt } = written.window;
      return reply.code(409).send({
        error: lastInboundAt
          ? `outside WhatsApp's 24-hour window: the customer last wrote at ${lastInboundAt.toISOString()}; only a template can be sent, and templates are not available yet`
          : 'the customer has never written: WhatsApp takes only a template, and templates are not available yet',
        code: 'outside_window', lastInboundAt, closesAt, templates: false,
      });
    }
    // committed: if Redis is away the recovery sweep sends it
    await opts.sendQueued(chatId).catch(() => {});
    return reply.code(202).send({ queued: true, outboxId: written.outboxId, chatId, took: written.took });
  });

  app.post('/admin/api/chats/:chatId/take', { schema: { params: chatIdParam } }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const taken = await sql.begin(async (tx) => {
      const [guest] = await tx`SELECT 1 FROM guest_profiles WHERE phone_number = ${chatId}`;
      return guest ? takeChat(tx, chatId, actingOperator(request), opts.resumeAfterMs) : undefined;
    });
    if (!taken) return reply.code(404).send({ error: `no chat ${chatId}` });
    return { chatId, handoffId: taken.handoffId, changed: taken.changed, operator: actingOperator(request) };
  });

  app.post('/admin/api/chats/:chatId/resume', { schema: { params: chatIdParam } }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const ended = await sql.begin((tx) => giveBackChat(tx, chatId, actingOperator(request)));
    if (ended !== undefined) return { chatId, handoffId: ended, resumed: true };
    const [guest] = await sql`SELECT 1 FROM guest_profiles WHERE phone_number = ${chatId}`;
    if (!guest) return reply.code(404).send({ error: `no chat ${chatId}` });
    return reply.code(409).send({ error: `the bot already has chat ${chatId}` });
  });

  app.post('/admin/api/chats/:chatId/labels', {
    schema: { params: chatIdParam },
    preValidation: strictBody({
      add: { type: 'string[]', minLength: 1, maxLength: MAX_LABEL, maxItems: 50 },
      remove: { type: 'string[]', minLength: 1, maxLength: MAX_LABEL, maxItems: 50 },
    }, { atLeastOne: true }),
  }, async (request, reply) => {
    const { chatId } = request.params as { chatId: string };
    const labels = await changeChatLabels(sql, chatId, request.body as { add?: string[]; remove?: string[] }, actingOperator(request));
    if (!labels) return reply.code(404).send({ error: `no chat ${chatId}` });
    return { labels };
  });
}
