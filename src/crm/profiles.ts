import type { Queryable } from '../db/client.ts';

export interface GuestProfile {
  phoneNumber: string;
  chatId: string;
  threadId: string | null;
  userName: string | null;
  labels: string[];
  profileData: Record<string, unknown>;
  firstInteraction: Date;
  lastInteraction: Date;
  totalInteractions: number;
}

const COLUMNS = `phone_number AS "phoneNumber", chat_id AS "chatId", thread_id AS "threadId", user_name AS "userName", labels,
  profile_data AS "profileData", first_interaction AS "firstInteraction", last_interaction AS "lastInteraction",
  total_interactions AS "totalInteractions"`;

/**
 * Every inbound message keeps the guest's profile current: created on the first message (with a thread id
 * for AI context), name from the provider's contact profile, interaction count and time. A guest who was
 * archived comes back with the labels and history counters the archive kept.
 *
 * Returned as a query that can be awaited alone or embedded in a larger statement (the ingest stage
 * runs it inside one statement with the message log), with `onlyIf` a SQL condition guarding it.
 */
export function guestProfileUpsert(db: Queryable, g: { phone: string; chatId: string; name: string | null; at: Date }, onlyIf = db`true`) {
  return db`
    INSERT INTO guest_profiles (phone_number, chat_id, thread_id, user_name, labels, profile_data, first_interaction, last_interaction, total_interactions)
    SELECT ${g.phone}, ${g.chatId}, gen_random_uuid()::text, coalesce(${g.name}::text, h.user_name), coalesce(h.labels, '[]'::jsonb),
           coalesce(h.profile_data, '{}'::jsonb) || CASE WHEN h.booking_status IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('booking_status', h.booking_status) END,
           least(coalesce(h.first_interaction, ${g.at}), ${g.at}), ${g.at}, coalesce(h.total_interactions, 0) + 1
      FROM (SELECT 1) one LEFT JOIN historical_clients h ON h.phone_number = ${g.phone}
     WHERE ${onlyIf}
    ON CONFLICT (phone_number) DO UPDATE SET
      chat_id = EXCLUDED.chat_id,
      user_name = coalesce(${g.name}::text, guest_profiles.user_name),
      last_interaction = greatest(guest_profiles.last_interaction, EXCLUDED.last_interaction),
      total_interactions = guest_profiles.total_interactions + 1,
      updated_at = now()`;
}

export async function touchGuestProfile(db: Queryable, g: { phone: string; chatId: string; name: string | null; at: Date }): Promise<void> {
  await guestProfileUpsert(db, g);
}

export async function getGuestProfile(db: Queryable, phone: string): Promise<GuestProfile | undefined> {
  const [row] = await db.unsafe<GuestProfile[]>(`SELECT ${COLUMNS} FROM guest_profiles WHERE phone_number = $1`, [phone]);
  return row;
}

/** Labels are a set: adding one twice keeps one, in the first spelling; the GIN index serves "who has label X". */
export async function changeLabels(db: Queryable, phone: string, change: { add?: string[]; remove?: string[] }): Promise<string[] | undefined> {
  const add = [...new Set((change.add ?? []).map((l) => l.trim()).filter(Boolean))];
  const remove = (change.remove ?? []).map((l) => l.trim().toLowerCase());
  const [row] = await db<{ labels: string[] }[]>`
    UPDATE guest_profiles SET
      labels = (
        SELECT coalesce(jsonb_agg(label ORDER BY first_seen), '[]'::jsonb) FROM (
          SELECT DISTINCT ON (lower(label)) label, first_seen FROM (
            SELECT value AS label, ordinality AS first_seen FROM jsonb_array_elements_text(labels) WITH ORDINALITY
            UNION ALL
            SELECT a, 1000000 + o FROM unnest(${add}::text[]) WITH ORDINALITY AS t(a, o)
          ) merged ORDER BY lower(label), first_seen
        ) unique_labels WHERE lower(label) <> ALL(${remove}::text[])
      ),
      updated_at = now()
    WHERE phone_number = ${phone}
    RETURNING labels`;
  return row?.labels;
}

/** Labels are a case-insensitive set: `vip` finds a guest labelled `VIP` (through migration 013's index). */
export async function guestsWithLabel(db: Queryable, label: string, limit = 100): Promise<GuestProfile[]> {
  return db.unsafe<GuestProfile[]>(`SELECT ${COLUMNS} FROM guest_profiles WHERE lower_labels(labels) @> jsonb_build_array(lower(trim($1::text))) ORDER BY last_interaction DESC LIMIT $2`, [label, limit]);
}

/** Merge a few keys into profile_data (e.g. booking_status), keeping everything else. */
export async function mergeProfileData(db: Queryable, phone: string, data: Record<string, unknown>): Promise<void> {
  await db`UPDATE guest_profiles SET profile_data = profile_data || ${db.json(data as never)}, updated_at = now() WHERE phone_number = ${phone}`;
}
