import { readFile } from 'node:fs/promises';
import type { Queryable } from '../db/client.ts';

// The business's own facts for the AI reply: an optional file (versioned with the deployment) and the
// business_knowledge table (edited at run time through the admin API). Nothing else: an assistant that
// knows no opening hours must say it doesn't know, not guess.

export interface KnowledgeEntry {
  topic: string;
  content: string;
  sortOrder: number;
  updatedAt: Date;
}

/** Keeps the prompt bounded: a model paid per token should not read a whole manual on every question. */
export const MAX_KNOWLEDGE_CHARS = 6000;

export async function listKnowledge(db: Queryable): Promise<KnowledgeEntry[]> {
  return db<KnowledgeEntry[]>`
    SELECT topic, content, sort_order AS "sortOrder", updated_at AS "updatedAt" FROM business_knowledge ORDER BY sort_order, topic`;
}

export async function putKnowledge(db: Queryable, entry: { topic: string; content: string; sortOrder?: number }): Promise<KnowledgeEntry> {
  const [row] = await db<KnowledgeEntry[]>`
    INSERT INTO business_knowledge (topic, content, sort_order) VALUES (${entry.topic}, ${entry.content}, ${entry.sortOrder ?? 100})
    ON CONFLICT (topic) DO UPDATE SET content = EXCLUDED.content, sort_order = EXCLUDED.sort_order, updated_at = now()
    RETURNING topic, content, sort_order AS "sortOrder", updated_at AS "updatedAt"`;
  return row;
}

export async function deleteKnowledge(db: Queryable, topic: string): Promise<boolean> {
  const rows = await db`DELETE FROM business_knowledge WHERE topic = ${topic} RETURNING 1`;
  return rows.length > 0;
}

export interface KnowledgeSource {
  /** The text the AI reply is given, at most `refreshMs` old; '' when nothing is written down. */
  text: () => Promise<string>;
}

/**
 * File first, then the table's rows as "topic: content" lines, cut at MAX_KNOWLEDGE_CHARS. Cached like the
 * run-time settings: the first read waits, later ones answer the cached text and refresh in the
 * background, and an unreadable table keeps the last known text.
 */
export function createKnowledgeSource(db: Queryable, opts: { file?: string; refreshMs?: number } = {}): KnowledgeSource {
  const refreshMs = opts.refreshMs ?? 30_000;
  const fileText = opts.file ? readFile(opts.file, 'utf8').then((t) => t.trim()) : Promise.resolve('');
  let cached: string | undefined;
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  const refresh = () =>
    (loading ??= (async () => {
      try {
        const rows = await listKnowledge(db);
        cached = [await fileText, ...rows.map((r) => `${r.topic}: ${r.content}`)].filter(Boolean).join('\n').slice(0, MAX_KNOWLEDGE_CHARS);
      } catch {
        cached ??= (await fileText.catch(() => '')).slice(0, MAX_KNOWLEDGE_CHARS);
      } finally {
        loadedAt = Date.now();
        loading = undefined;
      }
    })());
  return {
    text: async () => {
      if (cached === undefined) await refresh();
      else if (Date.now() - loadedAt >= refreshMs) void refresh();
      return cached ?? '';
    },
  };
}
