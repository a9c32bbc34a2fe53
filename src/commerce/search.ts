import type { Queryable } from '../db/client.ts';
import { ON_SALE, PRODUCT_COLUMNS, type Product } from './product.ts';
import { analyseWords, type WordInfo } from './search-terms.ts';
import { allButOneQuery, allTermsQuery, searchWords, type Term } from './search-words.ts';

/**
 * How a hit was found, best first: every word as typed; the words the catalogue knows, misspelt ones
 * corrected ("sapatos" → zapatos) and unknown ones left out; all of those but one; or, when nothing
 * else matched, a product name that looks like the text.
 */
export type MatchKind = 'exact' | 'corrected' | 'most-words' | 'similar-name';

export interface ProductHit extends Product {
  match: MatchKind;
}

export interface SearchOptions {
  /** At most this many products (default 10, the rows of one WhatsApp list; 1–50). */
  limit?: number;
  /** Also products switched off or out of stock (for the shop's staff, not customers). */
  includeUnavailable?: boolean;
}

// Relevance is ranked among the most popular matches only: a broad word ("ropa") matches thousands of
// products, ranking them all costs tens of milliseconds, and a customer reads ten.
const CANDIDATES = 50;
const WEIGHTS = `'{0.1, 0.2, 0.4, 1.0}'`; // D, C (description), B (category), A (name)

// Two ways to find the candidates, and the SQL of each leaves PostgreSQL one plan:
// - narrow (few matches): through the GIN index, then the most popular; "+ 0" hides the popularity index;
// - broad (many matches): walk the popularity index and stop at the first matches, which reads far fewer
//   rows than there are matches; coalesce() hides the GIN index.
// Which is which is decided from catalogue_lexemes' counts: left to itself the planner walks far too
// early (32 ms instead of 3 for a word held by 1.7 % of 100,000 products, measured with EXPLAIN ANALYZE).
const NARROW = `p.search_vector @@ to_tsquery('simple', $1) AND %FILTER% ORDER BY p.popularity_score + 0 DESC, p.id`;
const BROAD = `coalesce(p.search_vector @@ to_tsquery('simple', $1), false) AND %FILTER% ORDER BY p.popularity_score DESC, p.id`;

// $1 the tsquery (stems, 'simple' configuration), $2 SKUs already found, $3 how many.
// Order: every term in the name first; then text rank (name over category over description, ts_rank_cd)
// grown by popularity, damped by a log, so popularity breaks ties without lifting a description match
// over a name match.
const rankedMatches = (filter: string, broad: boolean) => `
  SELECT ${PRODUCT_COLUMNS}
    FROM (SELECT p.* FROM products p
           WHERE p.sku <> ALL($2::text[]) AND ${(broad ? BROAD : NARROW).replace('%FILTER%', filter)}
           LIMIT ${CANDIDATES}) p
    LEFT JOIN categories c ON c.id = p.category_id
   ORDER BY ts_filter(p.search_vector, '{a}') @@ to_tsquery('simple', $1) DESC,
            ts_rank_cd(${WEIGHTS}, p.search_vector, to_tsquery('simple', $1)) * (1 + ln(1 + p.popularity_score::float8) / 10) DESC,
            p.id
   LIMIT $3`;

// The last resort, for text no word search understood (glued words, model codes): names that look alike,
// by word similarity (pg_trgm's <% operator: 0.6 of the text's trigrams in some stretch of the name).
// It reads every name sharing trigrams with the text, so it runs only when the word searches found nothing.
const similarNames = (filter: string) => `
  SELECT ${PRODUCT_COLUMNS}
    FROM products p LEFT JOIN categories c ON c.id = p.category_id
   WHERE immutable_unaccent($1) <% p.search_name AND ${filter}
   ORDER BY word_similarity(immutable_unaccent($1), p.search_name) DESC, p.popularity_score DESC, p.id
   LIMIT $2`;

interface Step {
  match: MatchKind;
  query: string;
  /** About how many products match (from catalogue_lexemes). */
  estimate: number;
}

/**
 * Products for what a customer typed, best first. Give it the product words: the conversation's keyword
 * understanding already strips "quiero", "me regala", "por favor" (its entities.query); a filler word
 * left in is ignored when the catalogue has nothing like it.
 */
export async function searchProducts(db: Queryable, text: string, options: SearchOptions = {}): Promise<ProductHit[]> {
  const limit = Math.min(50, Math.max(1, Math.trunc(options.limit ?? 10)));
  const filter = options.includeUnavailable ? 'true' : ON_SALE;
  const words = searchWords(text);
  if (words.length === 0) return [];

  const { words: analysed, catalogueSize } = await analyseWords(db, words);
  // beyond this many matches, walking the popularity index reads fewer rows than the GIN index would
  const broadFrom = Math.sqrt(CANDIDATES * catalogueSize);
  const hits: ProductHit[] = [];
  for (const step of searchSteps(analysed, catalogueSize)) {
    const rows = await db.unsafe<Product[]>(rankedMatches(filter, step.estimate > broadFrom), [step.query, hits.map((h) => h.sku), limit - hits.length]);
    hits.push(...rows.map((r) => ({ ...r, match: step.match })));
    if (hits.length >= limit) return hits;
  }
  if (hits.length > 0) return hits;

  const rows = await db.unsafe<Product[]>(similarNames(filter), [words.join(' '), limit]);
  return rows.map((r) => ({ ...r, match: 'similar-name' as const }));
}

/**
 * About how many products hold all these terms, from how many hold each: as if the words were independent
 * (PostgreSQL's own assumption), and never more than the rarest term.
 */
function bothEstimate(counts: readonly number[], catalogueSize: number): number {
  const rarest = Math.min(...counts);
  if (catalogueSize <= 0) return rarest;
  return Math.min(rarest, counts.reduce((n, c) => (n * c) / catalogueSize, catalogueSize));
}

/** The word searches worth running, best first; a step that could match nothing is not run at all. */
export function searchSteps(analysed: readonly WordInfo[], catalogueSize = 0): Step[] {
  const content = analysed.filter((w): w is WordInfo & { lexeme: string } => w.lexeme !== null);
  const steps: Step[] = [];

  // As typed. The last word counts as unfinished only if no product holds it whole ("licua").
  const typed = content.map((w, i) => {
    const prefix = i === content.length - 1 && w.matches === 0 && w.word.length >= 3;
    return { term: { lexeme: w.lexeme, prefix }, matches: prefix ? w.prefixMatches : w.matches };
  });
  if (typed.length > 0 && typed.every((t) => t.matches > 0)) {
    steps.push({ match: 'exact', query: allTermsQuery(typed.map((t) => t.term)), estimate: bothEstimate(typed.map((t) => t.matches), catalogueSize) });
  }

  // What the catalogue understands: known words, corrected ones; a word like nothing it holds is left out.
  const understood: { term: Term; matches: number }[] = [];
  for (const [i, t] of typed.entries()) {
    if (t.matches > 0) understood.push(t);
    else if (content[i].nearest) understood.push({ term: { lexeme: content[i].nearest!, prefix: false }, matches: content[i].nearestMatches });
  }
  const changed = understood.length !== typed.length || understood.some((u, i) => u.term.lexeme !== typed[i].term.lexeme);
  if (understood.length > 0 && changed) {
    steps.push({ match: 'corrected', query: allTermsQuery(understood.map((u) => u.term)), estimate: bothEstimate(understood.map((u) => u.matches), catalogueSize) });
  }

  const mostWords = allButOneQuery(understood.map((u) => u.term));
  if (mostWords) {
    const estimate = understood.reduce((sum, _, skip) => sum + bothEstimate(understood.filter((__, i) => i !== skip).map((u) => u.matches), catalogueSize), 0);
    steps.push({ match: 'most-words', query: mostWords, estimate });
  }
  return steps;
}
