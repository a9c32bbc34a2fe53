import { COMMON_WORDS, EDGE_WORDS, FILLERS, SLANG, TRIGGER_WORDS } from './lexicon.ts';

// Customers type fast on phones: a dropped or swapped letter in a trigger word ("carito", "pagr")
// should not turn a clear request into "unknown". Only trigger words are targets, and only words the
// lexicon does not already know are corrected, so real words are never bent into triggers.

const TARGETS = [...new Set(TRIGGER_WORDS)].filter((w) => w.length >= 5);
const KNOWN = new Set([...TRIGGER_WORDS, ...COMMON_WORDS, ...EDGE_WORDS, ...FILLERS, ...Object.values(SLANG)]);

/** True when the word is one the lexicon knows as it is. */
export const isKnown = (word: string): boolean => KNOWN.has(word);

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), stopping early past `max`. Kept by
 * hand on purpose: a swapped pair ("qiuero") must cost one edit, which fastest-levenshtein (used for plain
 * distances, src/conversation/shop/search-reply.ts) does not count, and the OSA packages on npm allocate a
 * full matrix per call with no early exit, over every target word of every unknown word.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length];
}

/** How many edits a word of this length may carry: short words are too easy to confuse. */
const allowance = (length: number): number => (length >= 9 ? 2 : length >= 4 ? 1 : 0);

/**
 * The trigger word this unknown word most likely misspells, or the word itself. A four-letter word
 * may only be missing a letter ("pagr" → "pagar"); ties between two targets are left alone.
 */
export function correctTypo(word: string): string {
  const max = allowance(word.length);
  if (max === 0 || KNOWN.has(word) || /\d/.test(word)) return word;
  let best: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (const target of TARGETS) {
    if (word.length === 4 && target.length !== 5) continue;
    const d = editDistance(word, target, max);
    if (d < bestDistance) [best, bestDistance, tie] = [target, d, false];
    else if (d === bestDistance && target !== best) tie = true;
  }
  return best !== undefined && !tie ? best : word;
}
