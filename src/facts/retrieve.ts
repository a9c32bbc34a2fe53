import type { Queryable } from '../db/client.ts';

// The two round trips of a fact question, in SQL over the same Spanish text search as the catalogue
// (to_tsvector 'spanish' over immutable_unaccent, so "envios", "envíos" and "enviamos" meet):
// 1. what the business's words know of each word of the question, and the nearest of them for a word
//    they don't hold ("garantya" → garantia, "orario" → horario), by sound or by trigrams like search;
// 2. every passage matching any part of the question, with which parts it matches: ranking is then a
//    plain function (./rank.ts) that can be read and tested without a database.
// The written passages live in knowledge_passages; facts made from the shop's and the listings'
// settings ("extra") are passed with the query and get their vectors on the fly: they are few.

/** A sentence (or line) the business wrote, or one made from its settings. */
export interface Passage {
  /** 'table' and 'file' are written by the business; 'shipping', 'payments', 'listing' come from settings. */
  source: string;
  /** The entry it belongs to: a business_knowledge topic, a listing's name. */
  topic: string;
  ordinal: number;
  content: string;
  sortOrder: number;
}

export interface WordReading {
  word: string;
  /** Its Spanish stem; null for a stop word ("de", "los"). */
  lexeme: string | null;
  /** Some passage (or the concept words given) holds a word with this stem. */
  known: boolean;
  /** For an unknown word: the most similar word the passages or concepts hold, if any is close. */
  nearest: string | null;
}

// The vocabulary: every word of the passages and of the extra texts (concept words, settings' facts).
// Built per question: a small business writes a few hundred sentences, which PostgreSQL splits in well
// under a millisecond; a cached table would be one more thing to keep in step.
const READ_WORDS = `
  WITH vocab AS (
    SELECT DISTINCT w.word, (tsvector_to_array(to_tsvector('pg_catalog.spanish', w.word)))[1] AS lexeme
      FROM (SELECT regexp_split_to_table(immutable_unaccent(lower(translate(topic, '-_', '  ') || ' ' || content)), '[^[:alnum:]]+') AS word FROM knowledge_passages
            UNION ALL
            SELECT regexp_split_to_table(immutable_unaccent(lower(t)), '[^[:alnum:]]+') FROM unnest($2::text[]) AS t) w
     WHERE length(w.word) >= 3 AND w.word !~ '[0-9]')
  SELECT u.word, s.lexeme,
         s.lexeme IS NOT NULL AND EXISTS (SELECT 1 FROM vocab v WHERE v.lexeme = s.lexeme) AS known,
         near.word AS nearest
    FROM unnest($1::text[]) WITH ORDINALITY AS u(word, ord)
   CROSS JOIN LATERAL (SELECT immutable_unaccent(lower(u.word)) AS folded) f
   CROSS JOIN LATERAL (SELECT (tsvector_to_array(to_tsvector('pg_catalog.spanish', f.folded)))[1] AS lexeme) s
    LEFT JOIN LATERAL (
      SELECT v.word FROM vocab v
       WHERE length(f.folded) >= 4 AND f.folded !~ '[0-9]' AND v.lexeme IS NOT NULL
         AND (spanish_sound(v.word) = spanish_sound(f.folded) OR similarity(v.word, f.folded) >= 0.45)
       ORDER BY spanish_sound(v.word) = spanish_sound(f.folded) DESC, similarity(v.word, f.folded) DESC, v.word
       LIMIT 1) near ON true
   ORDER BY u.ord`;

/** Stem each word and, for words the business's text doesn't hold, find the nearest one it does. */
export async function readWords(db: Queryable, words: readonly string[], extraTexts: readonly string[]): Promise<WordReading[]> {
  if (words.length === 0) return [];
  return db.unsafe<WordReading[]>(READ_WORDS, [words as string[], extraTexts as string[]]);
}

export interface PassageMatch extends Passage {
  /** The indexes (0-based) of the query parts this passage matches. */
  matched: number[];
  /** Those its entry's topic matches ("horario" for "¿a qué hora abren?"): the business filed it there. */
  inTopic: number[];
}

// $1: the question's parts, each the words it may be written as, space separated; each becomes an OR of
// phrase queries ("check-in" must be that compound, not any "in"). $2: the extra passages as JSON.
// The passages matching no part are left out by the GIN index (for the written ones).
const MATCH_PASSAGES = `
  WITH parts AS (
    SELECT p.ord - 1 AS idx,
           (SELECT string_agg('(' || q::text || ')', ' | ')
              FROM unnest(string_to_array(p.words, ' ')) AS w(word)
             CROSS JOIN LATERAL phraseto_tsquery('pg_catalog.spanish', immutable_unaccent(lower(w.word))) AS q
             WHERE numnode(q) > 0)::tsquery AS query
      FROM unnest($1::text[]) WITH ORDINALITY AS p(words, ord)),
  any_part AS (SELECT string_agg('(' || query::text || ')', ' | ')::tsquery AS query FROM parts WHERE query IS NOT NULL),
  passages AS (
    SELECT k.source, k.topic, k.ordinal, k.content, k.sort_order AS "sortOrder", k.search_vector
      FROM knowledge_passages k, any_part a WHERE k.search_vector @@ a.query
    UNION ALL
    SELECT e.source, e.topic, e.ordinal, e.content, e."sortOrder", fact_search_vector(e.topic, e.content)
      FROM jsonb_to_recordset($2::jsonb) AS e(source text, topic text, ordinal integer, content text, "sortOrder" integer))
  SELECT p.source, p.topic, p.ordinal, p.content, p."sortOrder",
         array(SELECT parts.idx FROM parts WHERE parts.query IS NOT NULL AND p.search_vector @@ parts.query ORDER BY parts.idx)::int[] AS matched,
         array(SELECT parts.idx FROM parts WHERE parts.query IS NOT NULL AND ts_filter(p.search_vector, '{a}') @@ parts.query ORDER BY parts.idx)::int[] AS "inTopic"
    FROM passages p`;

/** Every passage matching at least one part of the question, with the parts it matches. */
export async function matchPassages(db: Queryable, parts: readonly (readonly string[])[], extra: readonly Passage[]): Promise<PassageMatch[]> {
  const usable = parts.map((words) => words.filter((w) => /^[\p{L}\p{N}-]+$/u.test(w)).join(' '));
  if (!usable.some(Boolean)) return [];
  const rows = await db.unsafe<PassageMatch[]>(MATCH_PASSAGES, [usable, extra as never]);
  return rows.filter((r) => r.matched.length > 0);
}
