import { readFile } from 'node:fs/promises';
import type { Sql } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';

// BUSINESS_KNOWLEDGE_FILE made searchable like the table: each "Tema: texto" line (or paragraph) is an
// entry, its sentences passages of source 'file'. The file ships with the deployment, so the worker
// loads it once when it starts; every start replaces what the last one loaded.

export interface FileEntry {
  topic: string;
  content: string;
}

const slug = (t: string) => foldAccents(t).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64) || 'archivo';

/** "Horario de atención: lunes a sábado…" → topic "horario-de-atencion"; Markdown headings name the paragraphs under them. */
export function fileEntries(text: string): FileEntry[] {
  const entries: FileEntry[] = [];
  let heading: string | undefined;
  for (const paragraph of text.split(/\n\s*\n/)) {
    for (const raw of paragraph.split('\n')) {
      const line = raw.trim().replace(/^[-*•]\s+/, '');
      if (!line) continue;
      const h = /^#+\s*(.+)$/.exec(line);
      if (h) { heading = h[1]; continue; }
      const named = /^([^:]{2,40}):\s+(.+)$/.exec(line);
      if (named && !/\d/.test(named[1])) entries.push({ topic: slug(named[1]), content: named[2] });
      else if (heading) entries.push({ topic: slug(heading), content: line });
      else entries.push({ topic: `archivo-${entries.length + 1}`, content: line });
    }
  }
  // lines under one heading are one entry
  const merged = new Map<string, string>();
  for (const e of entries) merged.set(e.topic, merged.has(e.topic) ? `${merged.get(e.topic)}\n${e.content}` : e.content);
  return [...merged].map(([topic, content]) => ({ topic, content }));
}

/** Replace the file's passages with these entries' sentences (cut by the same SQL as the table's). */
export async function loadKnowledgeFile(sql: Sql, entries: readonly FileEntry[]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`DELETE FROM knowledge_passages WHERE source = 'file'`;
    for (const [i, e] of entries.entries()) {
      await tx`INSERT INTO knowledge_passages (source, topic, ordinal, content, sort_order)
               SELECT 'file', ${e.topic}, s.ordinal, s.sentence, ${i} FROM fact_sentences(${e.content}) s`;
    }
  });
}

export async function syncKnowledgeFile(sql: Sql, file: string | undefined): Promise<number> {
  const entries = file ? fileEntries(await readFile(file, 'utf8')) : [];
  await loadKnowledgeFile(sql, entries);
  return entries.length;
}
