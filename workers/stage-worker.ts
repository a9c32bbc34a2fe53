import { DelayedError, UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ZodType } from 'zod';
import { isRetryLater, PermanentJobError } from '../src/queues/job-errors.ts';
import type { QueueName } from '../src/queues/names.ts';
import type { Logger } from '../src/logger.ts';
import { withLogContext } from '../src/log-context.ts';
import { createProgressRecorder } from '../src/queues/stage-progress.ts';
import { ProviderRateLimitedError } from '../src/whatsapp/errors.ts';
import { stageDuration, stageJobs } from '../src/metrics/registry.ts';

export interface StageWorkerOptions<P> {
  queue: QueueName;
  schema: ZodType<P>;
  handler: (payload: P) => Promise<unknown>;
  connection: Redis;
  prefix: string;
  concurrency: number;
  limiter?: WorkerOptions['limiter'];
  /** How long a job stays locked to its worker; also how often stalled jobs (dead workers) are looked for. */
  lockMs: number;
  /** Pause the whole queue (all workers) when the provider throttles us. */
  pauseQueue?: (ms: number) => Promise<void>;
  log: Logger;
  /** A job given up on (malformed, or out of attempts): recorded as an `error` event for the dashboard. */
  onFailedForGood?: (failure: { queue: QueueName; jobId?: string; chatId?: string; message: string }) => void;
}

/**
 * The thin adapter between BullMQ and a stage handler: checks the payload at the boundary and turns
 * the handler's outcomes into BullMQ's vocabulary. Nothing else about a stage lives here.
 */
export function createStageWorker<P>(opts: StageWorkerOptions<P>): Worker {
  // signs of life for /ready and the watchdog, which cannot see inside this process (src/queues/queue-stall.ts)
  const progress = createProgressRecorder(opts.connection, opts.prefix, opts.queue);
  const processor = async (job: Job, token?: string) => {
    progress.noteWork();
    try {
      // every line logged while the job runs names its queue, id and chat (masked by the logger)
      return await withLogContext({ queue: opts.queue, jobId: job.id, chatId: chatOf(job) }, () => run(job, token));
    } finally {
      progress.noteWork();
    }
  };
  const run = async (job: Job, token?: string) => {
    const parsed = opts.schema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid ${opts.queue} payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
    }
    let result: unknown;
    const timer = stageDuration.startTimer({ stage: opts.queue });
    try {
      result = await opts.handler(parsed.data);
      stageJobs.inc({ stage: opts.queue, outcome: isRetryLater(result) ? 'later' : 'completed' });
    } catch (error) {
      stageJobs.inc({ stage: opts.queue, outcome: error instanceof ProviderRateLimitedError ? 'throttled' : 'failed' });
      if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
      if (error instanceof ProviderRateLimitedError && opts.pauseQueue) {
        // the attempt is not spent: the job goes back to wait and the queue pauses for the provider's window
        await opts.pauseQueue(error.retryAfterMs);
        // a deliberate pause, not a stall: the queue counts as moving until the window ends
        await progress.notePausedUntil(Date.now() + error.retryAfterMs).catch(() => {});
        throw Worker.RateLimitError();
      }
      throw error;
    } finally {
      timer();
    }
    if (isRetryLater(result)) {
      await job.moveToDelayed(Date.now() + result.retryInMs, token);
      throw new DelayedError();
    }
    return result;
  };

  const worker = new Worker(opts.queue, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    limiter: opts.limiter,
    lockDuration: opts.lockMs,
    stalledInterval: opts.lockMs,
    // a job whose worker died twice is failed rather than retried forever; the sweep picks its row up again
    maxStalledCount: 2,
    autorun: true,
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    opts.log[final ? 'error' : 'warn']({ queue: opts.queue, jobId: job.id, chatId: chatOf(job), attempt: job.attemptsMade, err: error.message }, final ? 'job failed for good' : 'job failed, will retry');
    if (final) opts.onFailedForGood?.({ queue: opts.queue, jobId: job.id, chatId: chatOf(job), message: error.message });
  });
  worker.on('error', (error) => opts.log.error({ queue: opts.queue, err: error.message }, 'worker error'));
  return worker;
}

/** The chat a job is about, when its payload names one (converse and outbound do; ingest has only a row id). */
function chatOf(job: Job): string | undefined {
  const chatId = (job.data as { chatId?: unknown } | undefined)?.chatId;
  return typeof chatId === 'string' ? chatId : undefined;
}
