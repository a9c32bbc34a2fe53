import { describe, expect, it } from 'vitest';
import { classify, INTENTS } from '../../../src/conversation/keywords/classify.ts';
import type { Intent } from '../../../src/conversation/keywords/classify.ts';
import { HELDOUT_FILE, readLabelled } from './labelled.ts';

// Realistic Colombian/LatAm WhatsApp messages written apart from the shared examples (no accents,
// typos, shorthand, emoji, shouting, tricky negatives). Accuracy, not perfection, is the bar: the
// keyword path is the fallback when AI is down, and a few ambiguous messages are expected to miss.
const heldout = readLabelled(HELDOUT_FILE);

describe('keyword understanding on the held-out set', () => {
  it('covers every intent', () => {
    expect(new Set(heldout.map((h) => h.intent))).toEqual(new Set(INTENTS));
    expect(heldout.length).toBeGreaterThanOrEqual(150);
  });

  it('is at least 85 % accurate, and prints where it misses', () => {
    const perIntent = new Map<Intent, { right: number; total: number }>(INTENTS.map((i) => [i, { right: 0, total: 0 }]));
    const misses: string[] = [];
    for (const { text, intent } of heldout) {
      const got = classify(text).intent;
      const tally = perIntent.get(intent)!;
      tally.total++;
      if (got === intent) tally.right++;
      else misses.push(`  ${JSON.stringify(text)}: expected ${intent}, got ${got}`);
    }
    const right = [...perIntent.values()].reduce((n, t) => n + t.right, 0);
    const accuracy = right / heldout.length;
    const rows = [...perIntent].map(([intent, t]) => `  ${intent.padEnd(18)} ${t.right}/${t.total}`);
    console.log([`held-out accuracy ${(accuracy * 100).toFixed(1)} % (${right}/${heldout.length})`, ...rows, 'misses:', ...misses].join('\n'));
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });
});
