import type { Redis } from 'ioredis';
import type { Queryable, Sql } from '../db/client.ts';
import { sessionCacheRequests } from '../metrics/registry.ts';

/** The conversation's state for one customer: where in a flow they are, their cart, what was said. */
export interface Session {
  customerPhone: string;
  state: string;
  cart: Record<string, unknown>;
  context: Record<string, unknown>;
  /** Bumped on every save; a cached copy with an older version is stale. */
  version: number;
  expiresAt: Date;
  /** True when the session had expired (or never existed) and this one starts fresh. */
  fresh: boolean;
  /** Where load() found it (the cache hit rate on the dashboard); set by every load, meaningless in the cache itself. */
  loadedFrom?: SessionCacheResult;
}

export type SessionCacheResult = 'hit' | 'miss' | 'new' | 'bypass';

export interface SessionStoreOptions {
  sql: Sql;
  redis: Redis;
  prefix: string;
  /** Runtime switch `use_redis_sessions`: false means PostgreSQL only, read at every call. */
  useCache: () => Promise<boolean>;
  ttlSeconds: () => Promise<number>;
}

export class StaleSessionError extends Error {
  constructor(phone: string) {
    super(`session of ${phone} changed since it was read`);
    this.name = 'StaleSessionError';
  }
}

/** The Redis copy of a session (also deleted when a customer is erased). */
export const cacheKey = (prefix: string, phone: string) => `${prefix}:session:{${phone}}`;

/**
 * Sessions live in PostgreSQL (the record) and are cached in Redis (the seed's "Redis + PostgreSQL").
 * A save is an UPDATE guarded by the version that was read, inside the caller's transaction, so a stale
 * cached copy can never overwrite newer state: the save fails with StaleSessionError and the caller
 * reads again from PostgreSQL. The cache is written only after the transaction commits.
 */
export function createSessionStore(opts: SessionStoreOptions) {
  const { sql, redis, prefix } = opts;

  async function readDurable(db: Queryable, phone: string): Promise<Session | undefined> {
    const [row] = await db<{ state: string; cart: Record<string, unknown>; context: Record<string, unknown>; version: number; expiresAt: Date }[]>`
      SELECT session_state AS state, cart_data AS cart, context_data AS context, version, expires_at AS "expiresAt"
        FROM customer_sessions WHERE customer_phone = ${phone}`;
    return row && { customerPhone: phone, ...row, fresh: false };
  }

  async function readCache(phone: string): Promise<Session | undefined> {
    try {
      const raw = await redis.get(cacheKey(prefix, phone));
      if (!raw) return undefined;
      const s = JSON.parse(raw) as Session;
      return { ...s, expiresAt: new Date(s.expiresAt), fresh: false };
    } catch {
      return undefined; // Redis trouble: PostgreSQL answers instead
    }
  }

  async function writeCache(session: Session): Promise<void> {
    const ttlMs = session.expiresAt.getTime() - Date.now();
    if (ttlMs <= 0) return;
    await redis.set(cacheKey(prefix, session.customerPhone), JSON.stringify(session), 'PX', ttlMs).catch(() => {});
  }

  const startFresh = async (phone: string, previous?: Session): Promise<Session> => ({
    customerPhone: phone,
    state: 'idle',
    cart: previous?.cart ?? {}, // an expired conversation forgets where it was, not what was in the cart
    context: previous?.context.turns === undefined ? {} : { turns: previous.context.turns }, // nor how long we have known the customer
    version: previous?.version ?? 0,
    expiresAt: new Date(Date.now() + (await opts.ttlSeconds()) * 1000),
    fresh: true,
  });

  return {
    /** The customer's live session, or a fresh one if it expired. `db` lets a transaction read its own writes. */
    async load(phone: string, db: Queryable = sql, { bypassCache = false } = {}): Promise<Session> {
      const cacheOn = !bypassCache && (await opts.useCache());
      // both at once: the conversation's transaction sends this read in the same round trip as its lock and
      // its other reads, where reading PostgreSQL only after a cache miss cost a round trip of its own
      const [cached, durable] = await Promise.all([cacheOn ? readCache(phone) : undefined, readDurable(db, phone)]);
      const session = cached ?? durable;
      // a customer with no session anywhere is not a cache miss: there was nothing to cache
      const loadedFrom: SessionCacheResult = cached ? 'hit' : !cacheOn ? 'bypass' : session ? 'miss' : 'new';
      sessionCacheRequests.inc({ result: loadedFrom });
      if (!session) return { ...(await startFresh(phone)), loadedFrom };
      if (session.expiresAt.getTime() <= Date.now()) return { ...(await startFresh(phone, session)), loadedFrom };
      return { ...session, loadedFrom };
    },

    /**
     * A look at the session outside any conversation turn (cache, else PostgreSQL; expired or not): not
     * counted as a load, so the cache hit rate stays one per turn.
     */
    async peek(phone: string): Promise<Session | undefined> {
      return (await readCache(phone)) ?? (await readDurable(sql, phone));
    },

    /** Write the session in the caller's transaction; returns what to cache once it commits. */
    async save(db: Queryable, s: Session): Promise<Session> {
      const expiresAt = new Date(Date.now() + (await opts.ttlSeconds()) * 1000);
      const rows = await db<{ version: number }[]>`
        INSERT INTO customer_sessions (customer_phone, session_state, cart_data, context_data, version, expires_at)
        VALUES (${s.customerPhone}, ${s.state}, ${db.json(s.cart as never)}, ${db.json(s.context as never)}, 1, ${expiresAt})
        ON CONFLICT (customer_phone) DO UPDATE SET
          session_state = EXCLUDED.session_state, cart_data = EXCLUDED.cart_data, context_data = EXCLUDED.context_data,
          version = customer_sessions.version + 1, expires_at = EXCLUDED.expires_at, updated_at = now()
        WHERE customer_sessions.version = ${s.version}
        RETURNING version`;
      if (!rows.length) throw new StaleSessionError(s.customerPhone);
      return { ...s, version: rows[0].version, expiresAt, fresh: false };
    },

    /** After commit: refresh the cache (or drop it when caching is switched off). */
    async cache(s: Session): Promise<void> {
      if (await opts.useCache()) await writeCache(s);
      else await redis.del(cacheKey(prefix, s.customerPhone)).catch(() => {});
    },

    async forget(phone: string): Promise<void> {
      await redis.del(cacheKey(prefix, phone)).catch(() => {});
    },

    /** Seed 004's migrate-sessions: copy every live PostgreSQL session into the cache with its remaining TTL. */
    async warmCache(): Promise<{ migrated: number; failed: number }> {
      let migrated = 0;
      let failed = 0;
      const rows = await sql<{ phone: string }[]>`SELECT customer_phone AS phone FROM customer_sessions WHERE expires_at > now()`;
      for (const { phone } of rows) {
        const s = await readDurable(sql, phone);
        if (!s) continue;
        try {
          await redis.set(cacheKey(prefix, phone), JSON.stringify(s), 'PX', Math.max(1, s.expiresAt.getTime() - Date.now()));
          migrated++;
        } catch {
          failed++;
        }
      }
      return { migrated, failed };
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
