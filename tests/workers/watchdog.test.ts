import type { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { Stage } from '../../src/config/schema.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// A BullMQ worker that stops taking jobs without telling anyone (seen after Redis reconnects) leaves its
// queue filling up while the process looks fine. The watchdog notices from the queue itself and gives
// the stage a new worker; the waiting messages are then answered.

let p: Pipeline | undefined;
afterEach(async () => { await p?.stop(); p = undefined; });

const sentTo = (pl: Pipeline, to: string) => pl.graph.sent.filter((s) => (s.body as { to?: string })?.to === to).length;

describe('the worker watchdog', () => {
  it('recreates a stage worker that silently stopped consuming, and the waiting messages are answered', async () => {
    p = await startPipeline({ workerSets: 0, env: { QUEUE_STALL_MS: '1500' } });
    const stuck: Stage[] = [];
    const role = await p.addWorkers({ onStuck: (stage) => void stuck.push(stage) });
    const converseWorker = () => role.workers.find((w) => w.name === 'converse') as Worker;
    const original = converseWorker();
    // stop taking jobs without closing, erroring or emitting anything the role listens to
    await original.pause(true);

    const chats = ['573006660001', '573006660002', '573006660003'];
    for (const c of chats) {
      expect((await p.postMeta(metaEnvelope([metaTextMessage({ from: c, id: `wamid.dog.${c}`, body: 'hola' })]))).status).toBe(200);
    }
    expect(await until(() => chats.every((c) => sentTo(p!, c) === 1), 20_000)).toBe(true);
    expect(converseWorker()).not.toBe(original);
    expect(original.closing).toBeTruthy();
    expect(converseWorker().isRunning()).toBe(true);
    expect(stuck).toEqual([]);
    // the web role sees the queue move again
    expect(await until(async () => (await p!.app.inject({ url: '/ready' })).statusCode === 200, 5000)).toBe(true);
  });
});
