import type { Queryable } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';
import { SEARCH_CONCEPTS, type SearchConcept } from './search-lexicon.ts';

// The needs search understands: the general lexicon plus the shop's own rows (search_concepts), and
// which one a customer's words name.

const READ_CONCEPTS = `SELECT need, cues, products, or_popular AS "orPopular" FROM search_concepts ORDER BY need`;

// Read at most once a minute per pool: a shop edits its needs rarely, customers search all day.
const FRESH_FOR_MS = 60_000;
const loadedBy = new WeakMap<object, { at: number; concepts: Promise<SearchConcept[]> }>();

/** The lexicon with the shop's rows merged in (a row for a need the lexicon has adds its words). */
export function mergeConcepts(general: readonly SearchConcept[], shop: readonly SearchConcept[]): SearchConcept[] {
  const byNeed = new Map(general.map((c) => [foldAccents(c.need), { ...c }]));
  for (const row of shop) {
    const key = foldAccents(row.need);
    const known = byNeed.get(key);
    byNeed.set(key, known
      ? { ...known, cues: [...known.cues, ...row.cues], products: [...known.products, ...row.products], orPopular: known.orPopular || row.orPopular }
      : row);
  }
  return [...byNeed.values()].map((c) => ({ ...c, cues: [...new Set(c.cues.map(foldAccents))] }));
}

export async function searchConcepts(db: Queryable): Promise<SearchConcept[]> {
  const loaded = loadedBy.get(db);
  if (loaded && Date.now() - loaded.at < FRESH_FOR_MS) return loaded.concepts;
  const concepts = db.unsafe<SearchConcept[]>(READ_CONCEPTS).then((rows) => mergeConcepts(SEARCH_CONCEPTS, rows));
  loadedBy.set(db, { at: Date.now(), concepts });
  concepts.catch(() => loadedBy.delete(db)); // a failed read is retried by the next search
  return concepts;
}

/** Forget the shop's needs this process read (after editing search_concepts, in tests and admin tools). */
export function forgetSearchConcepts(db: Queryable): void {
  loadedBy.delete(db);
}

export interface NamedNeed {
  concept: SearchConcept;
  /** Positions of the words that named it, to leave out of the product words. */
  at: number[];
}

/**
 * The first need the words name (words lower case, as searchWords gives them). A cue of several words
 * ("home office") must appear in order. Only the first need counts: "regalo para mi hijo" is a gift.
 * `isProductWord` says which typed words the catalogue names products by: such a word is never taken for
 * a misspelt cue ("correa" in a pet shop is the leash, not "correr" mistyped).
 */
export function namedNeed(words: readonly string[], concepts: readonly SearchConcept[], isProductWord: (word: string) => boolean = () => false): NamedNeed | undefined {
  const folded = words.map(foldAccents);
  let best: NamedNeed | undefined;
  for (const concept of concepts) {
    for (const cue of concept.cues) {
      const parts = cue.split(/\s+/).filter(Boolean);
      for (let i = 0; i + parts.length <= folded.length; i++) {
        const matches = parts.every((p, j) => folded[i + j] === p || (sameWordMistyped(folded[i + j], p) && !isProductWord(words[i + j])));
        if (matches && (!best || i < best.at[0])) best = { concept, at: parts.map((_, j) => i + j) };
      }
    }
  }
  return best;
}

/** Whether a word, accents aside, is a cue of some need ("perro", "niño"): it says what for or for whom, not what. */
export function isCue(word: string, concepts: readonly SearchConcept[]): boolean {
  const folded = foldAccents(word);
  return concepts.some((c) => c.cues.some((cue) => cue === folded));
}

// A letter off counts from six letters ("llubia", "gimnacio", "ejersicio"); shorter cues have too many
// neighbours ("plata" is not "playa"). Never in the last two letters: Spanish inflects there, so a word
// that differs from a cue only at its end is another word of the same root ("correa", "corre" and
// "correr"; "helado" and "helada"), not a slip of the finger.
function sameWordMistyped(typed: string, cue: string): boolean {
  if (cue.length < 6 || Math.abs(typed.length - cue.length) > 1) return false;
  let i = 0;
  while (i < typed.length && typed[i] === cue[i]) i++;
  if (i >= Math.min(typed.length, cue.length) - 2) return false;
  if (typed.length === cue.length) return typed.slice(i + 1) === cue.slice(i + 1);
  return typed.length > cue.length ? typed.slice(i + 1) === cue.slice(i) : typed.slice(i) === cue.slice(i + 1);
}
