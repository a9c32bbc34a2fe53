import type { Queryable } from '../db/client.ts';
import type { SettingName } from './setting-rules.ts';

export type SwitchName = 'use_ai_providers' | 'use_redis_sessions';

export interface RuntimeSettings {
  /** A value from system_config, at most `refreshMs` old. */
  get: (key: SettingName) => Promise<string | undefined>;
  flag: (key: SwitchName) => Promise<boolean>;
  number: (key: SettingName, fallback: number) => Promise<number>;
}

export async function readSetting(db: Queryable, key: string): Promise<string | undefined> {
  const [row] = await db<{ value: string }[]>`SELECT value FROM system_config WHERE key = ${key}`;
  return row?.value;
}

/** `by`: who changed it (an operator's name, ADMIN_TOKEN, or 'command line'). */
export async function writeSetting(db: Queryable, key: string, value: string, by?: string): Promise<void> {
  await db`INSERT INTO system_config (key, value, updated_by) VALUES (${key}, ${value}, ${by ?? null})
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`;
}

export async function listSettings(db: Queryable): Promise<{ key: string; value: string; description: string | null; updatedAt: Date; updatedBy: string | null }[]> {
  return db`SELECT key, value, description, updated_at AS "updatedAt", updated_by AS "updatedBy" FROM system_config ORDER BY key`;
}

/**
 * The seed's rollback levers (`use_ai_providers`, `use_redis_sessions`, …) read from PostgreSQL with a
 * short in-process cache, so `npm run config -- set …` or the admin API takes effect within seconds in
 * every process, without a redeploy. Only the very first read waits for the table (call `prime()` at
 * start-up); after that a stale value is answered at once and refreshed in the background, because a
 * caller may be inside a transaction holding a pooled connection, and waiting there for another
 * connection is how a pool deadlocks. If the table can't be read, the last known value stands.
 */
export function createRuntimeSettings(db: Queryable, refreshMs = 5000): RuntimeSettings & { prime: () => Promise<void> } {
  let cache: Map<string, string> | undefined;
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  const refresh = () =>
    (loading ??= (async () => {
      try {
        const rows = await db<{ key: string; value: string }[]>`SELECT key, value FROM system_config`;
        cache = new Map(rows.map((r) => [r.key, r.value]));
      } catch {
        cache ??= new Map(); // unreadable before ever read: defaults apply until it answers
      } finally {
        loadedAt = Date.now();
        loading = undefined;
      }
    })());
  const get = async (key: SettingName) => {
    if (!cache) await refresh();
    else if (Date.now() - loadedAt >= refreshMs) void refresh();
    return cache!.get(key);
  };
  return {
    prime: refresh,
    get,
    flag: async (key) => (await get(key)) !== 'false',
    number: async (key, fallback) => {
      const n = Number(await get(key));
      return Number.isFinite(n) && n > 0 ? n : fallback;
    },
  };
}
