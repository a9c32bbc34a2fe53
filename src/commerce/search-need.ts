import type { Queryable } from '../db/client.ts';
import type { SearchConcept } from './search-lexicon.ts';
import { searchMatching, searchProducts, type ProductHit, type StemQuery } from './search.ts';
import { countWords } from './search-terms.ts';
import { anyOfQuery, searchWords, type Term } from './search-words.ts';

// The products for a need and the customer's words together: the need's lexicon as a text query over the
// catalogue, and the order in which the words and the need are tried.

// A need one of its words finds in this share of the shop ("para mi perro" in a pet shop, where half the
// products say "perro") tells little about which product: the customer's other words decide.
const BROAD_SHARE = 1 / 3;

export interface NeedQuery {
  /** Any of the need's product words the catalogue holds; undefined when it holds none. */
  query?: string;
  estimate: number;
  /** Much of the shop serves it: it ranks products, the customer's words choose them. */
  broad: boolean;
  catalogue: { catalogueSize: number; popularityQuantiles: number[] | null };
}

/** The need's product words the catalogue holds, as one text-search query: "abrig | chaquet | (gorr & lan) | …". */
export async function needQuery(db: Queryable, concept: SearchConcept): Promise<NeedQuery> {
  const phrases = concept.products.map((p) => searchWords(p));
  const { words: counted, catalogue } = await countWords(db, [...new Set(phrases.flat())]);
  const byWord = new Map(counted.map((c) => [c.word, c]));
  const groups: Term[][] = [];
  let estimate = 0, widest = 0;
  for (const phrase of phrases) {
    const content = phrase.map((w) => byWord.get(w)!).filter((c) => c.lexeme !== null);
    // a phrase the catalogue lacks a word of serves nothing here
    if (content.length === 0 || content.some((c) => c.matches === 0)) continue;
    groups.push(content.map((c) => ({ lexeme: c.lexeme!, prefix: false })));
    const matches = Math.min(...content.map((c) => c.matches));
    estimate += matches;
    widest = Math.max(widest, matches);
  }
  const size = catalogue.catalogueSize;
  return { query: anyOfQuery(groups), estimate: Math.min(estimate, size || estimate), broad: size > 0 && widest >= size * BROAD_SHARE, catalogue };
}

export interface Wanted {
  /** The words to search by, the need's cues left out. */
  text: string;
  /** Their stems the catalogue holds, to rank what serves the need by ("gatos" of a gift for a cat lover). */
  others: readonly { lexeme: string; matches: number }[];
  /** Some word is one the catalogue holds or corrects to one: the words are about products at all. */
  anyKnown: boolean;
}

/**
 * Products for the words and the need, best first:
 * 1. what the words name that also serves the need ("chaqueta para el frío");
 * 2. when the need is broad, or a gift (which can be anything), then what the words name ("arnés" for "arnés
 *    pa perro" in a pet shop whose harness says nothing of dogs); nothing when no word is one the shop
 *    knows ("puedo llevar a mi perrita a la tienda?" is not about products);
 * 3. what serves the need and matches some other word (a gift "para un niño que ama los gatos": the cat
 *    toys), for a broad need or a gift then anything matching them, then whatever serves the need
 *    ("zapatos para correr" in a shop whose running shoes are "tenis").
 * Without a need, what the words name.
 */
export async function findForNeed(db: Queryable, wanted: Wanted, need: NeedQuery | undefined, options: { limit: number; orPopular?: boolean }): Promise<ProductHit[]> {
  const { text, others } = wanted;
  const { limit } = options;
  if (!need?.query) return text ? searchProducts(db, text, { limit }) : [];
  const wordsDecide = need.broad || options.orPopular === true;
  const hits: ProductHit[] = [];
  const add = (more: readonly ProductHit[]) => hits.push(...more.filter((h) => !hits.some((k) => k.sku === h.sku)).slice(0, limit - hits.length));
  if (text) add(await searchProducts(db, text, { limit, alsoMatching: need.query }));
  if (hits.length && !wordsDecide) return hits;
  if (text && need.broad && !wanted.anyKnown) return hits;
  // a cat plush for a gift, then the rest of what the words name
  if (text && wordsDecide && hits.length < limit) add(await searchProducts(db, text, { limit }));
  if (hits.length) return hits;
  const anyOther = anyOfQuery(others.map((t) => [{ lexeme: t.lexeme, prefix: false }]));
  const otherEstimate = others.reduce((n, t) => n + t.matches, 0);
  const queries: StemQuery[] = [];
  if (anyOther) queries.push({ query: `(${need.query}) & (${anyOther})`, estimate: Math.min(need.estimate, otherEstimate) });
  if (anyOther && wordsDecide) queries.push({ query: anyOther, estimate: otherEstimate, match: 'related' });
  queries.push({ query: need.query, estimate: need.estimate });
  return searchMatching(db, queries, need.catalogue, { limit });
}
