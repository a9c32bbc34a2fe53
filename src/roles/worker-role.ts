import type { Worker } from 'bullmq';
import type { Stage } from '../config/schema.ts';
import { enqueueConverse, enqueueOutbound } from '../queues/enqueue.ts';
import { sweepQueues } from './sweep-queues.ts';
import { conversePayload, ingestPayload, maintenancePayload, outboundPayload, type ConversePayload, type MaintenancePayload, type OutboundPayload } from '../queues/payloads.ts';
import { isTyping } from '../queues/presence.ts';
import { createWorkerRedis } from '../queues/redis.ts';
import { createAcceptedSends } from '../queues/accepted-sends.ts';
import { createSender } from '../whatsapp/create-sender.ts';
import { routeSimulatorChats } from '../console/simulator-sender.ts';
import type { WhatsAppSender } from '../whatsapp/sender.ts';
import { converse } from '../../workers/converse.ts';
import { ingest } from '../../workers/ingest.ts';
import { maintenance } from '../../workers/maintenance.ts';
import { outbound } from '../../workers/outbound.ts';
import { createStageWorker } from '../../workers/stage-worker.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import type { Runtime } from './runtime.ts';
import { startWatchdog } from './worker-watchdog.ts';
import { findStalledQueues } from '../queues/queue-stall.ts';
import { createCustomerMemory } from './customer-memory.ts';
import { createRateLimiter, type RateLimiterOptions } from '../crm/rate-limits.ts';
import { intentsDetected, rateLimitedMessages } from '../metrics/registry.ts';
import { createAi } from '../ai/create-ai.ts';
import { createMediaFetcher } from '../media/fetch-media.ts';
import { createMediaUnderstanding } from '../media/understand.ts';
import { createKnowledgeSource } from '../crm/business-knowledge.ts';
import { syncKnowledgeFile } from '../facts/knowledge-file.ts';
import { createBurstUnderstanding } from './burst-understanding.ts';
import { createPaymentGateway } from '../commerce/payments/create-gateway.ts';
import { createCategoryCache } from '../commerce/category-cache.ts';
import { refreshCatalogueViews } from '../commerce/catalogue-refresh.ts';
import { ordersWaitingForLinks, sendPaymentLinks } from '../conversation/payment-links.ts';
import { createHandoffNotices } from './handoff-notices.ts';
import { recordEvent } from '../db/events.ts';
import { publishMetrics } from '../metrics/shared-metrics.ts';
import { faultHook } from '../lib/fault-points.ts';

export const SWEEP_SCHEDULER_ID = 'recovery-sweep';
export const ARCHIVE_SCHEDULER_ID = 'archive-inactive-guests';
export const CATALOGUE_SCHEDULER_ID = 'refresh-catalogue';
/** Events → per-minute metrics (idempotent); raw events past retention pruned hourly. */
export const ROLLUP_SCHEDULER_ID = 'metrics-rollup';
export const PRUNE_SCHEDULER_ID = 'metrics-prune';
/** Handoffs past their resume time go back to the bot; webhook notices that failed are tried again. */
export const HANDOFF_SCHEDULER_ID = 'handoff-housekeeping';
/** How often the category menu and search vocabulary are recomputed from the catalogue (imports also refresh at once). */
const CATALOGUE_REFRESH_MS = 5 * 60 * 1000;

export interface WorkerRole {
  workers: Worker[];
  close: (timeoutMs: number) => Promise<void>;
}

/** The worker role: one BullMQ worker per stage named in WORKER_STAGES, each on its own connection. */
export interface WorkerRoleOptions {
  stages?: Stage[];
  sender?: WhatsAppSender;
  /** Runs around every handler call: metrics, tracing, and tests that watch concurrency. */
  around?: (stage: Stage, payload: unknown, run: () => Promise<unknown>) => Promise<unknown>;
  /** A worker-only process: publish its metrics for the web role's /metrics (src/metrics/shared-metrics.ts). */
  publishMetrics?: boolean;
  /** A stage stayed stalled after its worker was recreated (src/roles/worker-watchdog.ts). Default: exit 1. */
  onStuck?: (stage: Stage, reason: string) => void;
  /** Rate-limit window lengths (src/crm/rate-limits.ts); only tests shorten them. */
  rateLimitWindowsMs?: RateLimiterOptions['windowsMs'];
}

export async function startWorkers(rt: Runtime, opts: WorkerRoleOptions = {}): Promise<WorkerRole> {
  const { config, sql, queues, redis, log } = rt;
  const stages = opts.stages ?? config.WORKER_STAGES;
  // the console's simulated customers are answered through the sandbox whatever the provider (src/console/simulator-sender.ts)
  const sender = routeSimulatorChats(opts.sender ?? createSender(config));
  const common = {
    prefix: config.QUEUE_PREFIX,
    log,
    lockMs: config.JOB_LOCK_MS,
    // bookkeeping, outside any transaction; a database that is away loses the event, not the job's record in bull-board
    onFailedForGood: ({ queue, chatId, message }: { queue: string; chatId?: string; message: string }) =>
      void recordEvent(sql, 'error', chatId ?? null, { stage: queue, final: true, message: message.slice(0, 500) }).catch(() => {}),
  };
  const around = opts.around;
  // per-message stages run under the wedge watchdog; maintenance tasks (archive, imports) may rightly run long
  const watched = <P,>(stage: Stage, handler: (p: P) => Promise<unknown>) =>
    stage === 'maintenance' ? handler : (p: P) => rt.watchdog.track(`${stage} job`, () => handler(p));
  const wrap = <P,>(stage: Stage, handler: (p: P) => Promise<unknown>) => {
    const run = watched(stage, handler);
    return around ? (p: P) => around(stage, p, () => run(p)) : run;
  };
  const workers: Worker[] = [];
  const connections: ReturnType<typeof createWorkerRedis>[] = [];
  const scheduleConverse = (chatId: string) => enqueueConverse(queues, chatId);
  const scheduleOutbound = (chatId: string) => enqueueOutbound(queues, chatId);
  const acceptedSends = createAcceptedSends(redis, config.QUEUE_PREFIX);
  const { settings, sessions } = createCustomerMemory(rt);
  await settings.prime(); // before any transaction may ask for a setting
  const rateLimiter = createRateLimiter({ redis, prefix: config.QUEUE_PREFIX, sql, windowsMs: opts.rateLimitWindowsMs });
  // one AI layer per process: the breakers must see every call to a provider to judge its health
  const ai = createAi({ config, db: sql, enabled: () => settings.flag('use_ai_providers'), log });
  if (ai.providers.length) log.info({ providers: ai.providers }, 'AI providers configured');
  const gateway = createPaymentGateway(config);
  const categoryCache = createCategoryCache({ redis, prefix: config.QUEUE_PREFIX });
  const checkout = { paymentLinks: gateway !== undefined, bankDetails: config.BANK_TRANSFER_DETAILS, cashOnDelivery: config.CASH_ON_DELIVERY, categoryMenu: categoryCache.get };
  const knowledge = createKnowledgeSource(sql, { file: config.BUSINESS_KNOWLEDGE_FILE });
  // the file's facts answer keyword-mode questions too (src/facts): searchable once loaded
  await syncKnowledgeFile(sql, config.BUSINESS_KNOWLEDGE_FILE).catch((err: unknown) => log.warn({ err }, 'BUSINESS_KNOWLEDGE_FILE not loaded for keyword answers'));
  // no provider configured: the keyword path alone, without the extra read the AI round needs
  const handoffs = createHandoffNotices(config, sql, log);
  const understand = ai.providers.length ? createBurstUnderstanding({ sql, ai, sender, knowledge, sessions }) : undefined;
  // FAULT_INJECT (fault tests only): this process kills itself with SIGKILL at the named crash point
  const fault = faultHook(config.FAULT_INJECT);
  if (fault) log.warn({ FAULT_INJECT: config.FAULT_INJECT }, 'fault injection on: this process will kill -9 itself at that point');

  // a function rather than a loop body, so the watchdog can build one stage's worker again
  const openStage = (stage: Stage) => {
    const connection = createWorkerRedis(config.REDIS_URL);
    connections.push(connection);
    connection.on('error', () => {}); // reported by the worker's own 'error' event
    switch (stage) {
      case 'ingest': {
        // voice notes and pictures are read here, once, so every later stage sees their words
        const understandMedia = createMediaUnderstanding({ fetchMedia: createMediaFetcher(config), ai: ai.router, log });
        workers.push(createStageWorker({ ...common, queue: 'ingest', connection, concurrency: config.INGEST_CONCURRENCY, schema: ingestPayload,
          handler: wrap('ingest', (p) => ingest(p, {
            sql,
            scheduleConverse,
            scheduleOutbound,
            checkRateLimit: (phone, tier, messageId) => rateLimiter.check(phone, tier, messageId),
            onRateLimited: (window) => rateLimitedMessages.inc({ window }),
            understandMedia,
          })) }));
        break;
      }
      case 'converse':
        workers.push(createStageWorker({ ...common, queue: 'converse', connection, concurrency: config.CONVERSE_CONCURRENCY, schema: conversePayload,
          handler: wrap('converse', (p: ConversePayload) => converse(p, {
            sql,
            sessions,
            bufferMs: config.MESSAGE_BUFFER_MS,
            typingBufferMs: config.TYPING_BUFFER_MS,
            staleAfterMs: config.STALE_MESSAGE_AGE_MS,
            isTyping: (chatId) => isTyping(redis, config.QUEUE_PREFIX, chatId),
            fault,
            understand,
            onUnderstood: (intent, source) => intentsDetected.inc({ intent, source }),
            checkout,
            handoff: handoffs.settings,
            afterCommit: async ({ outboxIds, placedOrderIds, handoffIds, operatorChats }) => {
              try {
                if (outboxIds.length) await enqueueOutbound(queues, p.chatId);
                for (const chat of operatorChats) await enqueueOutbound(queues, chat);
              } catch (error) {
                // committed already: the recovery sweep sends these replies once Redis answers again
                log.warn({ err: (error as Error).message, outboxIds }, 'could not enqueue replies; the sweep will');
              }
              if (gateway && placedOrderIds.length) {
                // the order is committed; a link that fails here is made by the sweep later
                await sendPaymentLinks(sql, gateway, placedOrderIds)
                  .then((chats) => Promise.all(chats.map((c) => enqueueOutbound(queues, c))))
                  .catch((error: unknown) => log.warn({ err: (error as Error).message, placedOrderIds }, 'could not send the payment link yet; the sweep will'));
              }
              if (handoffIds.length) await handoffs.notify(handoffIds);
            },
          })) }));
        break;
      case 'outbound':
        workers.push(createStageWorker({ ...common, queue: 'outbound', connection, concurrency: config.OUTBOUND_CONCURRENCY, schema: outboundPayload,
          limiter: { max: config.OUTBOUND_RATE_PER_SECOND, duration: 1000 },
          pauseQueue: (ms) => queues.outbound.rateLimit(ms),
          handler: wrap('outbound', (p: OutboundPayload) => outbound(p, {
            sql, sender, log, acceptedSends, fault,
            staleAfterMs: config.STALE_MESSAGE_AGE_MS,
            leaseSeconds: Math.ceil(config.PROVIDER_TIMEOUT_MS / 1000) + 5,
            recordRetryMs: config.OUTBOUND_RECORD_RETRY_MS,
          })) }));
        break;
      case 'maintenance':
        workers.push(createStageWorker({ ...common, queue: 'maintenance', connection, concurrency: 1, schema: maintenancePayload,
          handler: wrap('maintenance', (p: MaintenancePayload) => maintenance(p, {
            sql,
            graceMs: config.SWEEP_GRACE_MS,
            staleAfterMs: config.STALE_MESSAGE_AGE_MS,
            batchSize: 500,
            ...sweepQueues(queues),
            archiveAfterDays: () => settings.number('archive_inactive_days', 30),
            retention: { eventDays: config.EVENTS_RETENTION_DAYS, minuteDays: config.METRIC_MINUTES_RETENTION_DAYS },
            resumeHandoffs: handoffs.housekeeping,
            refreshCatalogue: async () => {
              const result = await refreshCatalogueViews(sql);
              if (result.listingsChanged) await categoryCache.invalidate().catch(() => {});
              return result;
            },
            retryPaymentLinks: gateway
              ? async () => {
                  const chats = await sendPaymentLinks(sql, gateway, await ordersWaitingForLinks(sql, config.SWEEP_GRACE_MS, 50));
                  for (const c of chats) await scheduleOutbound(c);
                  return chats.length;
                }
              : undefined,
          })) }));
        break;
    }
  };
  for (const stage of stages) openStage(stage);
  const recreate = async (stage: Stage) => {
    for (let i = workers.length - 1; i >= 0; i--) {
      if (workers[i].name !== stage) continue;
      const [stuck] = workers.splice(i, 1);
      const [connection] = connections.splice(i, 1);
      // force: a stuck worker may never finish closing; a job it still held is retried once its lock lapses
      await withTimeout(stuck.close(true), 5000, 'closing a stalled worker').catch(() => {});
      connection.disconnect();
      openStage(stage);
    }
  };
  const watchdog = startWatchdog({
    stages,
    // BullMQ waits for a lost Redis rather than failing: bound the look, no verdict is better than a hung watchdog
    stallOf: async (stage) => (await withTimeout(findStalledQueues([queues[stage]], redis, config.QUEUE_PREFIX, config.QUEUE_STALL_MS), 5000, 'stall check'))[0],
    recreate,
    giveUp: opts.onStuck ?? (() => process.exit(1)),
    windowMs: config.QUEUE_STALL_MS,
    log,
  });

  // Job schedulers live in Redis: if Redis restarts empty they are gone. Declaring them again is
  // idempotent (fixed ids), so do it at start, on every reconnect, and every half minute.
  let reassert: NodeJS.Timeout | undefined;
  if (stages.includes('maintenance')) {
    const declare = () =>
      Promise.all([
        queues.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: config.SWEEP_INTERVAL_MS }, { name: 'sweep', data: { task: 'sweep' } }),
        queues.maintenance.upsertJobScheduler(ARCHIVE_SCHEDULER_ID, { every: config.ARCHIVE_EVERY_MS }, { name: 'archive-guests', data: { task: 'archive-guests' } }),
        queues.maintenance.upsertJobScheduler(CATALOGUE_SCHEDULER_ID, { every: CATALOGUE_REFRESH_MS }, { name: 'refresh-catalogue', data: { task: 'refresh-catalogue' } }),
        queues.maintenance.upsertJobScheduler(ROLLUP_SCHEDULER_ID, { every: 60_000 }, { name: 'rollup-metrics', data: { task: 'rollup-metrics' } }),
        queues.maintenance.upsertJobScheduler(PRUNE_SCHEDULER_ID, { every: 3600_000 }, { name: 'prune-metrics', data: { task: 'prune-metrics' } }),
        queues.maintenance.upsertJobScheduler(HANDOFF_SCHEDULER_ID, { every: 60_000 }, { name: 'resume-handoffs', data: { task: 'resume-handoffs' } }),
      ]).catch((error: unknown) => log.warn({ err: (error as Error).message }, 'could not declare job schedulers yet'));
    await declare();
    redis.on('ready', declare);
    reassert = setInterval(declare, 30_000);
    reassert.unref();
  }
  const unpublish = opts.publishMetrics ? publishMetrics(redis, config.QUEUE_PREFIX) : undefined;
  log.info({ stages }, 'workers started');

  return {
    workers,
    close: async (timeoutMs) => {
      await watchdog.stop();
      await unpublish?.();
      if (reassert) clearInterval(reassert);
      // stop taking jobs and let in-flight ones finish; past the deadline close without waiting, and
      // BullMQ hands the unfinished jobs to another worker once their locks lapse (stalled → retried)
      const drained = Promise.all(workers.map((w) => w.pause()))
        .then(() => true)
        .catch(() => false);
      const finished = await Promise.race([drained, new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
      if (!finished) log.warn('workers did not finish in time; handing jobs back');
      await Promise.all(workers.map((w) => withTimeout(w.close(!finished), 5000, 'closing worker').catch(() => {})));
      for (const c of connections) c.disconnect();
      await ai.close();
    },
  };
}
