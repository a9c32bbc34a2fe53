import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { findStalledQueues, readQueueSnapshot, stallReason, type QueueSnapshot } from '../../src/queues/queue-stall.ts';
import { createProgressRecorder, readProgress } from '../../src/queues/stage-progress.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL } from '../support/test-runtime.ts';

// The stall rule behind /ready and the worker watchdog, and the signs of life it reads from Redis.

const WINDOW = 60_000;
const now = 1_800_000_000_000;
const snap = (o: Partial<QueueSnapshot>): QueueSnapshot => ({ queue: 'converse', waiting: 3, oldestWaitingSince: now - 90_000, lastProgressAt: now - 90_000, held: false, ...o });

describe('the stall rule', () => {
  it('calls a queue stalled when jobs have waited a window and nothing started or finished in one', () => {
    expect(stallReason(snap({}), now, WINDOW)).toBe('converse: 3 waiting, the oldest for 90 s, no job started or finished for 90 s');
    expect(stallReason(snap({ lastProgressAt: undefined }), now, WINDOW)).toBe('converse: 3 waiting, the oldest for 90 s, no worker has ever reported');
  });

  it('does not call stalled an empty queue, fresh work after idling, a busy queue, or a held one', () => {
    expect(stallReason(snap({ waiting: 0 }), now, WINDOW)).toBeUndefined();
    expect(stallReason(snap({ oldestWaitingSince: now - 1000, lastProgressAt: now - 3_600_000 }), now, WINDOW)).toBeUndefined();
    expect(stallReason(snap({ lastProgressAt: now - 500 }), now, WINDOW)).toBeUndefined();
    expect(stallReason(snap({ held: true }), now, WINDOW)).toBeUndefined();
    // a provider pause reported as progress in the future: not stalled until a window after it ends
    expect(stallReason(snap({ lastProgressAt: now + 30_000 }), now, WINDOW)).toBeUndefined();
  });
});

describe('signs of life in Redis', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = newQueuePrefix();
  afterAll(async () => {
    await dropQueuePrefix(prefix);
    redis.disconnect();
  });

  it('keeps the latest report of all processes, a pause end included, at most one write a second per process', async () => {
    const a = createProgressRecorder(redis, prefix, 'outbound');
    const b = createProgressRecorder(redis, prefix, 'outbound');
    const pauseEnd = Date.now() + 120_000;
    await a.notePausedUntil(pauseEnd);
    b.noteWork(); // earlier than the pause end: must not move it back
    await new Promise((r) => setTimeout(r, 50));
    expect((await readProgress(redis, prefix)).get('outbound')).toBe(pauseEnd);

    const c = createProgressRecorder(redis, prefix, 'ingest');
    c.noteWork();
    await new Promise((r) => setTimeout(r, 50));
    const first = (await readProgress(redis, prefix)).get('ingest')!;
    expect(Date.now() - first).toBeLessThan(1000);
    c.noteWork(); // within the second: not written
    await new Promise((r) => setTimeout(r, 50));
    expect((await readProgress(redis, prefix)).get('ingest')).toBe(first);
  });

  it('reads a queue: delayed jobs are not waiting; the oldest ready job and the pause are seen', async () => {
    const queue = new Queue('converse', { connection: redis, prefix });
    try {
      await queue.add('drain', { chatId: '573001' }, { delay: 60_000 });
      expect((await readQueueSnapshot(queue, new Map())).waiting).toBe(0);
      const before = Date.now();
      await queue.add('drain', { chatId: '573002' });
      await queue.add('drain', { chatId: '573003' });
      const s = await readQueueSnapshot(queue, new Map([['converse', 123]]));
      expect(s).toMatchObject({ queue: 'converse', waiting: 2, lastProgressAt: 123, held: false });
      expect(s.oldestWaitingSince).toBeGreaterThanOrEqual(before);
      expect(s.oldestWaitingSince).toBeLessThanOrEqual(Date.now());
      expect(await findStalledQueues([queue], redis, prefix, 1000)).toEqual([]); // young jobs
      await new Promise((r) => setTimeout(r, 1100));
      expect(await findStalledQueues([queue], redis, prefix, 1000)).toEqual([expect.stringMatching(/^converse: 2 waiting/)]);
      await queue.pause();
      expect((await readQueueSnapshot(queue, new Map())).held).toBe(true);
      expect(await findStalledQueues([queue], redis, prefix, 1000)).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
