import type { Queryable } from '../db/client.ts';
import { questionParts } from './question.ts';
import { rankEntries } from './rank.ts';
import { matchPassages } from './retrieve.ts';

// What an AI reply is given of the business's written facts: the entries about the question rather
// than all of them. A model paid per token reads a few hundred characters instead of the whole manual,
// and is not tempted by an unrelated fact. When nothing written matches ("¿y el sábado?" after a
// question about hours, said in words no entry holds) it gets everything, as before: the conversation
// may make it relevant, and the model is told to use only what is there.

const MAX_ENTRIES = 4;

/** "topic: content" lines of the entries relevant to the question; undefined when none is. */
export async function relevantKnowledge(db: Queryable, question: string): Promise<string | undefined> {
  const parts = await questionParts(db, question, []);
  if (!parts.some((p) => ['topic', 'detail', 'word'].includes(p.kind))) return undefined;
  const matches = await matchPassages(db, parts.map((p) => p.words), []);
  const entries = rankEntries(parts, matches, { priority: () => 0, lenient: true, maxEntries: MAX_ENTRIES });
  if (!entries.length) return undefined;
  const rows = await db<{ source: string; topic: string; content: string }[]>`
    SELECT source, topic, string_agg(content, ' ' ORDER BY ordinal) AS content FROM knowledge_passages
     WHERE (source, topic) IN (SELECT * FROM unnest(${entries.map((e) => e.source)}::text[], ${entries.map((e) => e.topic)}::text[]))
     GROUP BY source, topic`;
  const text = (e: { source: string; topic: string }) => rows.find((r) => r.source === e.source && r.topic === e.topic)?.content;
  return entries.map((e) => (e.source === 'file' ? text(e) : `${e.topic}: ${text(e)}`)).filter(Boolean).join('\n');
}

/** The knowledge for an AI reply to this question: the relevant entries, or all of it when none is. */
export async function knowledgeFor(db: Queryable, question: string, all: () => Promise<string>): Promise<string> {
  return (await relevantKnowledge(db, question).catch(() => undefined)) ?? all();
}
