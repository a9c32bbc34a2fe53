import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';

export const BOARD_PATH = '/admin/queues';

/**
 * bull-board over every queue of the pipeline, for operators. Registered inside the admin scope, so
 * the page and its API routes are closed to anyone without ADMIN_TOKEN like the rest of /admin.
 */
export async function registerQueueBoard(scope: FastifyInstance, queues: Queue[]): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'WhatsApp pipeline' } } });
  await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
}
