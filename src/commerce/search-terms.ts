import type { Queryable } from '../db/client.ts';
import { MAX_SEARCH_WORDS } from './search-words.ts';

/** What the catalogue knows about one word of a search. */
export interface WordInfo {
  word: string;
  /** Its Spanish stem, accents folded; null for a stop word ("de", "para", "los"). */
  lexeme: string | null;
  /** Products holding the stem as a whole word. */
  matches: number;
  /** Products holding a word that starts with the stem (for a word still being typed: "licua"). */
  prefixMatches: number;
  /** Some product or category name holds a word of this stem: the catalogue calls products by it ("correa"), not only describes them ("ideal"). */
  named: boolean;
  /** For a word whose stem no product holds: the stem of the catalogue word most like it. */
  nearest: string | null;
  nearestMatches: number;
  /** The nearest word sounds the same (a sure correction), rather than being only spelt alike. */
  nearestBySound: boolean;
}

export interface Analysis {
  words: WordInfo[];
  /** Products in the catalogue (PostgreSQL's estimate; 0 before the first ANALYZE). */
  catalogueSize: number;
  /** Popularity of the products on sale at each percentile, 0th to 100th, as of the last refresh. */
  popularityQuantiles: number[] | null;
}

// The words travel as one space-separated text (they hold no spaces) rather than an array: the planner
// cannot see how many there are, so the plan made once for the prepared statement is reused instead of a
// new one being made for every search (planning cost more than running, measured).
// Every word stemmed exactly as the search vectors are (to_tsvector 'spanish' on unaccented text) and
// counted against catalogue_lexemes, whole and as a prefix. The prefix count is a range scan: the
// C-collated unique index orders stems bytewise. Whether a name holds the stem is read from catalogue_words
// by its lexeme index (migration 015).
// The catalogue's size is PostgreSQL's estimate, except for a table it believes small: autovacuum analyses a
// table only after 50 rows change, so a shop of 26 products may never have been analysed (-1) or have been
// when empty (0). Counting a table that small costs nothing; the CASE counts only then.
const COUNTED_BELOW = 1000;
const COUNT_WORDS = `
  SELECT u.word, s.lexeme, coalesce(k.products, 0) AS matches,
         coalesce((SELECT sum(l.products) FROM catalogue_lexemes l
                    WHERE l.lexeme >= s.lexeme AND l.lexeme < s.lexeme || chr(1114111) AND starts_with(l.lexeme, s.lexeme)), 0)::integer AS "prefixMatches",
         EXISTS (SELECT 1 FROM catalogue_words w WHERE w.lexeme = s.lexeme) AS named,
         (SELECT CASE WHEN reltuples >= ${COUNTED_BELOW} THEN reltuples ELSE (SELECT count(*) FROM products) END
            FROM pg_class WHERE oid = 'products'::regclass)::float8 AS "catalogueSize",
         (SELECT popularity_quantiles::float8[] FROM catalogue_refresh) AS "popularityQuantiles"
    FROM string_to_table($1, ' ') WITH ORDINALITY AS u(word, ord)
   CROSS JOIN LATERAL (SELECT (tsvector_to_array(to_tsvector('pg_catalog.spanish', immutable_unaccent(u.word))))[1] AS lexeme) s
    LEFT JOIN catalogue_lexemes k ON k.lexeme = s.lexeme
   ORDER BY u.ord`;

// For words whose stem catalogue_lexemes does not hold: whether a product holds it all the same (the
// views are only as fresh as their last refresh, and the GIN index answers this for next to nothing);
// else the catalogue word that sounds the same, in the plural too ("sapatos" → zapatos, "camizetas" →
// camiseta), else the
// most similar by trigrams (similarity ≥ 0.4, stricter than pg_trgm's 0.3 default, which makes "talla"
// a "toalla": "licuadra" → licuadora, "cmisa" → camisa), a common word winning over a rare one only
// slightly closer. Its stem is what the search then uses. The LIMIT is there for the planner: it takes a
// set-returning function for 1,000 rows, which put this query's cost past jit_above_cost, and JIT
// compilation cost 45 ms of a 50 ms query (EXPLAIN ANALYZE on 100,000 products); a search has at most
// MAX_SEARCH_WORDS words.
const NEAREST = `
  SELECT u.word AS typed, near.lexeme AS nearest, near.products, near.by_sound AS "bySound",
         EXISTS (SELECT 1 FROM products p WHERE p.search_vector @@ to_tsquery('simple', quote_literal(s.lexeme))) AS held
    FROM (SELECT * FROM string_to_table($1, ' ') LIMIT ${MAX_SEARCH_WORDS}) AS u(word)
   CROSS JOIN LATERAL (SELECT immutable_unaccent(u.word) AS folded) f
   CROSS JOIN LATERAL (SELECT spanish_sound(f.folded) AS sound, spanish_sound(regexp_replace(f.folded, 's$', '')) AS singular_sound) h
   CROSS JOIN LATERAL (SELECT (tsvector_to_array(to_tsvector('pg_catalog.spanish', f.folded)))[1] AS lexeme) s
    LEFT JOIN LATERAL (
     SELECT w.lexeme, l.products, w.sound IN (h.sound, h.singular_sound) AS by_sound FROM catalogue_words w JOIN catalogue_lexemes l ON l.lexeme = w.lexeme
      WHERE w.sound IN (h.sound, h.singular_sound) OR (w.word % f.folded AND similarity(w.word, f.folded) >= 0.4)
      ORDER BY w.sound IN (h.sound, h.singular_sound) DESC, similarity(w.word, f.folded) * (1 + ln(1 + w.products) / 20) DESC, w.word
      LIMIT 1) near ON true`;

// Short words and numbers are never corrected: "de" or "42" have no useful neighbours. Nor is a last word
// that starts some catalogue word: it is being typed ("licua").
export type Counted = Omit<WordInfo, 'nearest' | 'nearestMatches' | 'nearestBySound'>;
const correctable = (w: Counted, last: boolean) =>
  w.lexeme !== null && w.matches === 0 && !(last && w.prefixMatches > 0) && w.word.length >= 4 && !/\d/.test(w.word);

type Near = { nearest: string | null; products: number; bySound: boolean; held: boolean };
type Catalogue = Omit<Analysis, 'words'>;

// What the catalogue knows about a word changes only when the views are refreshed (after an import, and
// every few minutes by the maintenance queue), and customers search the same words over and over: each
// process keeps the answers for a minute, per database pool. A refresh in this process forgets them at
// once; one in another process is seen within the minute. Saves the first round trip of most searches.
const KNOWN_FOR_MS = 60_000;
const MAX_WORDS = 20_000;
interface Known {
  at: number;
  catalogue?: Catalogue;
  counts: Map<string, Counted>;
  nearest: Map<string, Near>;
}
const knownBy = new WeakMap<object, Known>();

function known(db: Queryable): Known {
  let k = knownBy.get(db);
  if (!k || Date.now() - k.at > KNOWN_FOR_MS || k.counts.size + k.nearest.size > MAX_WORDS) {
    k = { at: Date.now(), counts: new Map(), nearest: new Map() };
    knownBy.set(db, k);
  }
  return k;
}

/** Drop what this process remembers of the catalogue's words (called after a refresh). */
export function forgetCatalogueWords(db: Queryable): void {
  knownBy.delete(db);
}

/** What the catalogue holds of each word, stemmed and counted, never corrected (the words of a need's lexicon): one round trip, often none. */
export async function countWords(db: Queryable, words: readonly string[]): Promise<{ words: Counted[]; catalogue: Catalogue }> {
  const k = known(db);
  const missing = [...new Set(words.filter((w) => !k.counts.has(w)))];
  if (!k.catalogue || missing.length > 0) {
    const rows = await db.unsafe<(Counted & Catalogue)[]>(COUNT_WORDS, [(missing.length ? missing : words.slice(0, 1)).join(' ')]);
    for (const { catalogueSize, popularityQuantiles, ...w } of rows) {
      k.catalogue = { catalogueSize, popularityQuantiles };
      k.counts.set(w.word, w);
    }
  }
  return { words: words.map((w) => k.counts.get(w)!), catalogue: k.catalogue ?? { catalogueSize: 0, popularityQuantiles: null } };
}

/** Stem, count and (for stems the catalogue lacks) correct each word: at most two round trips, often none. */
export async function analyseWords(db: Queryable, words: readonly string[]): Promise<Analysis> {
  const { words: counted } = await countWords(db, words);
  const k = known(db);
  const unknown = [...new Set(counted.filter((w, i) => correctable(w, i === counted.length - 1) && !k.nearest.has(w.word)).map((w) => w.word))];
  if (unknown.length > 0) {
    for (const { typed, ...near } of await db.unsafe<(Near & { typed: string })[]>(NEAREST, [unknown.join(' ')])) k.nearest.set(typed, near);
  }
  return {
    words: counted.map((w, i) => {
      const near = correctable(w, i === counted.length - 1) ? k.nearest.get(w.word) : undefined;
      // held by some product since the last refresh: a known word, count unknown but at least one
      if (near?.held) return { ...w, matches: 1, nearest: null, nearestMatches: 0, nearestBySound: false };
      return { ...w, nearest: near?.nearest ?? null, nearestMatches: near?.products ?? 0, nearestBySound: near?.bySound ?? false };
    }),
    catalogueSize: k.catalogue?.catalogueSize ?? 0,
    popularityQuantiles: k.catalogue?.popularityQuantiles ?? null,
  };
}
