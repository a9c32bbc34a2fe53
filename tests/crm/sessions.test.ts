import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSessionStore, StaleSessionError } from '../../src/crm/sessions.ts';
import { createRuntimeSettings, writeSetting } from '../../src/crm/system-config.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL, until } from '../support/test-runtime.ts';

let db: TestDatabase;
let redis: Redis;
const prefix = newQueuePrefix();
beforeAll(async () => { db = await createTestDatabase(); redis = new Redis(REDIS_URL); });
afterAll(async () => { redis?.disconnect(); await dropQueuePrefix(prefix); await db?.drop(); });

const store = (opts: { useCache?: () => Promise<boolean>; ttl?: number } = {}) =>
  createSessionStore({ sql: db.sql, redis, prefix, useCache: opts.useCache ?? (async () => true), ttlSeconds: async () => opts.ttl ?? 7200 });

async function saveCommitted(s: ReturnType<typeof store>, phone: string, change: (x: Awaited<ReturnType<typeof s.load>>) => object) {
  const current = await s.load(phone);
  const saved = await db.sql.begin((tx) => s.save(tx, { ...current, ...change(current) }));
  await s.cache(saved);
  return saved;
}

describe('sessions', () => {
  it('start fresh, persist in PostgreSQL, and are served from Redis after', async () => {
    const s = store();
    const first = await s.load('573200000001');
    expect(first).toMatchObject({ state: 'idle', fresh: true, version: 0 });
    const saved = await saveCommitted(s, '573200000001', () => ({ state: 'browsing', context: { step: 2 } }));
    expect(saved.version).toBe(1);
    const [row] = await db.sql`SELECT session_state, context_data, version FROM customer_sessions WHERE customer_phone = '573200000001'`;
    expect(row).toEqual({ session_state: 'browsing', context_data: { step: 2 }, version: 1 });
    expect(await redis.exists(`${prefix}:session:{573200000001}`)).toBe(1);
    expect(await s.load('573200000001')).toMatchObject({ state: 'browsing', context: { step: 2 }, version: 1, fresh: false });
  });

  it('lose nothing when Redis is flushed: PostgreSQL answers', async () => {
    const s = store();
    await saveCommitted(s, '573200000002', () => ({ state: 'checkout', cart: { items: [{ sku: 'A', qty: 2 }] } }));
    await dropQueuePrefix(prefix);
    expect(await s.load('573200000002')).toMatchObject({ state: 'checkout', cart: { items: [{ sku: 'A', qty: 2 }] }, version: 1 });
  });

  it('never let a stale cached copy overwrite newer state', async () => {
    const s = store();
    await saveCommitted(s, '573200000003', () => ({ state: 'one' }));
    const stale = await s.load('573200000003'); // version 1, cached
    // another writer commits, and its cache write is lost
    await db.sql.begin(async (tx) => s.save(tx, { ...stale, state: 'two' }));
    const cachedStale = await s.load('573200000003');
    expect(cachedStale.state).toBe('one');
    await expect(db.sql.begin((tx) => s.save(tx, { ...cachedStale, state: 'three' }))).rejects.toBeInstanceOf(StaleSessionError);
    const fromRecord = await s.load('573200000003', db.sql, { bypassCache: true });
    expect(fromRecord).toMatchObject({ state: 'two', version: 2 });
  });

  it('expire into a fresh session that keeps the cart but forgets the flow', async () => {
    const s = store({ ttl: 60 });
    await saveCommitted(s, '573200000004', () => ({ state: 'checkout', cart: { items: ['x'] }, context: { step: 3, turns: 7 } }));
    expect((await s.load('573200000004')).state).toBe('checkout');
    // a minute later by the clock the store reads (only Date is faked: sockets and timers run as ever);
    // the cached copy is still in Redis, so this is the store's own expiry rule, not Redis's TTL
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_001 });
    const expired = await s.load('573200000004').finally(() => vi.useRealTimers());
    expect(expired).toMatchObject({ state: 'idle', fresh: true, cart: { items: ['x'] } });
    expect(expired.context).toEqual({ turns: 7 });
  });

  it('switch to PostgreSQL only at run time with use_redis_sessions = false', async () => {
    const settings = createRuntimeSettings(db.sql, 50);
    const s = store({ useCache: () => settings.flag('use_redis_sessions') });
    await saveCommitted(s, '573200000005', () => ({ state: 'a' }));
    expect(await redis.exists(`${prefix}:session:{573200000005}`)).toBe(1);
    await writeSetting(db.sql, 'use_redis_sessions', 'false');
    // takes effect within the refresh interval, without a restart
    expect(await until(async () => !(await settings.flag('use_redis_sessions')), 2000)).toBe(true);
    await redis.set(`${prefix}:session:{573200000005}`, JSON.stringify({ customerPhone: '573200000005', state: 'poisoned', cart: {}, context: {}, version: 1, expiresAt: new Date(Date.now() + 60_000) }));
    expect((await s.load('573200000005')).state).toBe('a'); // the cache is not read
    await saveCommitted(s, '573200000005', () => ({ state: 'b' }));
    expect(await redis.exists(`${prefix}:session:{573200000005}`)).toBe(0); // nor written
    await writeSetting(db.sql, 'use_redis_sessions', 'true');
  });

  it('are copied into an empty cache by warmCache (migrate:sessions) with their remaining TTL', async () => {
    const s = store();
    await saveCommitted(s, '573200000006', () => ({ state: 'warm' }));
    await dropQueuePrefix(prefix);
    const { migrated } = await s.warmCache();
    expect(migrated).toBeGreaterThanOrEqual(1);
    const ttl = await redis.pttl(`${prefix}:session:{573200000006}`);
    expect(ttl).toBeGreaterThan(7_000_000);
    expect(ttl).toBeLessThanOrEqual(7_200_000);
  });
});
