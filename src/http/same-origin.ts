import type { FastifyRequest } from 'fastify';

// Protection against cross-site requests. A browser attaches the session cookie (and remembered basic-auth
// credentials) to requests another site makes it send; it also says where they come from, and no page can
// forge that: `Sec-Fetch-Site` (every current browser) and `Origin` (on every POST, PUT, PATCH and DELETE).
// A state-changing call with a credential the browser sends by itself is refused unless one of them says
// it comes from this origin. Bearer tokens are never sent by a browser on its own: scripts are not checked.

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type OriginVerdict = 'same-origin' | 'cross-site' | 'unknown';

/** What the browser says about where the request comes from; 'unknown' when it says nothing (curl). */
export function requestOrigin(request: FastifyRequest): OriginVerdict {
  const site = request.headers['sec-fetch-site'];
  // same-site is not enough: a sibling subdomain may be someone else's
  if (typeof site === 'string' && site) return site === 'same-origin' ? 'same-origin' : 'cross-site';
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin) return origin === ownOrigin(request) ? 'same-origin' : 'cross-site';
  return 'unknown';
}

/** This server as the browser sees it (behind a proxy: X-Forwarded-Proto and -Host, trustProxy is on). */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
