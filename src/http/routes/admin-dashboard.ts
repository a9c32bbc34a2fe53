import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Sql } from '../../db/client.ts';
import { DEFAULT_WINDOW_MINUTES, MAX_WINDOW_MINUTES, readMetricWindow } from '../../metrics/dashboard-data.ts';
import { listOpenHandoffs } from '../../crm/handoffs.ts';
import { readJobCounts } from '../../queues/job-counts.ts';
import { readUndeliveredReplies } from '../../metrics/undelivered-replies.ts';
import { intentLabel } from '../../metrics/intent-labels.ts';
import { readWhatsAppBilling } from '../../billing/billing-summary.ts';

export interface AdminDashboardOptions {
  sql: Sql;
  queues: Record<string, Pick<Queue, 'getJobCounts'>>;
  /** MESSAGE_BUFFER_MS: the deliberate wait every reply includes, reported apart from processing */
  burstWindowMs?: number;
  /** AI providers with a key configured; none: the bot answers by keywords alone and the cost chart says so */
  aiProviders?: string[];
}

// The seed's success metrics (004, "Métricas de Éxito"): drawn on the charts as the line to stay under. The
// latency target is the processing's: the burst window is a wait chosen on purpose, not slowness.
export const TARGETS = { e2eP95Ms: 500, processingP95Ms: 500, errorRate: 0.001, cacheHitRate: 0.8 } as const;

const UNDELIVERED_PANEL_HOURS = 24;
const UNDELIVERED_PANEL_ROWS = 50;

const PAGE_DIR = join(import.meta.dirname, '..', 'dashboard');
// chart.js exports no subpaths, so its UMD build (a browser global, no bundler needed) is found beside its main file
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

// The page loads only its own files: no inline script, nothing from another origin (the machines have no internet anyway).
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The operations dashboard: the page at /admin, its assets, and the JSON it polls. Registered inside the
 * admin scope, so all of it needs ADMIN_TOKEN. Files are read once, at registration.
 */
export async function adminDashboardRoutes(app: FastifyInstance, opts: AdminDashboardOptions): Promise<void> {
  const { sql, queues, burstWindowMs = 0, aiProviders = [] } = opts;
  const page = await readFile(join(PAGE_DIR, 'index.html'));
  const assets: Record<string, { body: Buffer; type: string }> = {
    'chart.js': { body: await readFile(CHART_JS), type: 'text/javascript; charset=utf-8' },
    'dashboard.js': { body: await readFile(join(PAGE_DIR, 'dashboard.js')), type: 'text/javascript; charset=utf-8' },
    'dashboard.css': { body: await readFile(join(PAGE_DIR, 'dashboard.css')), type: 'text/css; charset=utf-8' },
  };

  const sendPage = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').send(page);
  app.get('/admin', sendPage);
  app.get('/admin/', sendPage);

  app.get('/admin/assets/:file', { schema: { params: { type: 'object', required: ['file'], properties: { file: { type: 'string' } } } } }, async (request, reply) => {
    const asset = assets[(request.params as { file: string }).file];
    if (!asset) return reply.code(404).send({ error: 'no such asset' });
    // private: it is behind admin credentials, no shared cache may keep it
    return reply.type(asset.type).header('cache-control', 'private, max-age=300').send(asset.body);
  });

  app.get('/admin/api/dashboard', {
    schema: {
      querystring: {
        type: 'object',
        properties: { minutes: { type: 'integer', minimum: 1, maximum: MAX_WINDOW_MINUTES, description: `window in minutes, default ${DEFAULT_WINDOW_MINUTES}` } },
      },
    },
  }, async (request, reply) => {
    const { minutes = DEFAULT_WINDOW_MINUTES } = request.query as { minutes?: number };
    const [window, handoffs, queueDepth, undelivered, aiSwitch, whatsapp] = await Promise.all([
      readMetricWindow(sql, minutes, burstWindowMs), listOpenHandoffs(sql), readJobCounts(queues),
      // the panel shows the last day's, newest first; the admin API pages further back
      readUndeliveredReplies(sql, { since: new Date(Date.now() - UNDELIVERED_PANEL_HOURS * 3600_000), limit: UNDELIVERED_PANEL_ROWS }),
      sql<{ value: string }[]>`SELECT value FROM system_config WHERE key = 'use_ai_providers'`,
      // messages by Meta's billing category and their estimated cost, over the same window as the charts
      readWhatsAppBilling(sql, new Date(Date.now() - minutes * 60_000)),
    ]);
    reply.header('cache-control', 'no-store');
    // the switch (npm run config) can turn configured providers off at run time
    const ai = { providers: aiProviders, enabled: aiProviders.length > 0 && aiSwitch[0]?.value !== 'false' };
    const intentNames = Object.fromEntries(Object.keys(window.totals.intents).map((k) => [k, intentLabel(k)]));
    return { generatedAt: new Date(), minutes, targets: TARGETS, ai, intentNames, ...window, handoffs, undelivered, whatsapp, queues: queueDepth };
  });
}
