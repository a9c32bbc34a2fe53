import type { Queue } from 'bullmq';
import { ingestJobId } from './names.ts';

// What is already queued or running, read from Redis, so the recovery sweep adds work only where none is
// (issue 16: under a deep backlog it re-enqueued hundreds of jobs that were only waiting their turn).
// Every look is O(1) per job (its hash), never a scan of a queue's lists: BullMQ's getJobState walks the
// wait list (LPOS), which behind 5,000 waiting jobs cost more than the sweep saved. Commands for a whole
// batch are sent at once: ioredis writes them without waiting for each answer.

/** A job that exists and has not finished is waiting, delayed, running or about to be retried. */
async function liveJobIds(queue: Queue, jobIds: string[]): Promise<Set<string>> {
  const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id)));
  return new Set(jobIds.filter((_, i) => jobs[i] && !jobs[i]!.finishedOn));
}

/** The messages whose ingest job (fixed id) is waiting, delayed or running. */
export async function ingestJobsLive(queue: Queue, inboundIds: number[]): Promise<Set<number>> {
  const live = await liveJobIds(queue, inboundIds.map(ingestJobId));
  return new Set(inboundIds.filter((id) => live.has(ingestJobId(id))));
}

/**
 * The chats that hold a job of this queue, waiting, delayed or running: converse and outbound jobs are
 * de-duplicated by chat id, and BullMQ keeps the id of the job that holds a chat under its de-duplication key.
 */
export async function chatsWithLiveJob(queue: Queue, chatIds: string[]): Promise<Set<string>> {
  const holders = await Promise.all(chatIds.map((chatId) => queue.getDeduplicationJobId(chatId)));
  const live = await liveJobIds(queue, holders.filter((id): id is string => Boolean(id)));
  return new Set(chatIds.filter((_, i) => holders[i] && live.has(holders[i]!)));
}

/**
 * How long the job at the head of the queue's line has waited (0 when none waits). Work committed after
 * that job was queued may still have its job in the line behind it, so the sweep need not look at it yet:
 * a lost job's row gets older than the head of the line soon enough, and only then costs a look.
 */
export async function headOfLineWaitMs(queue: Queue): Promise<number> {
  const [head] = await queue.getJobs(['waiting'], 0, 0, true);
  return head ? Math.max(0, Date.now() - head.timestamp) : 0;
}
