import type { Sql } from '../db/client.ts';
import { changeLabels } from '../crm/profiles.ts';

// Labels an operator changes, with who did it: the change itself is the guest profile's label set (a
// case-insensitive set), the record of it is a label_changes row, written in the same transaction.

export const MAX_LABEL = 64;

export async function changeChatLabels(sql: Sql, chatId: string, change: { add?: string[]; remove?: string[] }, operator: string): Promise<string[] | undefined> {
  return sql.begin(async (tx) => {
    const [before] = await tx<{ labels: string[] }[]>`SELECT labels FROM guest_profiles WHERE phone_number = ${chatId} FOR UPDATE`;
    if (!before) return undefined;
    const labels = (await changeLabels(tx, chatId, change))!;
    const had = new Set(before.labels.map((l) => l.toLowerCase()));
    const has = new Set(labels.map((l) => l.toLowerCase()));
    const added = labels.filter((l) => !had.has(l.toLowerCase()));
    const removed = before.labels.filter((l) => !has.has(l.toLowerCase()));
    if (added.length || removed.length) {
      await tx`INSERT INTO label_changes (chat_id, operator_name, added, removed) VALUES (${chatId}, ${operator}, ${added}, ${removed})`;
    }
    return labels;
  });
}
