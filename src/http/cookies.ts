import type { FastifyReply, FastifyRequest } from 'fastify';

// The one cookie the admin surfaces use, read and written by hand (a parser plugin for one cookie is more
// code than this). HttpOnly: no script on the page can read it. SameSite=Lax: another site's forms and
// scripts never send it (a link followed from elsewhere does, so an operator who opens a console link
// from a chat is still signed in); state-changing calls are checked for their origin on top of that
// (src/http/same-origin.ts). Secure whenever the request came over HTTPS (behind a proxy: X-Forwarded-Proto).

export const SESSION_COOKIE = 'wa_admin_session';
// only the admin pages and API need it: webhooks and /metrics never see it
const COOKIE_PATH = '/admin';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', sessionCookie(request, token, maxAgeSeconds));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', sessionCookie(request, '', 0));
}

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${Math.floor(maxAgeSeconds)}; HttpOnly; SameSite=Lax${secure}`;
}
