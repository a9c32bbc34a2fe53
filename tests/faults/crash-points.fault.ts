import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { runCrashScenario, type CrashScenarioOptions } from '../support/crash-scenario.ts';
import { faultWorld } from './harness.ts';
import { startPrivateRedis } from './private-redis.ts';
import { reportFault, renderReliability } from './report.ts';

// The crash points of src/lib/fault-points.ts at fault-suite size, with the production burst window (2 s)
// and several worker processes; `npm test` runs them small (tests/process/burst-window.test.ts, crash-*.test.ts).

afterAll(() => renderReliability());

const CHATS = Number(process.env.FAULT_CRASH_CHATS ?? 100);
const PER_CHAT = 8;

async function scenario(name: string, opts: Omit<CrashScenarioOptions, 'chats' | 'perChat'>) {
  const redis = await startPrivateRedis();
  const world = await faultWorld(redis.url);
  const sql = createDb({ url: world.env().DATABASE_URL, max: 2 });
  try {
    // faultWorld's database is empty until the web process migrates it; the scenario touches it only after
    const env = (extra: Record<string, string> = {}) => {
      const { MESSAGE_BUFFER_MS: _zero, ...rest } = world.env(extra);
      return { ...rest, ...extra }; // the production burst window, not the fault suite's 0
    };
    const r = await runCrashScenario({ graph: world.graph, sql, env }, { chats: CHATS, perChat: PER_CHAT, ...opts });
    reportFault({
      scenario: name, property: opts.point === 'outbound:after-accept' ? '1, 2, 12' : '1, 2, 3', acknowledged: r.acknowledged, lost: r.lost.length,
      duplicated: r.unrecordedSends + r.recordedNotOnce, recoverySeconds: r.recoverySeconds,
      notes: `MESSAGE_BUFFER_MS 2000, ${CHATS} chats × ${PER_CHAT} messages (first delivered twice), ${opts.workers} healthy worker processes${opts.point ? ` + one with FAULT_INJECT=${opts.point}#${opts.hit} (${r.doomedSignal})` : ''}; ${r.bursts} bursts, ${r.inBursts} messages answered with others; bursts broken ${r.burstsBroken.length}, chats out of order ${r.outOfOrder.length}, stored twice ${r.storedTwice}`,
    });
    return r;
  } finally {
    await sql.end();
    await world.drop();
    await redis.stop();
  }
}

describe('crash points, burst window on, several worker processes', () => {
  it('no crash, three worker processes: every message answered once, in order', async () => {
    const r = await scenario('3 worker processes, 2 s burst window', { workers: 3 });
    expect(r.lost).toEqual([]);
    expect(r.unrecordedSends + r.recordedNotOnce).toBe(0);
    expect(r.burstsBroken).toEqual([]);
    expect(r.outOfOrder).toEqual([]);
    expect(r.storedTwice).toBe(0);
  });

  it('kill -9 inside the converse transaction', async () => {
    const r = await scenario('worker kill -9 before the converse COMMIT', { point: 'converse:before-commit', hit: 5, workers: 2 });
    expect(r.doomedSignal).toBe('SIGKILL');
    expect(r.lost).toEqual([]);
    expect(r.unrecordedSends + r.recordedNotOnce).toBe(0);
    expect(r.burstsBroken).toEqual([]);
    expect(r.outOfOrder).toEqual([]);
  });

  it('kill -9 after the provider accepted, before the send record', async () => {
    const r = await scenario('worker kill -9 between the provider\'s answer and the send record', { point: 'outbound:after-accept', hit: 5, workers: 2 });
    expect(r.doomedSignal).toBe('SIGKILL');
    expect(r.lost).toEqual([]);
    expect(r.unrecordedSends).toBeGreaterThanOrEqual(1);
    expect(r.unrecordedSends).toBeLessThanOrEqual(4); // OUTBOUND_CONCURRENCY of the dead process
    expect(r.recordedNotOnce).toBe(0);
    expect(r.outOfOrder).toEqual([]);
  });
});
