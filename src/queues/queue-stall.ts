import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { readProgress } from './stage-progress.ts';

/** What the stall rule needs to know about one queue, read from Redis. */
export interface QueueSnapshot {
  queue: string;
  /** Jobs ready to run now (waiting and prioritized; delayed jobs are not ready, so not counted). */
  waiting: number;
  /** When the oldest ready job became ready, as near as BullMQ records it (ms epoch). */
  oldestWaitingSince?: number;
  /** The last time a worker of this queue started or finished a job, or the end of a deliberate pause. */
  lastProgressAt?: number;
  /** Paused by an operator (bull-board) or rate-limited (a provider's 429, the send limiter): waiting is expected. */
  held: boolean;
}

/**
 * The stall rule: jobs are waiting, the oldest has waited at least the window, and no worker has started
 * or finished a job within the window, while the queue is neither paused nor rate-limited. A queue that
 * just received work after idling is not stalled (its oldest job is young); a busy queue is not stalled
 * (its workers report progress). Returns why the queue is stalled, or undefined.
 */
export function stallReason(s: QueueSnapshot, now: number, windowMs: number): string | undefined {
  if (s.waiting === 0 || s.held) return undefined;
  const waitedMs = now - (s.oldestWaitingSince ?? now);
  const idleMs = s.lastProgressAt === undefined ? Infinity : now - s.lastProgressAt;
  if (waitedMs < windowMs || idleMs < windowMs) return undefined;
  const idle = Number.isFinite(idleMs) ? `no job started or finished for ${Math.round(idleMs / 1000)} s` : 'no worker has ever reported';
  return `${s.queue}: ${s.waiting} waiting, the oldest for ${Math.round(waitedMs / 1000)} s, ${idle}`;
}

export async function readQueueSnapshot(queue: Queue, progress: Map<string, number>): Promise<QueueSnapshot> {
  const [counts, [oldest], paused, rateLimitTtl] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized'),
    queue.getJobs(['waiting'], 0, 0, true), // ascending: the job at the head of the line
    queue.isPaused(),
    queue.getRateLimitTtl(),
  ]);
  return {
    queue: queue.name,
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    // a retried job keeps its creation time; its last attempt's start is nearer to when it became ready
    oldestWaitingSince: oldest ? Math.max(oldest.timestamp, oldest.processedOn ?? 0) : undefined,
    lastProgressAt: progress.get(queue.name),
    held: paused || rateLimitTtl > 0,
  };
}

/** Why each of these queues is stalled; empty when all move. Fails when Redis does not answer. */
export async function findStalledQueues(queues: Queue[], redis: Redis, prefix: string, windowMs: number): Promise<string[]> {
  const progress = await readProgress(redis, prefix);
  const snapshots = await Promise.all(queues.map((q) => readQueueSnapshot(q, progress)));
  const now = Date.now();
  return snapshots.map((s) => stallReason(s, now, windowMs)).filter((r): r is string => r !== undefined);
}
