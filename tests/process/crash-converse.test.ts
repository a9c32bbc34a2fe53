import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashScenario, testCrashWorld } from '../support/crash-scenario.ts';

// A real kill -9 in `npm test` (CI runs it): one of two worker processes (the doomed one runs ingest and
// converse only, so no send of its own is in flight), started with FAULT_INJECT=converse:before-commit#2, kills itself inside its second converse transaction, every write
// of the burst done and the COMMIT not sent (src/lib/fault-points.ts). Burst window 2 s (production's).

let world: Awaited<ReturnType<typeof testCrashWorld>>;
beforeAll(async () => { world = await testCrashWorld(); });
afterAll(async () => { await world?.drop(); });

describe('kill -9 inside the converse transaction', () => {
  it('rolls back: the burst answered once by the other worker, nothing lost, no duplicate, order kept', async () => {
    const r = await runCrashScenario(world, { point: 'converse:before-commit', hit: 2, chats: 20, perChat: 6, workers: 1 });
    console.log(JSON.stringify({ ...r, lost: r.lost.length }));
    expect(r.doomedSignal).toBe('SIGKILL');
    expect(r.acknowledged).toBe(120);
    expect(r.lost).toEqual([]);
    // nothing of the rolled-back transaction reached the provider: no duplicate at all
    expect(r.unrecordedSends).toBe(0);
    expect(r.recordedNotOnce).toBe(0);
    expect(r.burstsBroken).toEqual([]);
    expect(r.outOfOrder).toEqual([]);
  });
});
