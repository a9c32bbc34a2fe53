import type { Queryable } from '../db/client.ts';

/** What the catalogue knows about one word of a search. */
export interface WordInfo {
  word: string;
  /** Its Spanish stem, accents folded; null for a stop word ("de", "para", "los"). */
  lexeme: string | null;
  /** Products holding the stem as a whole word. */
  matches: number;
  /** Products holding a word that starts with the stem (for a word still being typed: "licua"). */
  prefixMatches: number;
  /** For a stem no product holds: the catalogue stem that sounds the same, else the most similar one. */
  nearest: string | null;
  nearestMatches: number;
}

export interface Analysis {
  words: WordInfo[];
  /** Products in the catalogue (PostgreSQL's estimate; 0 before the first ANALYZE). */
  catalogueSize: number;
}

// Every word stemmed exactly as the search vectors are (to_tsvector 'spanish' on unaccented text) and
// counted against catalogue_lexemes, whole and as a prefix. The prefix count is a range scan: the
// C-collated unique index orders stems bytewise.
const COUNT_WORDS = `
  SELECT u.word, s.lexeme, coalesce(k.products, 0) AS matches,
         coalesce((SELECT sum(l.products) FROM catalogue_lexemes l
                    WHERE l.lexeme >= s.lexeme AND l.lexeme < s.lexeme || chr(1114111) AND starts_with(l.lexeme, s.lexeme)), 0)::integer AS "prefixMatches",
         (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'products'::regclass)::float8 AS "catalogueSize"
    FROM unnest($1::text[]) WITH ORDINALITY AS u(word, ord)
   CROSS JOIN LATERAL (SELECT (tsvector_to_array(to_tsvector('pg_catalog.spanish', immutable_unaccent(u.word))))[1] AS lexeme) s
    LEFT JOIN catalogue_lexemes k ON k.lexeme = s.lexeme
   ORDER BY u.ord`;

// For stems no product holds: the catalogue stem that sounds the same ("sapat" → "zapat", "camizet" →
// "camiset"), else the nearest by trigram similarity, at least 0.4 (stricter than pg_trgm's 0.3 default:
// "quier", from "quiero", must not become some brand), a common stem winning over a rare one that is only
// slightly closer.
const NEAREST = `
  SELECT u.lexeme AS typed, near.lexeme AS nearest, near.products
    FROM unnest($1::text[]) AS u(lexeme)
   CROSS JOIN LATERAL (
     SELECT l.lexeme, l.products FROM catalogue_lexemes l
      WHERE l.sound = spanish_sound(u.lexeme) OR (l.lexeme % u.lexeme AND similarity(l.lexeme, u.lexeme) >= 0.4)
      ORDER BY l.sound = spanish_sound(u.lexeme) DESC, similarity(l.lexeme, u.lexeme) * (1 + ln(1 + l.products) / 20) DESC, l.lexeme
      LIMIT 1) near`;

// Short stems and numbers are never corrected: "de" or "42" have no useful neighbours. Nor is a last word
// that starts some catalogue word: it is being typed ("licua").
type Counted = Omit<WordInfo, 'nearest' | 'nearestMatches'>;
const correctable = (w: Counted, last: boolean) =>
  w.lexeme !== null && w.matches === 0 && !(last && w.prefixMatches > 0) && w.lexeme.length >= 3 && !/\d/.test(w.lexeme);

/** Stem, count and (for stems the catalogue lacks) correct each word: one round trip, two with a typo. */
export async function analyseWords(db: Queryable, words: readonly string[]): Promise<Analysis> {
  const counted = await db.unsafe<(Counted & { catalogueSize: number })[]>(COUNT_WORDS, [words as string[]]);
  const unknown = [...new Set(counted.filter((w, i) => correctable(w, i === counted.length - 1)).map((w) => w.lexeme!))];
  const nearest = new Map<string, { nearest: string; products: number }>();
  if (unknown.length > 0) {
    for (const n of await db.unsafe<{ typed: string; nearest: string; products: number }[]>(NEAREST, [unknown])) nearest.set(n.typed, n);
  }
  return {
    words: counted.map(({ catalogueSize: _, ...w }) => {
      const near = w.lexeme === null ? undefined : nearest.get(w.lexeme);
      return { ...w, nearest: near?.nearest ?? null, nearestMatches: near?.products ?? 0 };
    }),
    catalogueSize: counted[0]?.catalogueSize ?? 0,
  };
}
