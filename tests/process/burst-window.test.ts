import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashScenario, testCrashWorld } from '../support/crash-scenario.ts';

// DESIGN §4.2–3 with real processes and the production burst window (MESSAGE_BUFFER_MS unset: 2 s): a web
// process and three worker processes, 20 chats writing quick bursts and pauses longer than the window,
// every chat's first message delivered twice at once. The crash variants: tests/process/crash-*.test.ts.

let world: Awaited<ReturnType<typeof testCrashWorld>>;
beforeAll(async () => { world = await testCrashWorld(); });
afterAll(async () => { await world?.drop(); });

const CHATS = 20;
const PER_CHAT = 6;

describe('three worker processes, the 2 s burst window', () => {
  it('every message answered once, bursts whole and in order, replies in the messages\' order', async () => {
    const r = await runCrashScenario(world, { chats: CHATS, perChat: PER_CHAT, workers: 3 });
    console.log(JSON.stringify({ ...r, lost: r.lost.length }));
    expect(r.acknowledged).toBe(CHATS * PER_CHAT);
    expect(r.storedTwice).toBe(0);
    expect(r.lost).toEqual([]);
    expect(r.unrecordedSends).toBe(0);
    expect(r.recordedNotOnce).toBe(0);
    expect(r.burstsBroken).toEqual([]);
    expect(r.outOfOrder).toEqual([]);
    // the window did its work: quick messages were answered together, pauses longer than it apart
    expect(r.inBursts).toBeGreaterThan(CHATS);
    expect(r.bursts).toBeGreaterThan(CHATS);
  });
});
