import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

// The console's pages and their files, served by the web role from src/http/console/static (no build step,
// nothing from another site). Read once at registration; behind the admin check like the rest of /admin.

const STATIC_DIR = join(import.meta.dirname, 'static');
const PAGES = { chats: 'chats.html', chat: 'chat.html', failed: 'failed.html', simulator: 'simulator.html' } as const;
const ASSETS = ['console.css', 'console.js', 'chats.js', 'chat.js', 'failed.js', 'simulator.js'] as const;
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

// only the page's own files; no inline script or style, no other origin
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const CONSOLE_PAGES = ['/admin/chats', '/admin/chats/:chatId', '/admin/failed', '/admin/simulator'] as const;
export const CONSOLE_ASSET_PATH = '/admin/console';

export async function consolePages(app: FastifyInstance): Promise<void> {
  const pages = Object.fromEntries(await Promise.all(Object.entries(PAGES).map(async ([name, file]) => [name, await readFile(join(STATIC_DIR, file))]))) as Record<keyof typeof PAGES, Buffer>;
  const assets = new Map(await Promise.all(ASSETS.map(async (file) => [file, await readFile(join(STATIC_DIR, file))] as const)));

  const send = (page: Buffer) => async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CONSOLE_CSP).header('cache-control', 'no-store').send(page);
  app.get('/admin/chats', send(pages.chats));
  app.get('/admin/chats/:chatId', send(pages.chat));
  app.get('/admin/failed', send(pages.failed));
  app.get('/admin/simulator', send(pages.simulator));

  app.get(`${CONSOLE_ASSET_PATH}/:file`, { schema: { params: { type: 'object', required: ['file'], properties: { file: { type: 'string', maxLength: 64 } } } } }, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const body = assets.get(file as (typeof ASSETS)[number]);
    if (!body) return reply.code(404).send({ error: `no console file ${file}` });
    // private: behind admin credentials, no shared cache may keep it
    return reply.type(TYPES[file.split('.').pop()!]).header('cache-control', 'private, max-age=60').send(body);
  });
}
