import type { Queue } from 'bullmq';
import { withTimeout } from '../lib/with-timeout.ts';

export interface JobCounts {
  wait: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * Jobs per state in each queue, read live from Redis. A queue that does not answer in time (Redis away:
 * BullMQ waits for the connection instead of failing) is reported as null, so the dashboard still shows
 * everything PostgreSQL knows.
 */
export async function readJobCounts(queues: Record<string, Pick<Queue, 'getJobCounts'>>, timeoutMs = 1000): Promise<Record<string, JobCounts | null>> {
  const entries = await Promise.all(Object.entries(queues).map(async ([name, queue]) => {
    try {
      const counts = await withTimeout(queue.getJobCounts('wait', 'active', 'delayed', 'failed'), timeoutMs, `queue ${name}`);
      return [name, { wait: counts.wait ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 }] as const;
    } catch {
      return [name, null] as const;
    }
  }));
  return Object.fromEntries(entries);
}
