import type { Redis } from 'ioredis';

// Workers leave a sign of life in Redis so that processes without workers (the web role's /ready) can
// tell a queue that moves from one whose workers silently stopped taking jobs (a known BullMQ failure
// after a Redis reconnect). One sorted set per deployment: member = queue, score = the last moment a
// worker of that queue was seen working. ZADD GT keeps the latest of all processes' reports without a
// read, and lets a deliberate pause (a provider's 429) report a moment in the future.

export const progressKey = (prefix: string) => `${prefix}:health:progress`;

/** How often one process writes per queue at most: a busy stage must not pay a Redis write per job. */
const WRITE_EVERY_MS = 1000;

export interface ProgressRecorder {
  /** A job of this queue started or finished here (throttled). */
  noteWork: () => void;
  /** The queue is paused on purpose until `until` (ms epoch): not stalled before then. */
  notePausedUntil: (until: number) => Promise<void>;
}

export function createProgressRecorder(redis: Redis, prefix: string, queue: string): ProgressRecorder {
  let lastWrite = 0;
  const write = (at: number) => redis.zadd(progressKey(prefix), 'GT', at, queue);
  return {
    noteWork: () => {
      const now = Date.now();
      if (now - lastWrite < WRITE_EVERY_MS) return;
      lastWrite = now;
      // best effort: a lost write only makes the queue look idle a second longer
      write(now).catch(() => {});
    },
    notePausedUntil: async (until) => void (await write(until)),
  };
}

/** The last sign of life of every queue that has one, by queue name (ms epoch). */
export async function readProgress(redis: Redis, prefix: string): Promise<Map<string, number>> {
  const flat = await redis.zrange(progressKey(prefix), 0, '-1', 'WITHSCORES');
  const progress = new Map<string, number>();
  for (let i = 0; i < flat.length; i += 2) progress.set(flat[i]!, Number(flat[i + 1]));
  return progress;
}
