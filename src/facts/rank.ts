import type { PassageMatch } from './retrieve.ts';

// Which entry answers the question, which of its sentences say it, and whether we are sure enough to
// say it at all. Pure: the passages and what each matched come from ./retrieve.ts.

/**
 * One part of the question. A concept ("horario") may be written in any of its words; a plain word only
 * as itself; filler ("puede", "hacen") helps a tie and proves nothing; an unknown word is one the
 * business never wrote nor anything close ("freidora", "Pasto"): it cannot match, and a question made
 * mostly of such words is not one the facts answer.
 */
export interface QuestionPart {
  kind: 'topic' | 'detail' | 'word' | 'exact' | 'filler' | 'unknown';
  words: string[];
}

// 'exact' is a concept's word as the customer wrote it ("nequi" of the concept "pago"): a passage saying
// that very word beats one only about paying, and a passage lacking it is not less sure for that.
const WEIGHT: Record<QuestionPart['kind'], number> = { topic: 2, detail: 1.5, word: 1, exact: 0.5, filler: 0.1, unknown: 1 };
const TOPIC_BONUS = 0.5;
/** Parts that add to a match but whose absence makes no answer less sure. */
const BONUS: ReadonlySet<QuestionPart['kind']> = new Set(['exact', 'filler']);

/** Sure enough to answer when a topic of the question is matched and this much of the question is… */
const MIN_COVERAGE_WITH_TOPIC = 0.5;
/** …or, without a named topic ("¿tienen pan sin gluten?"), this much. */
const MIN_COVERAGE = 0.75;

export interface RankedEntry {
  source: string;
  topic: string;
  /** The sentences that say it, in the business's order. */
  passages: PassageMatch[];
  score: number;
  /** Share of the question's weight (filler aside) this entry matches, 0–1. */
  coverage: number;
}

export interface RankOptions {
  /** Added to an entry's score by source: who wins between entries that match alike. */
  priority: (source: string) => number;
  /** At most this many entries in one answer (entries matching equally well). */
  maxEntries?: number;
  /**
   * Every entry matching some part, best first, not only the sure ones as good as the best: what an AI
   * reply is given to read, which it may use or not.
   */
  lenient?: boolean;
  /** Sources whose entries answer a topic only when filed under it (their topic names it), not by a word of their text. */
  filedOnly?: (source: string) => boolean;
}

const weightOf = (parts: readonly QuestionPart[], idx: readonly number[]) => idx.reduce((sum, i) => sum + WEIGHT[parts[i].kind], 0);

/** The entries that answer the question, best first; empty when none does confidently. */
export function rankEntries(parts: readonly QuestionPart[], matches: readonly PassageMatch[], opts: RankOptions): RankedEntry[] {
  const content = parts.map((p, i) => (BONUS.has(p.kind) ? -1 : i)).filter((i) => i >= 0);
  const total = weightOf(parts, content);
  if (total === 0) return [];
  const topics = new Set(parts.map((p, i) => (p.kind === 'topic' ? i : -1)).filter((i) => i >= 0));

  const groups = new Map<string, PassageMatch[]>();
  for (const m of matches) {
    const key = `${m.source}\u0000${m.topic}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const entries: (RankedEntry & { rank: number; sortOrder: number })[] = [];
  for (const passages of groups.values()) {
    const matched = [...new Set(passages.flatMap((p) => p.matched))];
    const covered = weightOf(parts, matched.filter((i) => !BONUS.has(parts[i].kind)));
    const coverage = covered / total;
    const { source, topic } = passages[0];
    // filed under the topic asked about: "48 horas de anticipación" (tortas) is not the opening hours
    const inTopic = new Set(passages.flatMap((p) => p.inTopic));
    // a settings' entry speaks only to its own topic: "listo en 24 horas" of a delivery is no opening hours
    const namesTopic = (opts.filedOnly?.(source) ? [...inTopic] : matched).some((i) => topics.has(i));
    // a question naming a topic ("garantía") is answered by an entry about it, not by one that merely
    // shares another of its words
    if (opts.lenient ? covered === 0 : topics.size > 0 ? !namesTopic || coverage < MIN_COVERAGE_WITH_TOPIC : coverage < MIN_COVERAGE) continue;
    const score = weightOf(parts, matched) + TOPIC_BONUS * [...inTopic].filter((i) => !BONUS.has(parts[i].kind)).length;
    const ordered = [...passages].sort((a, b) => a.ordinal - b.ordinal);
    entries.push({
      source, topic, score, coverage,
      passages: saying(parts, ordered),
      rank: score + opts.priority(source),
      sortOrder: Math.min(...passages.map((p) => p.sortOrder)),
    });
  }
  // what covers more of the question first; between equals, the topic it is filed under and who wrote it
  const covers = (e: { coverage: number }) => Math.round(e.coverage * 100);
  entries.sort((a, b) => covers(b) - covers(a) || b.rank - a.rank || opts.priority(b.source) - opts.priority(a.source) || a.sortOrder - b.sortOrder || a.topic.localeCompare(b.topic));
  if (!entries.length) return [];
  // entries as good as the best: "formas de pago y envíos" has two answers; ties of one source only,
  // so the business's own words are never shown beside a setting that says otherwise
  const best = entries[0];
  if (opts.lenient) return entries.slice(0, opts.maxEntries ?? 2).map(({ rank: _, sortOrder: __, ...e }) => e);
  return entries
    .filter((e) => covers(e) === covers(best) && e.rank >= best.rank - 1e-9 && opts.priority(e.source) === opts.priority(best.source))
    .slice(0, opts.maxEntries ?? 2)
    .map(({ rank: _, sortOrder: __, ...e }) => e);
}

/** The sentences of an entry that match the most of the question (every one of them when all tie). */
function saying(parts: readonly QuestionPart[], passages: PassageMatch[]): PassageMatch[] {
  const scores = passages.map((p) => weightOf(parts, p.matched));
  const top = Math.max(...scores);
  return passages.filter((_, i) => scores[i] >= top - 1e-9).slice(0, 3);
}
