import { describe, expect, it } from 'vitest';
import { burstWaitMs, splitIntoBursts } from '../../src/conversation/bursts.ts';

const at = (ms: number) => ({ receivedAt: new Date(1_700_000_000_000 + ms), ms });

describe('splitIntoBursts', () => {
  it('answers every message alone with a window of 0', () => {
    expect(splitIntoBursts([at(0), at(10), at(20)], 0).map((b) => b.length)).toEqual([1, 1, 1]);
  });
  it('groups messages no further apart than the window, gap by gap', () => {
    const bursts = splitIntoBursts([at(0), at(1500), at(2900), at(6000), at(6100)], 2000);
    expect(bursts.map((b) => b.map((m) => m.ms))).toEqual([[0, 1500, 2900], [6000, 6100]]);
  });
});

describe('burstWaitMs', () => {
  const base = { now: 10_000, oldestAt: 9_000, windowMs: 2000, maxWaitMs: 8000 };
  it('waits out the rest of the window after the newest message', () => {
    expect(burstWaitMs({ ...base, newestAt: 9_500 })).toBe(1500);
  });
  it('answers at once when the customer has been quiet for the window', () => {
    expect(burstWaitMs({ ...base, newestAt: 8_000 })).toBe(0);
  });
  it('answers a burst that keeps growing once its oldest message waited the maximum', () => {
    expect(burstWaitMs({ ...base, oldestAt: 1_000, newestAt: 9_900 })).toBe(0);
    expect(burstWaitMs({ ...base, oldestAt: 3_000, newestAt: 9_900 })).toBe(1000);
  });
  it('never waits with a window of 0', () => {
    expect(burstWaitMs({ ...base, windowMs: 0, newestAt: 10_000 })).toBe(0);
  });
});
