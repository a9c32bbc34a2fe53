// import:legacy: the old bot's threads and guest profiles, merged by phone and upserted into guest_profiles.
// Idempotent: every merge rule is monotone (labels union, earliest first, latest last, legacy keys replaced
// by the same values), and rows the file would not change are not written at all, so a second run is a no-op.
import type { Queryable } from '../db/client.ts';
import { parseProfiles, parseThreads, uniqueLabels, type LegacyProfile, type LegacyThread, type Rejection, type WhapiLabel } from './legacy-records.ts';

/** One file's content as JSON.parse returned it, and the name rejections are reported under. */
export interface LegacySource {
  file: string;
  data: unknown;
}

export interface ImportOptions {
  /** Guests per INSERT … ON CONFLICT statement (default 1,000); each batch commits on its own. */
  batchSize?: number;
  /** Called after each batch with the guests written so far and the total, e.g. to draw a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  /** Records in the files, good and bad. */
  read: number;
  /** Distinct phones once both files are merged. */
  guests: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Rejection[];
}

/** What the old bot knew that has no column of its own, kept in profile_data.legacy. */
export interface LegacyKeys {
  profileId?: string;
  threadId?: string;
  chatId?: string;
  /** Both names are kept so that user_name can be derived the same way whichever file is imported first. */
  profileName?: string;
  threadName?: string;
  whapiLabels?: WhapiLabel[];
}

/** A guest_profiles row as the legacy files alone describe it. */
export interface LegacyGuestRow {
  phone_number: string;
  chat_id: string;
  thread_id: string | null;
  user_name: string | null;
  labels: string[];
  profile_data: { legacy: LegacyKeys };
  first_interaction: string;
  last_interaction: string;
}

/**
 * Parse both sources (a file that is not an array or object throws LegacyFormatError before anything is
 * written), merge them by phone and upsert in batches. Batches commit one by one so a long import does not
 * hold locks that live traffic waits on; after a failure, running it again finishes the job.
 */
export async function importLegacy(db: Queryable, sources: { threads?: LegacySource; profiles?: LegacySource }, options: ImportOptions = {}): Promise<ImportReport> {
  const threads = sources.threads ? parseThreads(sources.threads.data, sources.threads.file) : undefined;
  const profiles = sources.profiles ? parseProfiles(sources.profiles.data, sources.profiles.file) : undefined;
  const rows = mergeLegacy(threads?.records ?? [], profiles?.records ?? []);
  const rejections = [...(threads?.rejections ?? []), ...(profiles?.rejections ?? [])];
  const report: ImportReport = {
    read: (threads?.read ?? 0) + (profiles?.read ?? 0),
    guests: rows.length,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: rejections.length,
    rejections,
  };
  const size = Math.max(1, options.batchSize ?? 1000);
  options.onProgress?.(0, rows.length);
  for (let start = 0; start < rows.length; start += size) {
    const batch = rows.slice(start, start + size);
    const written = await upsertBatch(db, batch);
    const inserted = written.filter((w) => w.inserted).length;
    report.imported += inserted;
    report.updated += written.length - inserted;
    report.unchanged += batch.length - written.length;
    options.onProgress?.(start + batch.length, rows.length);
  }
  return report;
}

/** One row per phone: name from the profile (else the thread), chat and thread ids from the thread. */
export function mergeLegacy(threads: LegacyThread[], profiles: LegacyProfile[]): LegacyGuestRow[] {
  const byPhone = new Map<string, { thread?: LegacyThread; profile?: LegacyProfile }>();
  for (const t of threads) {
    const g = byPhone.get(t.phone) ?? {};
    g.thread = g.thread ? combine(g.thread, t) : t;
    byPhone.set(t.phone, g);
  }
  for (const p of profiles) {
    const g = byPhone.get(p.phone) ?? {};
    g.profile = g.profile ? combine(g.profile, p) : p;
    byPhone.set(p.phone, g);
  }
  return [...byPhone].map(([phone, { thread, profile }]) => {
    const dates = [thread?.first, thread?.last, profile?.first, profile?.last].filter((d): d is Date => d !== undefined).map((d) => d.getTime());
    const legacy: LegacyKeys = {};
    if (profile?.id) legacy.profileId = profile.id;
    if (thread?.threadId) legacy.threadId = thread.threadId;
    if (thread?.chatId) legacy.chatId = thread.chatId;
    if (profile?.name) legacy.profileName = profile.name;
    if (thread?.name) legacy.threadName = thread.name;
    if (profile?.whapiLabels.length) legacy.whapiLabels = profile.whapiLabels;
    return {
      phone_number: phone,
      chat_id: thread?.chatId ?? `${phone}@s.whatsapp.net`,
      thread_id: thread?.threadId ?? null,
      user_name: profile?.name ?? thread?.name ?? null,
      labels: uniqueLabels([...(profile?.labels ?? []), ...(thread?.labels ?? [])]),
      profile_data: { legacy },
      first_interaction: new Date(Math.min(...dates)).toISOString(),
      last_interaction: new Date(Math.max(...dates)).toISOString(),
    };
  });
}

/**
 * Two records of one file that normalise to the same phone ("+57 300…" and "57300…"): the more recent one's
 * fields win where it has them, labels are the union, the span covers both.
 */
function combine<T extends LegacyThread | LegacyProfile>(a: T, b: T): T {
  const [older, newer] = b.last >= a.last ? [a, b] : [b, a];
  const merged = { ...older } as Record<string, unknown>;
  for (const [k, v] of Object.entries(newer)) if (v !== null) merged[k] = v;
  merged.labels = uniqueLabels([...older.labels, ...newer.labels]);
  if ('whapiLabels' in older && 'whapiLabels' in newer) {
    const seen = new Set(newer.whapiLabels.map((l) => l.name.toLowerCase()));
    merged.whapiLabels = [...newer.whapiLabels, ...older.whapiLabels.filter((l) => !seen.has(l.name.toLowerCase()))];
  }
  merged.first = a.first <= b.first ? a.first : b.first;
  merged.last = newer.last;
  return merged as T;
}

// How an existing row (g) takes a legacy row (EXCLUDED). Written once, used both to update and to decide
// whether there is anything to update, so unchanged rows are neither rewritten nor counted.
// - chat_id: the live service owns it (Meta chats are bare digits, Whapi's are JIDs); the legacy value is
//   kept in profile_data.legacy.chatId.
// - thread_id, user_name: whichever side saw the guest last wins, the other fills gaps. The legacy name is
//   the profile's, else the thread's, taken from the merged legacy keys, and a name an earlier import set is
//   derived again: importing the files one at a time, in either order, ends as importing them together.
// - labels: the row's labels first, then the new ones; one per case-insensitive spelling, first spelling kept.
// - profile_data: everything kept; the legacy key's fields replaced by this import's.
// - first/last interaction: earliest and latest known, so a newer live last_interaction never moves back.
const LEGACY_NEWER = 'EXCLUDED.last_interaction >= g.last_interaction';
const LEGACY_KEYS = `(CASE WHEN jsonb_typeof(g.profile_data->'legacy') = 'object' THEN g.profile_data->'legacy' ELSE '{}'::jsonb END
      || (EXCLUDED.profile_data->'legacy'))`;
const nameIn = (legacy: string) => `coalesce(${legacy}->>'profileName', ${legacy}->>'threadName')`;
const LEGACY_NAME = nameIn(LEGACY_KEYS);
// The row's name is still the one an earlier import gave it (nobody renamed the guest since): derive it again.
const NAME_FROM_IMPORT = `g.user_name IS NOT DISTINCT FROM ${nameIn("(g.profile_data->'legacy')")}`;
const MERGED: Record<string, string> = {
  thread_id: `CASE WHEN ${LEGACY_NEWER} THEN coalesce(EXCLUDED.thread_id, g.thread_id) ELSE coalesce(g.thread_id, EXCLUDED.thread_id) END`,
  user_name: `CASE WHEN ${LEGACY_NEWER} OR ${NAME_FROM_IMPORT} THEN coalesce(${LEGACY_NAME}, g.user_name) ELSE coalesce(g.user_name, ${LEGACY_NAME}) END`,
  labels: `(SELECT coalesce(jsonb_agg(label ORDER BY pos), '[]'::jsonb) FROM (
      SELECT DISTINCT ON (lower(label)) label, pos FROM (
        SELECT value AS label, ordinality AS pos FROM jsonb_array_elements_text(g.labels) WITH ORDINALITY
        UNION ALL
        SELECT value, 1000000 + ordinality FROM jsonb_array_elements_text(EXCLUDED.labels) WITH ORDINALITY
      ) both_sides ORDER BY lower(label), pos
    ) unique_labels)`,
  profile_data: `g.profile_data || jsonb_build_object('legacy', ${LEGACY_KEYS})`,
  first_interaction: 'least(g.first_interaction, EXCLUDED.first_interaction)',
  last_interaction: 'greatest(g.last_interaction, EXCLUDED.last_interaction)',
};
const COLUMNS = Object.keys(MERGED);

// The batch travels as one jsonb parameter: one round trip per batch, and no limit on bind parameters to hit.
const UPSERT = `
  INSERT INTO guest_profiles AS g (phone_number, chat_id, thread_id, user_name, labels, profile_data, first_interaction, last_interaction)
  SELECT phone_number, chat_id, thread_id, user_name, labels, profile_data, first_interaction, last_interaction
    FROM jsonb_to_recordset($1::jsonb) AS r(phone_number text, chat_id text, thread_id text, user_name text, labels jsonb,
                                            profile_data jsonb, first_interaction timestamptz, last_interaction timestamptz)
  ON CONFLICT (phone_number) DO UPDATE SET
    ${COLUMNS.map((c) => `${c} = ${MERGED[c]}`).join(',\n    ')},
    updated_at = now()
  WHERE (${COLUMNS.map((c) => `g.${c}`).join(', ')}) IS DISTINCT FROM (${COLUMNS.map((c) => MERGED[c]).join(', ')})
  RETURNING (xmax = 0) AS inserted`;

/** Rows written: inserted ones flagged; rows already up to date are not returned. */
async function upsertBatch(db: Queryable, rows: LegacyGuestRow[]): Promise<{ inserted: boolean }[]> {
  return db.unsafe<{ inserted: boolean }[]>(UPSERT, [db.json(rows as never)]);
}
