import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type QueueName } from './names.ts';

// Retention. A pipeline job that completed is dropped at once: keeping the last 2,000 cost every completion a
// sorted-set insert and a trim in Redis (about 0.13 ms a message, issue 16), and what a completed job would
// show is in PostgreSQL (the message, its reply, their events). Failed jobs are kept for an operator to look
// at in bull-board, bounded so Redis stays small. Redis is never the record of a message, so this loses nothing.
const keepCompleted = true;
const keepFailed = { count: 10_000, age: 7 * 24 * 3600 };

/** Per-queue retry settings. Every stage is idempotent, so a retry can never double a reply. */
export const JOB_DEFAULTS: Record<QueueName, DefaultJobOptions> = {
  // parse, log, count: cheap and local, a few quick retries then the sweeper takes over
  ingest: { attempts: 5, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: keepCompleted, removeOnFail: keepFailed },
  // may wait for another process holding the chat, so it retries for longer
  converse: { attempts: 10, backoff: { type: 'exponential', delay: 250 }, removeOnComplete: keepCompleted, removeOnFail: keepFailed },
  // the provider may be down for a while; after these the sweeper re-enqueues the still-pending row
  outbound: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: keepCompleted, removeOnFail: keepFailed },
  maintenance: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
};

export type PipelineQueues = Record<QueueName, Queue>;

/** The one queue factory: every producer in the code base gets its queues from here. */
export function createQueues(connection: Redis, prefix: string): PipelineQueues {
  const make = (name: QueueName) => new Queue(name, { connection, prefix, defaultJobOptions: JOB_DEFAULTS[name] });
  return {
    ingest: make(QUEUE_NAMES.ingest),
    converse: make(QUEUE_NAMES.converse),
    outbound: make(QUEUE_NAMES.outbound),
    maintenance: make(QUEUE_NAMES.maintenance),
  };
}

export async function closeQueues(queues: PipelineQueues): Promise<void> {
  await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}
