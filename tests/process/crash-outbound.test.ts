import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashScenario, testCrashWorld } from '../support/crash-scenario.ts';

// A real kill -9 in `npm test`: one of two worker processes, started with FAULT_INJECT=outbound:after-accept#2,
// kills itself after the provider accepted its second send and before the send is recorded
// (src/lib/fault-points.ts). DESIGN §4.12: the send in flight may go out again; nothing else may.

const OUTBOUND_CONCURRENCY = 4; // the default: at most this many sends were in flight in the dead process

let world: Awaited<ReturnType<typeof testCrashWorld>>;
beforeAll(async () => { world = await testCrashWorld(); });
afterAll(async () => { await world?.drop(); });

describe('kill -9 between the provider\'s answer and the send record', () => {
  it('nothing lost; only the sends in flight went out twice, and the one it died in did', async () => {
    const r = await runCrashScenario(world, { point: 'outbound:after-accept', hit: 2, chats: 20, perChat: 6, workers: 1 });
    console.log(JSON.stringify({ ...r, lost: r.lost.length }));
    expect(r.doomedSignal).toBe('SIGKILL');
    expect(r.acknowledged).toBe(120);
    expect(r.lost).toEqual([]);
    expect(r.unrecordedSends).toBeGreaterThanOrEqual(1);
    expect(r.unrecordedSends).toBeLessThanOrEqual(OUTBOUND_CONCURRENCY);
    expect(r.recordedNotOnce).toBe(0);
    expect(r.burstsBroken).toEqual([]);
    expect(r.outOfOrder).toEqual([]);
  });
});
