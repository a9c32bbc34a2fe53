import type { Queryable } from '../db/client.ts';
import { ON_SALE, PRODUCT_COLUMNS, type Product } from './product.ts';
import { analyseWords, type Analysis, type WordInfo } from './search-terms.ts';
import { allButOneQuery, allTermsQuery, searchWords, type Term } from './search-words.ts';

/**
 * How a hit was found, best first: every word as typed; the words the catalogue knows, misspelt ones
 * corrected ("sapatos" → zapatos) and unknown ones left out; or all of those but one. Searches by need
 * (search-catalogue.ts) add: it serves the need the customer named; it only matches some of the other words
 * ("un regalo para un niño que ama los gatos": a cat toy); it is in stock and like a product the customer
 * named that is sold out; or it is only among the shop's most popular, suggested because nothing serves the need.
 */
export type MatchKind = 'exact' | 'corrected' | 'most-words' | 'need' | 'related' | 'similar' | 'popular';

export interface ProductHit extends Product {
  match: MatchKind;
}

export interface SearchOptions {
  /** At most this many products (default 10, the rows of one WhatsApp list; 1–50). */
  limit?: number;
  /** Also products switched off or out of stock (for the shop's staff, not customers). */
  includeUnavailable?: boolean;
  /** Only products that also match this text-search query (search-words.ts' anyOfQuery): what serves a need. */
  alsoMatching?: string;
}

// Relevance is ranked among the most popular matches only: a broad word ("ropa") matches thousands of
// products, ranking them all costs tens of milliseconds, and a customer reads ten.
const CANDIDATES = 30;
const WEIGHTS = `'{0.1, 0.2, 0.4, 1.0}'`; // D, C (description), B (category), A (name)

// Three ways to find the candidates; the SQL of each leaves PostgreSQL one plan. $1 is the tsquery (stems,
// 'simple' configuration), $2 the SKUs already found, $3 how many are wanted, $4 a popularity floor.
// - narrow (up to some hundreds of matches): through the GIN index, then the most popular ("+ 0" hides
//   the popularity index);
// - popular (a thousand or so): only among products above a popularity floor that about one and a half
//   times the candidates should pass: PostgreSQL ANDs the GIN bitmap with a range of the popularity index
//   and reads ~45 rows instead of every match. PostgreSQL plans it afresh with each floor (its custom
//   plans cost less than a generic one: checked in pg_prepared_statements), so it sees how selective the
//   floor is. Should the popular products hold too few of the matches, the narrow way runs next;
// - broad (a large share of the shop): walk the popularity index and stop at the first matches
//   (coalesce() hides the GIN index).
// Which is which is decided from catalogue_lexemes' counts: left to itself the planner walks far too
// early (EXPLAIN ANALYZE: 32 ms instead of 3 for a word held by 1.7 % of 100,000 products).
type Strategy = 'narrow' | 'popular' | 'broad';
const CANDIDATES_WHERE: Record<Strategy, string> = {
  narrow: `p.search_vector @@ to_tsquery('simple', $1) AND %FILTER% ORDER BY p.popularity_score + 0 DESC, p.id`,
  popular: `p.search_vector @@ to_tsquery('simple', $1) AND p.popularity_score >= $4 AND %FILTER% ORDER BY p.popularity_score + 0 DESC, p.id`,
  broad: `coalesce(p.search_vector @@ to_tsquery('simple', $1), false) AND %FILTER% ORDER BY p.popularity_score DESC, p.id`,
};

// Order: every term in the name first; then text rank (name over category over description, ts_rank_cd)
// grown by popularity, damped by a log, so popularity breaks ties without lifting a description match
// over a name match.
const rankedMatches = (strategy: Strategy, filter: string) => `
  SELECT ${PRODUCT_COLUMNS}
    FROM (SELECT p.* FROM products p
           WHERE p.sku <> ALL($2::text[]) AND ${CANDIDATES_WHERE[strategy].replace('%FILTER%', filter)}
           LIMIT ${CANDIDATES}) p
    LEFT JOIN categories c ON c.id = p.category_id
   ORDER BY ts_filter(p.search_vector, '{a}') @@ to_tsquery('simple', $1) DESC,
            ts_rank_cd(${WEIGHTS}, p.search_vector, to_tsquery('simple', $1)) * (1 + ln(1 + p.popularity_score::float8) / 10) DESC,
            p.id
   LIMIT $3`;

interface Step {
  match: MatchKind;
  query: string;
  /** About how many products match (from catalogue_lexemes' counts). */
  estimate: number;
}

/**
 * Products for what a customer typed, best first. Give it the product words: the conversation's keyword
 * understanding already strips "quiero", "me regala", "por favor" (its entities.query); a filler word
 * left in is ignored when the catalogue has nothing like it.
 */
export async function searchProducts(db: Queryable, text: string, options: SearchOptions = {}): Promise<ProductHit[]> {
  const words = searchWords(text);
  if (words.length === 0) return [];
  const { words: analysed, catalogueSize, popularityQuantiles } = await analyseWords(db, words);
  let steps = searchSteps(analysed, catalogueSize);
  // every step narrowed to what also serves a need: the estimate stays the words' own, an upper bound
  if (options.alsoMatching) steps = steps.map((s) => ({ ...s, query: `(${s.query}) & (${options.alsoMatching})` }));
  return runSteps(db, steps, { catalogueSize, popularityQuantiles }, options);
}

/** A text-search query built from catalogue stems (search-words.ts), about how many products match it, and how its hits were found (default 'need'). */
export interface StemQuery {
  query: string;
  estimate: number;
  match?: MatchKind;
}

/**
 * Products matching text-search queries built from catalogue stems, the first query's best first, then the
 * next one's: what serves a need ("para el frío": abrigo | chaqueta | ruana …), those matching the other
 * words first.
 */
export async function searchMatching(db: Queryable, queries: readonly StemQuery[], catalogue: Omit<Analysis, 'words'>, options: SearchOptions = {}): Promise<ProductHit[]> {
  return runSteps(db, queries.map((q) => ({ ...q, match: q.match ?? 'need' })), catalogue, options);
}

async function runSteps(db: Queryable, steps: readonly Step[], catalogue: Omit<Analysis, 'words'>, options: SearchOptions): Promise<ProductHit[]> {
  const limit = Math.min(50, Math.max(1, Math.trunc(options.limit ?? 10)));
  const filter = options.includeUnavailable ? 'true' : ON_SALE;
  const { catalogueSize, popularityQuantiles } = catalogue;
  // Rows read for a query with m matches in a catalogue of n: narrow ~m heap rows; popular a popularity
  // range of ~1.5·CANDIDATES·n/m index entries (about a tenth of a heap row's cost each, measured) plus the
  // candidates; broad ~CANDIDATES·n/m rows. Each is cheapest in turn as m grows; these are the crossings.
  const popularFrom = Math.sqrt(0.15 * CANDIDATES * catalogueSize);
  const broadFrom = Math.sqrt(CANDIDATES * catalogueSize);
  const hits: ProductHit[] = [];
  const run = (strategy: Strategy, step: Step, floor?: number) =>
    db.unsafe<Product[]>(rankedMatches(strategy, filter), [step.query, hits.map((h) => h.sku), limit - hits.length, ...(floor === undefined ? [] : [floor])]);
  for (const step of steps) {
    const floor = options.includeUnavailable || step.estimate <= popularFrom ? undefined : popularityFloor(step.estimate, popularityQuantiles);
    let rows: Product[];
    if (step.estimate > broadFrom) rows = await run('broad', step);
    else if (floor === undefined) rows = await run('narrow', step);
    else if ((rows = await run('popular', step, floor)).length < limit - hits.length) rows = await run('narrow', step);
    hits.push(...rows.map((r) => ({ ...r, match: step.match })));
    if (hits.length >= limit) break;
  }
  return hits;
}

/**
 * The popularity above which about one and a half times the candidates should lie, if the matches are
 * spread like the catalogue; undefined when no floor would leave anything out.
 */
function popularityFloor(matches: number, quantiles: readonly number[] | null): number | undefined {
  if (!quantiles || quantiles.length !== 101) return undefined;
  const share = Math.min(1, (1.5 * CANDIDATES) / matches);
  const floor = quantiles[Math.floor((1 - share) * 100)];
  return floor > quantiles[0] ? floor : undefined;
}

/**
 * About how many products hold all these terms, from how many hold each: as if the words were independent
 * (PostgreSQL's own assumption), and never more than the rarest term. Words that go together ("freidora
 * de aire") match more than that, and are then read through the GIN index: right, a little slower.
 */
function estimateAll(counts: readonly number[], catalogueSize: number): number {
  const rarest = Math.min(...counts);
  if (catalogueSize <= 0) return rarest;
  return Math.min(rarest, counts.reduce((n, c) => (n * c) / catalogueSize, catalogueSize));
}

const allStep = (match: MatchKind, terms: readonly { term: Term; matches: number }[], catalogueSize: number): Step => ({
  match,
  query: allTermsQuery(terms.map((t) => t.term)),
  estimate: estimateAll(terms.map((t) => t.matches), catalogueSize),
});

/** The word searches worth running, best first; a step that could match nothing is not run at all. */
export function searchSteps(analysed: readonly WordInfo[], catalogueSize = 0): Step[] {
  const content = analysed.filter((w): w is WordInfo & { lexeme: string } => w.lexeme !== null);
  const steps: Step[] = [];

  // As typed. The last word counts as unfinished only if no product holds it whole ("licua").
  const typed = content.map((w, i) => {
    const prefix = i === content.length - 1 && w.matches === 0 && w.word.length >= 3;
    return { term: { lexeme: w.lexeme, prefix }, matches: prefix ? w.prefixMatches : w.matches, sure: true };
  });
  if (typed.length > 0 && typed.every((t) => t.matches > 0)) steps.push(allStep('exact', typed, catalogueSize));

  // What the catalogue understands: known words and corrected ones; a word like nothing it holds is left
  // out. A correction by sound is sure; one by spelling alone may have turned a real word into another
  // ("talla" into toalla), so if the search with it falls short, it runs again without it.
  const understood = typed.flatMap((t, i) => {
    const w = content[i];
    if (t.matches > 0) return [t];
    return w.nearest ? [{ term: { lexeme: w.nearest, prefix: false }, matches: w.nearestMatches, sure: w.nearestBySound }] : [];
  });
  const changed = understood.length !== typed.length || understood.some((u, i) => u.term.lexeme !== typed[i].term.lexeme);
  if (understood.length > 0 && changed) steps.push(allStep('corrected', understood, catalogueSize));
  const sure = understood.filter((u) => u.sure);
  if (sure.length > 0 && sure.length < understood.length) steps.push(allStep('corrected', sure, catalogueSize));

  const mostWords = allButOneQuery(understood.map((u) => u.term));
  if (mostWords) {
    const alternatives = understood.map((_, skip) => understood.filter((__, i) => i !== skip).map((u) => u.matches));
    steps.push({ match: 'most-words', query: mostWords, estimate: alternatives.reduce((sum, counts) => sum + estimateAll(counts, catalogueSize), 0) });
  }
  return steps;
}
