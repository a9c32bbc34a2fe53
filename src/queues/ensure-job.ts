import type { Queue } from 'bullmq';

/**
 * Make sure a job with this id is waiting, active or delayed. A job id alone is not durable
 * de-duplication: a failed or completed job keeps its id until it is removed, so it is removed
 * and added again. Returns true when a job was (re)added.
 */
export async function ensureJob(queue: Queue, jobId: string, name: string, data: unknown): Promise<boolean> {
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'failed' && state !== 'completed' && state !== 'unknown') return false;
    await existing.remove().catch(() => {}); // already gone is fine
  }
  await queue.add(name, data, { jobId });
  return true;
}
