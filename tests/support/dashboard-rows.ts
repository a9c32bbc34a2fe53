import type { Sql } from '../../src/db/client.ts';

// Rows the dashboard reads, written directly: the tests of the page and its JSON do not wait for the roll-up.

type MinuteColumns = Record<string, number | Record<string, number>>;

/** Write (or rewrite) the roll-up row of the minute `minutesAgo` before the current one; returns that minute, ISO. */
export async function insertMinute(sql: Sql, minutesAgo: number, columns: MinuteColumns): Promise<string> {
  const [{ minute }] = await sql<{ minute: Date }[]>`SELECT date_trunc('minute', now()) - make_interval(mins => ${minutesAgo}) AS minute`;
  const row: Record<string, unknown> = { minute };
  for (const [key, value] of Object.entries(columns)) row[key] = typeof value === 'object' ? sql.json(value) : value;
  await sql`DELETE FROM metric_minutes WHERE minute = ${minute}`;
  await sql`INSERT INTO metric_minutes ${sql(row as never)}`;
  return minute.toISOString();
}

/**
 * Wait out the last seconds of a minute: a test that writes "the last minute" and then reads it back
 * should not see the clock move a minute on in between.
 */
export async function awayFromMinuteEdge(sql: Sql, marginSeconds = 5): Promise<void> {
  const [{ s }] = await sql<{ s: number }[]>`SELECT extract(second FROM now())::float8 AS s`;
  if (s > 60 - marginSeconds) await new Promise((r) => setTimeout(r, (60 - s) * 1000 + 200));
}

export async function insertHandoff(sql: Sql, h: { chat_id: string; reason: 'requested' | 'not_understood'; customer_name: string | null; last_message: string; startedMinutesAgo: number; ended?: boolean }): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO handoffs (chat_id, reason, customer_name, last_message, started_at, resume_at, ended_at, ended_by)
    VALUES (${h.chat_id}, ${h.reason}, ${h.customer_name}, ${h.last_message}, now() - make_interval(mins => ${h.startedMinutesAgo}), now() + interval '1 hour',
            ${h.ended ? sql`now()` : null}, ${h.ended ? 'operator' : null})
    RETURNING id`;
  return row.id;
}

/** A reply the provider refused (status failed, never sent), `minutesAgo` minutes ago; returns its outbox id. */
export async function insertRefusedReply(sql: Sql, r: { chat_id: string; text: string; code: number; title: string; minutesAgo: number; provider?: string }): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO outbox (chat_id, seq, content, status, provider, error_code, error_title, failed_at, updated_at, created_at)
    VALUES (${r.chat_id}, 0, ${sql.json({ type: 'text', text: r.text })}, 'failed', ${r.provider ?? 'meta'}, ${r.code}, ${r.title},
            now() - make_interval(mins => ${r.minutesAgo}), now() - make_interval(mins => ${r.minutesAgo}), now() - make_interval(mins => ${r.minutesAgo}))
    RETURNING id`;
  return row.id;
}
