import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Config } from '../config/load.ts';
import type { Logger } from '../logger.ts';
import type { IntakeResult } from './accept-delivery.ts';
import { DependencyUnavailableError } from './dependency-error.ts';
import { requireAdmin } from './plugins/admin-auth.ts';
import { adminLoginRoutes, type AdminLoginOptions } from './routes/admin-login.ts';
import { adminProductRoutes, type AdminProductRoutesOptions } from './routes/admin-products.ts';
import { registry, webhookRequests } from '../metrics/registry.ts';
import { healthRoutes } from './routes/health.ts';
import { metaWebhookRoutes } from './routes/meta-webhook.ts';
import { whapiWebhookRoutes } from './routes/whapi-webhook.ts';
import { paymentWebhookRoutes, type PaymentWebhookOptions } from './routes/payment-webhook.ts';
import type { NormalisedDelivery } from '../whatsapp/types.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  /** Registers the admin routes (already behind the admin check). */
  admin?: (app: FastifyInstance) => Promise<void>;
  /** The catalogue's admin API (GET /admin/api/products); absent, it is not served. */
  products?: AdminProductRoutesOptions;
  accept: (delivery: NormalisedDelivery, log: Logger) => Promise<IntakeResult>;
  readinessChecks: Record<string, () => Promise<void>>;
  /** The Prometheus text GET /metrics answers (default: this process's registry). */
  metricsText?: () => Promise<string>;
  /** The payment-link gateway's notifications, when one is configured. */
  payments?: Omit<PaymentWebhookOptions, 'bodyLimit'>;
  /** Operators' accounts and sessions (sign-in page, session cookie); absent, only ADMIN_TOKEN opens admin. */
  operators?: Omit<AdminLoginOptions, 'adminToken'>;
}

/** The web role's HTTP surface. Each webhook is registered only when its secret is configured. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  // no line per request: at hundreds of webhooks a second that is most of the log; failures are logged
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), trustProxy: true, return503OnClosing: true });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof DependencyUnavailableError) {
      request.log.warn({ err: error }, 'dependency unavailable');
      return reply.code(503).header('retry-after', '5').send({ error: `${error.dependency} unavailable, retry later` });
    }
    const status = error.statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal error' });
  });

  // count every webhook delivery by provider and answer (a 401 storm or a run of 503s shows here)
  app.addHook('onResponse', async (request, reply) => {
    const provider = /^\/webhooks\/(meta|whapi|payments)/.exec(request.url)?.[1];
    if (provider) webhookRequests.inc({ provider, status: String(reply.statusCode) });
  });
  await app.register(healthRoutes, { readinessChecks: deps.readinessChecks });
  if (config.META_APP_SECRET && config.META_VERIFY_TOKEN) {
    await app.register(metaWebhookRoutes, {
      appSecret: config.META_APP_SECRET,
      verifyToken: config.META_VERIFY_TOKEN,
      bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
      accept: deps.accept,
    });
  }
  if (config.WHAPI_WEBHOOK_TOKEN) {
    await app.register(whapiWebhookRoutes, { webhookToken: config.WHAPI_WEBHOOK_TOKEN, bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES, accept: deps.accept });
  }
  if (deps.payments) await app.register(paymentWebhookRoutes, { ...deps.payments, bodyLimit: 256 * 1024 });
  // Prometheus text of the deployment (src/metrics/shared-metrics.ts); behind the
  // admin token unless METRICS_PUBLIC says the scraper lives on a private network
  const metricsText = deps.metricsText ?? (() => registry.metrics());
  const metrics = async (_request: unknown, reply: FastifyReply) => reply.type(registry.contentType).send(await metricsText());
  if (config.METRICS_PUBLIC) app.get('/metrics', metrics);
  // the sign-in and first-account pages: outside the admin check, strangers must reach them
  if (deps.operators) await app.register(adminLoginRoutes, { ...deps.operators, adminToken: config.ADMIN_TOKEN });
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireAdmin({ adminToken: config.ADMIN_TOKEN, sessions: deps.operators?.sessions }));
    if (!config.METRICS_PUBLIC) scope.get('/metrics', metrics);
    if (deps.products) await scope.register(adminProductRoutes, deps.products);
    if (deps.admin) await deps.admin(scope);
  });
  return app;
}
