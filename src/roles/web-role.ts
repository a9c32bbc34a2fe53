import type { FastifyInstance } from 'fastify';
import { acceptDelivery } from '../http/accept-delivery.ts';
import { buildApp } from '../http/app.ts';
import { notePresence } from '../queues/presence.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import { createCustomerMemory } from './customer-memory.ts';
import { adminCustomerRoutes } from '../http/routes/admin-customers.ts';
import { adminConfigRoutes } from '../http/routes/admin-config.ts';
import { adminKnowledgeRoutes } from '../http/routes/admin-knowledge.ts';
import { adminHandoffRoutes } from '../http/routes/admin-handoffs.ts';
import { adminDashboardRoutes } from '../http/routes/admin-dashboard.ts';
import { adminUndeliveredRoutes } from '../http/routes/admin-undelivered.ts';
import { adminShippingRoutes } from '../http/routes/admin-shipping.ts';
import { registerQueueBoard } from '../http/plugins/queue-board.ts';
import { findStalledQueues } from '../queues/queue-stall.ts';
import type { Runtime } from './runtime.ts';
import { createPaymentGateway } from '../commerce/payments/create-gateway.ts';
import { acceptPaymentEvent } from '../conversation/payment-received.ts';
import { enqueueIngest, enqueueOutbound } from '../queues/enqueue.ts';
import { registerQueueDepthGauge } from '../metrics/queue-depth.ts';
import { metricsOfAllProcesses } from '../metrics/shared-metrics.ts';
import { consoleRoutes } from '../http/console/console-routes.ts';
import type { Logger } from '../logger.ts';
import type { NormalisedDelivery } from '../whatsapp/types.ts';
import { createLoginSessions } from '../operators/login-sessions.ts';
import { createLoginThrottle } from '../operators/login-throttle.ts';
import { adminOperatorRoutes } from '../http/routes/admin-operators.ts';
import { adminErasureRoutes } from '../http/routes/admin-erasure.ts';
import { forgetCustomerInRedis } from './forget-customer.ts';

// The webhook waits this long for Redis at most; past it the committed rows are left to the sweep.
const ENQUEUE_TIMEOUT_MS = 1000;

/** The web role: webhooks, health, and (later) the admin surfaces. */
export async function createWebApp(rt: Runtime): Promise<FastifyInstance> {
  const { config, sql, redis, queues, log } = rt;
  const gateway = createPaymentGateway(config);
  registerQueueDepthGauge(Object.values(queues));
  // the webhooks' intake, which the console's bot simulator feeds too
  // watched: an intake that never settles means a wedged database client (src/roles/wedge-watchdog.ts)
  const accept = (delivery: NormalisedDelivery, requestLog: Logger) => rt.watchdog.track('webhook intake', () =>
    acceptDelivery(delivery, {
      sql,
      log: requestLog,
      enqueueIngest: (ids) => withTimeout(enqueueIngest(queues, ids), ENQUEUE_TIMEOUT_MS, 'enqueue'),
      notePresence: (chatId, status) => withTimeout(notePresence(redis, config.QUEUE_PREFIX, chatId, status, config.TYPING_BUFFER_MS), ENQUEUE_TIMEOUT_MS, 'presence'),
    }));
  const sendQueued = (chatId: string) => withTimeout(enqueueOutbound(queues, chatId), ENQUEUE_TIMEOUT_MS, 'enqueue');
  const loginSessions = createLoginSessions(sql, config.ADMIN_SESSION_HOURS * 3600_000);
  return buildApp({
    config,
    log,
    accept,
    admin: async (scope) => {
      const { sessions } = createCustomerMemory(rt);
      await scope.register(adminCustomerRoutes, { sql, sessions });
      await scope.register(adminConfigRoutes, { sql });
      await scope.register(adminKnowledgeRoutes, { sql });
      await scope.register(adminHandoffRoutes, { sql, sendQueued, resumeAfterMs: config.HANDOFF_AUTO_RESUME_MS });
      await scope.register(adminDashboardRoutes, {
        sql, queues, burstWindowMs: config.MESSAGE_BUFFER_MS,
        aiProviders: [config.OPENAI_API_KEY && 'openai', config.DEEPSEEK_API_KEY && 'deepseek', config.GEMINI_API_KEY && 'gemini'].filter((name): name is string => Boolean(name)),
      });
      await scope.register(adminUndeliveredRoutes, { sql });
      await scope.register(adminShippingRoutes, { sql });
      await scope.register(adminOperatorRoutes, { sql });
      await scope.register(adminErasureRoutes, { sql, forgetElsewhere: (key) => forgetCustomerInRedis(redis, config.QUEUE_PREFIX, key) });
      await registerQueueBoard(scope, Object.values(queues));
      await scope.register(consoleRoutes, { sql, accept, sendQueued, resumeAfterMs: config.HANDOFF_AUTO_RESUME_MS });
    },
    payments: gateway && {
      gateway,
      accept: async (provider, event) => {
        const result = await acceptPaymentEvent(sql, provider, event);
        // committed: if Redis is away the recovery sweep sends the message
        if (result.notifyChat) await withTimeout(enqueueOutbound(queues, result.notifyChat), ENQUEUE_TIMEOUT_MS, 'enqueue').catch(() => {});
        return result;
      },
    },
    products: { sql },
    operators: { sql, sessions: loginSessions, throttle: createLoginThrottle(redis, config.QUEUE_PREFIX) },
    // this process and every worker process that published lately, summed: one scrape target
    metricsText: () => metricsOfAllProcesses(redis, config.QUEUE_PREFIX),
    readinessChecks: {
      postgres: async () => void (await sql`SELECT 1`),
      redis: async () => void (await redis.ping()),
      // workers run elsewhere: they leave signs of life in Redis, and a queue whose jobs wait without any is stalled
      queues: async () => {
        const stalled = await findStalledQueues(Object.values(queues), redis, config.QUEUE_PREFIX, config.QUEUE_STALL_MS);
        if (stalled.length) throw new Error(`stalled: ${stalled.join('; ')}`);
      },
    },
  });
}

export async function startWeb(rt: Runtime): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const app = await createWebApp(rt);
  await app.listen({ port: rt.config.PORT, host: rt.config.HOST });
  return { app, close: () => closeServing(app) };
}

/**
 * Stop taking requests and wait for the ones in flight. Closing ends the keep-alive connections that are
 * idle at that moment; one busy with a webhook then goes idle once it is answered, and would hold the
 * close open for Fastify's 72 s keep-alive timeout (a SIGTERM under load outlived SHUTDOWN_TIMEOUT_MS), so
 * idle connections are closed again until the server has let go of every one.
 */
async function closeServing(app: FastifyInstance): Promise<void> {
  const closing = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
  try {
    await closing;
  } finally {
    clearInterval(sweep);
  }
}
