import type { Sql } from '../../src/db/client.ts';

// The load the connection-loss tests put on the client while PostgreSQL drops its connections: each of
// the three ways the app holds a connection, each wrapped in a deadline so a hang is seen, not waited on.

export const DEADLINE_MS = 5_000;

export type Outcome = { kind: 'ok' } | { kind: 'error'; code: string } | { kind: 'hung'; what: string };

/** Resolves with how `work` ended; 'hung' when it had not settled by the deadline. */
export async function settle(what: string, work: () => Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ kind: 'hung', what }), DEADLINE_MS); });
  const done = work().then(
    (): Outcome => ({ kind: 'ok' }),
    (error: unknown): Outcome => ({ kind: 'error', code: String((error as { code?: unknown })?.code ?? (error as Error)?.message ?? error) }),
  );
  try {
    return await Promise.race([done, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// the three ways the app holds a connection: a pooled query, a transaction, a reserved connection
export const pooled = (sql: Sql, i: number) => () => sql`SELECT pg_sleep(${(i % 5) / 1000}), ${i}::int AS i`;
export const transaction = (sql: Sql, i: number) => () =>
  sql.begin(async (tx) => {
    await tx`SELECT ${i}::int AS i`;
    await tx`SELECT pg_sleep(0.005)`;
    return tx`SELECT ${i}::int + 1 AS j`;
  });
export const reserved = (sql: Sql, i: number) => async () => {
  const r = await sql.reserve();
  try {
    await r`SELECT ${i}::int AS i`;
    await r`SELECT pg_sleep(0.005)`;
    return await r`SELECT ${i}::int + 1 AS j`;
  } finally {
    r.release();
  }
};
export const kinds = [pooled, transaction, reserved] as const;

