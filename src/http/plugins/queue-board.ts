import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  // after createBullBoard, which points the views at the package's own template
  serverAdapter.setViewsPath(await offlineBoardViews());
  await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
}

const GOOGLE_FONTS = /<link\b[^>]*\bhref="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^>]*>\s*/g;

/**
 * A views folder holding bull-board's page template without its Google Fonts stylesheet: the machines run
 * offline (the request hangs, then fails) and an admin page should load nothing from another site. The
 * board falls back to the system's sans-serif. Its scripts and styles stay the package's own, served from
 * node_modules as before. Written once per template (named by its hash), atomically, so processes starting
 * together never read half a file.
 */
export async function offlineBoardViews(): Promise<string> {
  const uiDir = dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json'));
  const template = (await readFile(join(uiDir, 'dist', 'index.ejs'), 'utf8')).replace(GOOGLE_FONTS, '');
  const dir = join(tmpdir(), `wa-bull-board-views-${createHash('sha256').update(template).digest('hex').slice(0, 16)}`);
  await mkdir(dir, { recursive: true });
  const partial = join(dir, `index.ejs.${process.pid}.tmp`);
  await writeFile(partial, template);
  await rename(partial, join(dir, 'index.ejs'));
  return dir;
}
