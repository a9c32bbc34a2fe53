import type { Queue } from 'bullmq';
import { ingestJobId } from './names.ts';

// What is already queued or running, read from Redis, so the recovery sweep adds work only where none is
// (issue 16: under a deep backlog it re-enqueued hundreds of jobs that were only waiting their turn).
// Commands for a whole batch are sent at once: ioredis writes them without waiting for each answer.

const FINISHED = new Set(['completed', 'failed', 'unknown']);

async function liveJobIds(queue: Queue, jobIds: string[]): Promise<Set<string>> {
  const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
  return new Set(jobIds.filter((_, i) => !FINISHED.has(states[i])));
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
