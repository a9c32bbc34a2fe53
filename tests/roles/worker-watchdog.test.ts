import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/config/schema.ts';
import { createLogger } from '../../src/logger.ts';
import { startWatchdog } from '../../src/roles/worker-watchdog.ts';
import { until } from '../support/test-runtime.ts';

// The watchdog's decisions alone, with the stall verdict scripted: recreate a stage's worker on a
// confirmed stall, stand down when the stage moves again, give up (exit) when a new worker does not help.
// The real thing, against Redis and a worker that stopped consuming, is tests/workers/watchdog.test.ts.

const WINDOW_MS = 400;
const log = createLogger('silent');

function scripted(stalled: Set<Stage>) {
  const recreated: Stage[] = [];
  const gaveUp: Stage[] = [];
  const dog = startWatchdog({
    stages: ['ingest', 'converse'],
    stallOf: async (stage) => (stalled.has(stage) ? `${stage}: 3 waiting` : undefined),
    recreate: async (stage) => void recreated.push(stage),
    giveUp: (stage) => void gaveUp.push(stage),
    windowMs: WINDOW_MS,
    log,
  });
  return { recreated, gaveUp, dog };
}

describe('the worker watchdog', () => {
  it('recreates a stalled stage once and stands down when it moves again', async () => {
    const stalled = new Set<Stage>(['converse']);
    const { recreated, gaveUp, dog } = scripted(stalled);
    expect(await until(() => recreated.length === 1, 3000)).toBe(true);
    expect(recreated).toEqual(['converse']);
    stalled.delete('converse'); // the new worker took the waiting jobs
    await new Promise((r) => setTimeout(r, WINDOW_MS * 3));
    expect(recreated).toEqual(['converse']);
    expect(gaveUp).toEqual([]);
    await dog.stop();
  });

  it('gives up when a new worker does not move the stage within another window', async () => {
    const { recreated, gaveUp, dog } = scripted(new Set(['ingest']));
    const started = Date.now();
    expect(await until(() => gaveUp.length === 1, 5000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(recreated).toEqual(['ingest']);
    expect(gaveUp).toEqual(['ingest']);
    await dog.stop();
  });

  it('takes no action when the stall verdict cannot be had (Redis away), and none after stop', async () => {
    const recreated: Stage[] = [];
    const dog = startWatchdog({
      stages: ['outbound'],
      stallOf: async () => { throw new Error('Redis not answering'); },
      recreate: async (stage) => void recreated.push(stage),
      giveUp: () => { throw new Error('must not give up'); },
      windowMs: WINDOW_MS,
      log,
    });
    await new Promise((r) => setTimeout(r, WINDOW_MS * 2));
    await dog.stop();
    expect(recreated).toEqual([]);
  });
});
