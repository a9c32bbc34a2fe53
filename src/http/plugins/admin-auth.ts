import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginSessions } from '../../operators/login-sessions.ts';
import type { OperatorRole } from '../../operators/operators.ts';
import { ADMIN_PATHS } from '../admin-paths.ts';
import { secretsEqual } from '../constant-time.ts';
import { clearSessionCookie, readCookie, SESSION_COOKIE } from '../cookies.ts';
import { requestOrigin, STATE_CHANGING } from '../same-origin.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, for the record (a reply, a label, a take-over): an operator, or `ADMIN_TOKEN` (id null). */
    operator?: { id: number | null; name: string };
    /** What the credential may do: `token` and `owner` everything, `operator` all but accounts and erasure. */
    adminAccess?: AdminAccess;
  }
}

export type AdminAccess = 'token' | OperatorRole;

/** The name recorded for what a script does with ADMIN_TOKEN. */
export const TOKEN_OPERATOR = 'ADMIN_TOKEN';

/** The credential a request presents: a bearer token, or the password of HTTP basic auth (any user name). */
export function presentedSecret(authorization: string | undefined): { secret: string; scheme: 'bearer' | 'basic' } | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.split(' ', 2);
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return { secret: value.trim(), scheme: 'bearer' };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : { secret: decoded.slice(colon + 1), scheme: 'basic' };
  }
  return undefined;
}

export interface AdminAuthOptions {
  /** Scripts and Prometheus: a bearer token or the basic-auth password. Unset: only operators get in. */
  adminToken?: string;
  /** Operators' sessions (the cookie). Absent: only ADMIN_TOKEN gets in. */
  sessions?: LoginSessions;
}

/**
 * onRequest hook closing every admin surface (console, API, bull-board, dashboard, /metrics) to strangers.
 * It lets in ADMIN_TOKEN (bearer or basic) and a signed-in operator's session cookie, and says who on the
 * request. A state-changing call carrying a credential the browser sends by itself (the cookie, remembered
 * basic auth) must come from this origin (src/http/same-origin.ts). Strangers asking for a page are sent to
 * the sign-in page; anything else gets 401 JSON.
 */
export function requireAdmin(opts: AdminAuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = presentedSecret(request.headers.authorization);
    let via: 'bearer' | 'basic' | 'cookie';
    if (request.headers.authorization !== undefined) {
      // an Authorization header that is wrong is refused, whatever cookie rides along: scripts learn at once
      if (!opts.adminToken || !presented || !secretsEqual(presented.secret, opts.adminToken)) return refuse(request, reply, opts);
      via = presented.scheme;
      request.operator = { id: null, name: TOKEN_OPERATOR };
      request.adminAccess = 'token';
    } else {
      const token = readCookie(request, SESSION_COOKIE);
      const session = token && opts.sessions ? await opts.sessions.read(token) : undefined;
      if (!session) {
        if (token) clearSessionCookie(request, reply);
        return refuse(request, reply, opts);
      }
      via = 'cookie';
      request.operator = { id: session.id, name: session.name };
      request.adminAccess = session.role;
    }
    if (STATE_CHANGING.has(request.method) && via !== 'bearer') {
      const origin = requestOrigin(request);
      // a browser always says where a POST comes from; basic auth from curl says nothing and is a script
      if (origin === 'cross-site' || (origin === 'unknown' && via === 'cookie')) {
        request.log.warn({ method: request.method, url: request.url, origin: request.headers.origin, site: request.headers['sec-fetch-site'] }, 'cross-site admin request refused');
        return reply.code(403).send({ error: 'cross-site request refused: state-changing admin calls must come from the console itself' });
      }
    }
  };
}

/** preHandler for what only an owner (or ADMIN_TOKEN) may do: manage accounts, erase customers. */
export async function requireOwner(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.adminAccess !== 'owner' && request.adminAccess !== 'token') {
    return reply.code(403).send({ error: 'only an owner may do this' });
  }
}

/** A browser navigating to a page (not a script, not the page's own API calls). */
function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.url.startsWith('/admin/api/') || request.url.startsWith('/metrics')) return false;
  return /\btext\/html\b/.test(String(request.headers.accept ?? ''));
}

function refuse(request: FastifyRequest, reply: FastifyReply, opts: AdminAuthOptions) {
  if (!opts.adminToken && !opts.sessions) return reply.code(401).send({ error: 'admin is disabled: set ADMIN_TOKEN' });
  if (opts.sessions && wantsPage(request)) {
    return reply.header('cache-control', 'no-store').redirect(`${ADMIN_PATHS.login}?next=${encodeURIComponent(request.url)}`, 303);
  }
  // Bearer, not Basic: a Basic challenge would make the browser pop its own dialog over the console
  return reply.code(401).header('www-authenticate', 'Bearer realm="admin"').send({ error: `admin credentials required: sign in at ${ADMIN_PATHS.login}, or send ADMIN_TOKEN as a bearer token` });
}
