import type { FastifyInstance } from 'fastify';
import { chatsApi, type ChatsApiOptions } from './chats-api.ts';
import { consolePages } from './console-pages.ts';
import { failedSendsApi } from './failed-sends-api.ts';
import { simulatorApi, type SimulatorApiOptions } from './simulator-api.ts';

export type ConsoleOptions = ChatsApiOptions & Pick<SimulatorApiOptions, 'accept'>;

/**
 * The console for the people who answer customers: *Conversaciones*, one conversation, *Envíos fallidos*
 * and *Probar el bot*, pages and JSON. Registered inside the admin scope: all of it needs the admin credentials.
 */
export async function consoleRoutes(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  await app.register(chatsApi, opts);
  await app.register(failedSendsApi, { sql: opts.sql, sendQueued: opts.sendQueued });
  await app.register(simulatorApi, { sql: opts.sql, accept: opts.accept });
  await app.register(consolePages);
}
