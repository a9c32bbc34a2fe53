import { describe, expect, it } from 'vitest';
import { classify, INTENTS } from '../../../src/conversation/keywords/classify.ts';
import type { Intent } from '../../../src/conversation/keywords/classify.ts';
import { DEV_FILE, HELDOUT_2_FILE, HELDOUT_FILE, readLabelled } from './labelled.ts';

// Realistic Colombian/LatAm WhatsApp messages (no accents, typos, shorthand, emoji, shouting, tricky
// negatives). heldout.jsonl came with the first keyword rules; heldout-2.jsonl was written before the
// issue 12 tuning and the rules were tuned on dev.jsonl, never on its misses. Its first run after that
// tuning read 98.7 %; the bar below leaves room for the rules to move without hiding a real regression.
const SETS = [
  { name: 'heldout.jsonl', file: HELDOUT_FILE, bar: 0.95 },
  { name: 'heldout-2.jsonl', file: HELDOUT_2_FILE, bar: 0.95 },
  { name: 'dev.jsonl', file: DEV_FILE, bar: 0.95 },
];

// A missed opt-out keeps messaging someone who said stop; a missed person request loops a bot at a
// customer who needs a human. Neither may ever be missed, nor the complaint marker on a complaint.
const NEVER_MISSED: readonly Intent[] = ['opt_out', 'human_agent'];

describe.each(SETS)('keyword understanding on $name', ({ name, file, bar }) => {
  const rows = readLabelled(file);

  it('covers every intent', () => {
    expect(new Set(rows.map((h) => h.intent))).toEqual(new Set(INTENTS));
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it(`is at least ${bar * 100} % accurate, and prints where it misses`, () => {
    const perIntent = new Map<Intent, { right: number; total: number }>(INTENTS.map((i) => [i, { right: 0, total: 0 }]));
    const misses: string[] = [];
    for (const { text, intent } of rows) {
      const got = classify(text).intent;
      const tally = perIntent.get(intent)!;
      tally.total++;
      if (got === intent) tally.right++;
      else misses.push(`  ${JSON.stringify(text)}: expected ${intent}, got ${got}`);
    }
    const right = [...perIntent.values()].reduce((n, t) => n + t.right, 0);
    const accuracy = right / rows.length;
    const table = [...perIntent].map(([intent, t]) => `  ${intent.padEnd(18)} ${t.right}/${t.total}`);
    console.log([`${name} accuracy ${(accuracy * 100).toFixed(1)} % (${right}/${rows.length})`, ...table, 'misses:', ...misses].join('\n'));
    expect(accuracy).toBeGreaterThanOrEqual(bar);
  });

  it('never misses an opt-out or a request for a person', () => {
    const safety = rows.filter((r) => NEVER_MISSED.includes(r.intent));
    expect(safety.length).toBeGreaterThanOrEqual(file === HELDOUT_FILE ? 20 : 40);
    const missed = safety.filter((r) => classify(r.text).intent !== r.intent).map((r) => `${r.text} (${r.intent})`);
    expect(missed).toEqual([]);
  });

  it('gives every labelled entity (a complaint its reason, a reference its marker)', () => {
    const wrong = rows
      .filter((r) => r.entities !== undefined)
      .filter((r) => {
        const got = classify(r.text).entities as Record<string, unknown>;
        return Object.entries(r.entities!).some(([key, value]) => got[key] !== value);
      })
      .map((r) => `${r.text}: ${JSON.stringify(classify(r.text).entities)}`);
    expect(wrong).toEqual([]);
  });
});
