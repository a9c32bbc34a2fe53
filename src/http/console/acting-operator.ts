import type { FastifyRequest } from 'fastify';

// Who is acting, for every reply, label change, take-over and resume the console records. Operator accounts
// (issue 17's login) decorate the request with the signed-in operator; until then, or for a script using
// ADMIN_TOKEN, the actor is 'admin'.

declare module 'fastify' {
  interface FastifyRequest {
    operator?: { id: number | null; name: string };
  }
}

export const DEFAULT_OPERATOR = 'admin';

export function actingOperator(request: FastifyRequest): string {
  const name = request.operator?.name?.trim();
  return name ? name.slice(0, 80) : DEFAULT_OPERATOR;
}
