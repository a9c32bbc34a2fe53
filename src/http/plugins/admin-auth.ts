import type { FastifyReply, FastifyRequest } from 'fastify';
import { secretsEqual } from '../constant-time.ts';

/** The credential a request presents: a bearer token, or the password of HTTP basic auth (any user name). */
export function presentedSecret(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.split(' ', 2);
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/**
 * onRequest hook closing every admin surface (API, bull-board, dashboard) to anyone without ADMIN_TOKEN.
 * With no token configured, admin is off: everything under it answers 401.
 */
export function requireAdmin(adminToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!adminToken) return reply.code(401).send({ error: 'admin is disabled: set ADMIN_TOKEN' });
    if (!secretsEqual(presentedSecret(request.headers.authorization), adminToken)) {
      return reply.code(401).header('www-authenticate', 'Basic realm="admin", charset="UTF-8"').send({ error: 'admin credentials required' });
    }
  };
}
