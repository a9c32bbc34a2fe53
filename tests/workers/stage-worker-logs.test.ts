import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { maskPhone } from '../../src/logger.ts';
import { PermanentJobError } from '../../src/queues/job-errors.ts';
import { createWorkerRedis } from '../../src/queues/redis.ts';
import { createStageWorker } from '../../workers/stage-worker.ts';
import { captureLogs } from '../support/capture-logs.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL, until } from '../support/test-runtime.ts';

// A job's log lines say which queue, job and chat they are about, with the chat's number masked:
// the adapter's own failure line, and every line the handler logs while the job runs.

const PHONE = '573007770001';
const prefix = newQueuePrefix();
const connection = createWorkerRedis(REDIS_URL);
afterAll(async () => {
  connection.disconnect();
  await dropQueuePrefix(prefix);
});

describe('job logs', () => {
  it('carry queue, job id and the masked chat id, in the handler and on failure', async () => {
    const { log, lines, parsed } = captureLogs('info');
    const worker = createStageWorker({
      queue: 'converse', connection, prefix, concurrency: 1, lockMs: 5000, log,
      schema: z.object({ chatId: z.string() }),
      handler: async () => {
        log.info({ step: 'drain' }, 'handling the chat'); // the root logger: context comes from the job
        throw new PermanentJobError(`no session for ${PHONE}`);
      },
    });
    const queue = new Queue('converse', { connection, prefix });
    try {
      const job = await queue.add('drain', { chatId: PHONE });
      expect(await until(() => parsed().some((l) => l.msg === 'job failed for good'))).toBe(true);
      const inside = parsed().find((l) => l.msg === 'handling the chat');
      const failed = parsed().find((l) => l.msg === 'job failed for good');
      expect(inside).toMatchObject({ queue: 'converse', jobId: job.id, chatId: maskPhone(PHONE), step: 'drain' });
      expect(failed).toMatchObject({ level: 50, queue: 'converse', jobId: job.id, chatId: maskPhone(PHONE), err: `no session for ${maskPhone(PHONE)}` });
      expect(lines.join('')).not.toContain(PHONE);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
