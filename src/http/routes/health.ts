import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../../lib/with-timeout.ts';

export interface HealthOptions {
  /** Each check resolves when its dependency answers; a rejection names what is wrong. */
  readinessChecks: Record<string, () => Promise<void>>;
  timeoutMs?: number;
}


export async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  // alive: the process answers. Supervisors restart on this one, so it checks nothing else.
  app.get('/health', async () => ({ status: 'ok' }));

  // ready: every dependency answers. Load balancers route on this one.
  app.get('/ready', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(opts.readinessChecks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), opts.timeoutMs ?? 2000, name);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, r]) => r === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
}
