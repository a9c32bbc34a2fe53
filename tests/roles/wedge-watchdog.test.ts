import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createWedgeWatchdog } from '../../src/roles/wedge-watchdog.ts';

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the wedge watchdog', () => {
  it('names the oldest run still unsettled past the deadline, once', async () => {
    const wedged: string[] = [];
    const watchdog = createWedgeWatchdog({ deadlineMs: 200, checkEveryMs: 20, log, onWedged: (what) => wedged.push(what) });
    try {
      void watchdog.track('converse job', () => new Promise(() => {})); // never settles
      await sleep(50);
      void watchdog.track('outbound job', () => new Promise(() => {}));
      await sleep(400);
      expect(wedged).toEqual(['converse job']);
      expect(watchdog.inFlight()).toBe(2);
    } finally {
      watchdog.stop();
    }
  });

  it('leaves work that settles (or fails) in time alone, and passes its outcome through', async () => {
    const wedged: string[] = [];
    const watchdog = createWedgeWatchdog({ deadlineMs: 300, checkEveryMs: 20, log, onWedged: (what) => wedged.push(what) });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => watchdog.track('ingest job', async () => { await sleep(100); return i; })));
      await expect(watchdog.track('webhook intake', async () => { throw new Error('refused'); })).rejects.toThrow('refused');
      await sleep(400);
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(wedged).toEqual([]);
      expect(watchdog.inFlight()).toBe(0);
    } finally {
      watchdog.stop();
    }
  });

  it('by default ends the process with exit code 1 and one fatal line naming the work', () => {
    const script = `
      import { createLogger } from './src/logger.ts';
      import { createWedgeWatchdog } from './src/roles/wedge-watchdog.ts';
      const watchdog = createWedgeWatchdog({ deadlineMs: 200, log: createLogger('info') });
      watchdog.track('converse job', () => new Promise(() => {}));
      setTimeout(() => {}, 10_000); // something else keeps the loop alive, as the service does`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 8000 });
    expect(child.status).toBe(1);
    const fatal = child.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; what: string });
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ level: 60, what: 'converse job' });
    expect(fatal[0]!.msg).toContain('the database client is wedged');
  });
});
