import { spawn, type ChildProcess } from 'node:child_process';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { rateLimitKeys } from '../../src/crm/rate-limit-script.ts';
import { createRateLimiter, DEFAULT_RATE_LIMITS, type CustomerTier, type RateDecision, type RateLimitConfig, type RateLimiterOptions, type RateWindow } from '../../src/crm/rate-limits.ts';
import { databaseUrl } from '../support/pg-admin.ts';
import { freePort } from '../support/spawn-service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, REDIS_URL, until } from '../support/test-runtime.ts';

// Property 8: the sliding-window limits per tier are exact under concurrency, and the customer is told
// once per window. Real Redis and PostgreSQL; windows are shrunk instead of waiting real minutes.

let db: TestDatabase;
let redis: Redis;
const prefix = newQueuePrefix();
let seq = 0;
const newPhone = () => `57300${String(++seq).padStart(7, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));
const limiter = (o: Partial<RateLimiterOptions> = {}) => createRateLimiter({ redis, prefix, sql: db.sql, ...o });
const allowedOf = (ds: RateDecision[]) => ds.filter((d) => d.allowed).length;
const denialsOf = (ds: RateDecision[]) => ds.filter((d): d is Extract<RateDecision, { allowed: false }> => !d.allowed);

async function setLimits(sql: TestDatabase['sql'], tier: CustomerTier, l: RateLimitConfig) {
  await sql`UPDATE rate_limit_config SET max_per_minute = ${l.perMinute}, max_per_hour = ${l.perHour},
    max_per_day = ${l.perDay}, burst_size = ${l.burst}, updated_at = now() WHERE customer_tier = ${tier}`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await dropQueuePrefix(prefix);
  redis?.disconnect();
  await db?.drop();
});
beforeEach(async () => {
  for (const tier of ['new', 'regular', 'vip'] as const) await setLimits(db.sql, tier, DEFAULT_RATE_LIMITS[tier]);
});

describe('rate limiter: exact counts', () => {
  it('lets exactly 5 of 200 concurrent messages of a new customer through and tells them once', async () => {
    const rl = limiter();
    const phone = newPhone();
    const ds = await times(200, (i) => rl.check(phone, 'new', `wamid.c${i}`));
    expect(allowedOf(ds)).toBe(5);
    const denied = denialsOf(ds);
    expect(denied).toHaveLength(195);
    expect(denied.filter((d) => d.notify)).toHaveLength(1);
    expect(new Set(denied.map((d) => d.window))).toEqual(new Set(['minute']));
    for (const d of denied) {
      expect(d.retryAfterMs).toBeGreaterThan(0);
      expect(d.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    const remaining = ds.flatMap((d) => (d.allowed ? [d.remaining] : []));
    expect(remaining.map((r) => r.minute).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(remaining.map((r) => r.hour).sort((a, b) => a - b)).toEqual([55, 56, 57, 58, 59]);
    // the notice lives until the minute frees up; every key expires on its own
    const [events, noticeMinute, noticeHour, , , answer] = rateLimitKeys(prefix, phone, 'wamid.c0');
    expect(await redis.zcard(events)).toBe(5);
    expect(await redis.pttl(noticeMinute)).toBeGreaterThan(0);
    expect(await redis.pttl(noticeMinute)).toBeLessThanOrEqual(60_000);
    expect(await redis.exists(noticeHour)).toBe(0);
    for (const k of [events, answer]) expect(await redis.pttl(k)).toBeGreaterThan(86_000_000);
  });

  it.each([['regular', 10], ['vip', 20], ['gold', 5]] as const)('lets exactly the %s tier limit (%i) of 200 concurrent through', async (tier, limit) => {
    const phone = newPhone();
    const ds = await times(200, (i) => limiter().check(phone, tier, `wamid.t${i}`));
    expect(allowedOf(ds)).toBe(limit);
    expect(denialsOf(ds).filter((d) => d.notify)).toHaveLength(1);
  });

  it('answers a re-checked message as the first time and never counts it twice', async () => {
    const rl = limiter();
    const phone = newPhone();
    const first = await times(10, () => rl.check(phone, 'new', 'wamid.same'));
    expect(first[0].allowed).toBe(true);
    for (const d of first) expect(d).toEqual(first[0]);
    for (let i = 1; i < 5; i++) expect((await rl.check(phone, 'new', `wamid.r${i}`)).allowed).toBe(true);
    const denied = await rl.check(phone, 'new', 'wamid.r5');
    expect(denied).toMatchObject({ allowed: false, window: 'minute', notify: true });
    expect(await rl.check(phone, 'new', 'wamid.same')).toEqual(first[0]);
    const again = await rl.check(phone, 'new', 'wamid.r5');
    expect(again).toMatchObject({ allowed: false, window: 'minute', notify: true });
    expect(!again.allowed && !denied.allowed && again.retryAfterMs <= denied.retryAfterMs).toBe(true);
    expect(await rl.check(phone, 'new', 'wamid.r6')).toMatchObject({ allowed: false, notify: false });
    expect(await redis.zcard(rateLimitKeys(prefix, phone, '')[0])).toBe(5);
  });
});

describe('rate limiter: windows', () => {
  it('slides: a spent 1 s "minute" lets messages through again after it, and the notice resets', async () => {
    const rl = limiter({ windowsMs: { minute: 1000, burst: 500 } }); // a 10 s burst window would bind in round two
    const phone = newPhone();
    const round = async (r: number) => {
      const ds = [];
      for (let i = 0; i < 7; i++) ds.push(await rl.check(phone, 'new', `wamid.s${r}.${i}`));
      return ds;
    };
    const one = await round(1);
    expect(one.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(denialsOf(one).map((d) => d.notify)).toEqual([true, false]);
    expect(denialsOf(one)[0].retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(1100);
    const two = await round(2);
    expect(two.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(denialsOf(two).map((d) => d.notify)).toEqual([true, false]);
    expect(two[0].allowed && two[0].remaining.hour).toBe(54); // the hour still remembers round one
  });

  it('reports the window that frees up last, and tells the customer once for each window', async () => {
    await setLimits(db.sql, 'new', { perMinute: 2, perHour: 3, perDay: 100, burst: 100 });
    const rl = limiter({ windowsMs: { minute: 400, hour: 2000 } });
    const phone = newPhone();
    const check = (id: string) => rl.check(phone, 'new', id);
    expect((await check('a')).allowed && (await check('b')).allowed).toBe(true);
    expect(await check('c')).toMatchObject({ allowed: false, window: 'minute', notify: true });
    await sleep(450);
    expect((await check('d')).allowed).toBe(true);
    const hour = await check('e');
    expect(hour).toMatchObject({ allowed: false, window: 'hour', notify: true });
    expect(!hour.allowed && hour.retryAfterMs > 1000 && hour.retryAfterMs <= 2000 - 450).toBe(true);
    expect(await check('f')).toMatchObject({ allowed: false, window: 'hour', notify: false });
  });

  it('caps a burst when the burst size is below the minute limit', async () => {
    await setLimits(db.sql, 'regular', { perMinute: 10, perHour: 120, perDay: 1000, burst: 3 });
    const phone = newPhone();
    const ds = await times(20, (i) => limiter().check(phone, 'regular', `wamid.b${i}`));
    expect(allowedOf(ds)).toBe(3);
    expect(new Set(denialsOf(ds).map((d) => d.window))).toEqual(new Set(['burst']));
    for (const d of denialsOf(ds)) expect(d.retryAfterMs).toBeLessThanOrEqual(10_000);
  });
});

describe('rate limiter: limits from rate_limit_config', () => {
  it('picks up a changed row once the cache refreshes', async () => {
    const rl = limiter({ refreshMs: 100 });
    const before = newPhone();
    expect(allowedOf(await times(15, (i) => rl.check(before, 'regular', `wamid.o${i}`)))).toBe(10);
    await db.sql`UPDATE rate_limit_config SET max_per_minute = 3 WHERE customer_tier = 'regular'`;
    const fourthDenied = async () => {
      const phone = newPhone();
      const ds = [];
      for (let i = 0; i < 4; i++) ds.push(await rl.check(phone, 'regular', `wamid.p${i}`));
      return !ds[3].allowed;
    };
    expect(await until(fourthDenied, 5000, 50)).toBe(true);
    const after = newPhone();
    expect(allowedOf(await times(50, (i) => rl.check(after, 'regular', `wamid.q${i}`)))).toBe(3);
  });

  it('falls back to the seed defaults when the table cannot be read', async () => {
    const nowhere = createDb({ url: databaseUrl('wa_no_such_database'), max: 1, connectTimeout: 1 });
    const errors: unknown[] = [];
    try {
      const rl = limiter({ sql: nowhere, onConfigError: (e) => errors.push(e) });
      const phone = newPhone();
      expect(allowedOf(await times(100, (i) => rl.check(phone, 'vip', `wamid.f${i}`)))).toBe(20);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await nowhere.end({ timeout: 1 });
    }
  });

  it('keeps the last limits it read while the table cannot be read', async () => {
    await setLimits(db.sql, 'vip', { perMinute: 7, perHour: 300, perDay: 2000, burst: 50 });
    const errors: unknown[] = [];
    const rl = limiter({ refreshMs: 50, onConfigError: (e) => errors.push(e) });
    const loaded = newPhone();
    expect(allowedOf(await times(30, (i) => rl.check(loaded, 'vip', `wamid.k${i}`)))).toBe(7);
    await db.sql`ALTER TABLE rate_limit_config RENAME TO rate_limit_config_away`;
    try {
      expect(await until(async () => { await rl.check(newPhone(), 'vip', 'wamid.poke'); return errors.length > 0; }, 5000, 60)).toBe(true);
      const phone = newPhone();
      expect(allowedOf(await times(30, (i) => rl.check(phone, 'vip', `wamid.l${i}`)))).toBe(7);
    } finally {
      await db.sql`ALTER TABLE rate_limit_config_away RENAME TO rate_limit_config`;
    }
  });
});

describe('rate limiter: Redis restarted empty', () => {
  let server: ChildProcess | undefined;
  const startRedis = async (port: number) => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50 });
    probe.on('error', () => {}); // refused until the server listens
    try {
      expect(await until(async () => (await probe.ping().catch(() => '')) === 'PONG', 10_000, 50)).toBe(true);
    } finally {
      probe.disconnect();
    }
  };
  const stopRedis = async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGKILL');
    await exited;
  };
  afterAll(stopRedis);

  it('reloads the script (NOSCRIPT) and goes on counting', async () => {
    const port = await freePort();
    await startRedis(port);
    const own = new Redis(port, '127.0.0.1', { retryStrategy: () => 50 });
    own.on('error', () => {}); // refused while the server restarts: expected
    try {
      const rl = createRateLimiter({ redis: own, prefix, sql: db.sql });
      const phone = newPhone();
      expect((await rl.check(phone, 'new', 'wamid.x1')).allowed).toBe(true);
      await stopRedis();
      await startRedis(port);
      expect(await own.script('EXISTS', '0'.repeat(40))).toEqual([0]); // a new, empty server
      const ds = await times(20, (i) => rl.check(phone, 'new', `wamid.y${i}`));
      expect(allowedOf(ds)).toBe(5); // the old count died with the server; the limit holds from here
      expect((await rl.check(phone, 'new', 'wamid.y0')).allowed).toBe(ds[0].allowed);
    } finally {
      own.disconnect();
    }
  });
});

describe('rate limiter: property against a model of the windows', () => {
  // Scaled-down windows and small limits so every window binds within a run of a few hundred ms.
  const windowsMs: Record<RateWindow, number> = { burst: 40, minute: 100, hour: 250, day: 600 };
  const limits: RateLimitConfig = { perMinute: 4, perHour: 7, perDay: 10, burst: 2 };
  const limitOf: Record<RateWindow, number> = { minute: limits.perMinute, hour: limits.perHour, day: limits.perDay, burst: limits.burst };
  const windows = Object.keys(windowsMs) as RateWindow[];
  // Each decision happened at some Redis millisecond within [sent, answered] on the same clock;
  // one ms of slack either side for rounding. Every check below holds for any time in those bounds.
  const SLACK = 1;
  interface Seen { id: string; lo: number; hi: number; d: RateDecision }

  function verify(seen: Seen[]) {
    const allowed = seen.filter((s) => s.d.allowed);
    for (const w of windows) {
      const W = windowsMs[w];
      // Never more than the limit within any span shorter than the window.
      for (const a of allowed) {
        const together = allowed.filter((b) => b.lo >= a.lo && b.hi < a.lo + W);
        expect(together.length, `${w}: allowed within ${W} ms`).toBeLessThanOrEqual(limitOf[w]);
      }
    }
    for (const r of seen) {
      if (r.d.allowed) continue;
      const d = r.d;
      // How many allowed messages could at most be in window w when r was decided.
      const atMost = (w: RateWindow) => allowed.filter((a) => a.lo <= r.hi && a.hi > r.lo - windowsMs[w]).length;
      expect(windows.some((w) => atMost(w) >= limitOf[w]), `denied ${r.id} with room in every window`).toBe(true);
      expect(atMost(d.window), `denied ${r.id} for a window with room`).toBeGreaterThanOrEqual(limitOf[d.window]);
      // Retry-after is when some allowed message leaves the reported window.
      const W = windowsMs[d.window];
      expect(d.retryAfterMs).toBeGreaterThan(0);
      expect(allowed.some((a) => a.lo + W - r.hi <= d.retryAfterMs && d.retryAfterMs <= a.hi + W - r.lo), `retry-after of ${r.id}`).toBe(true);
      // Told once per window: a notice lives retry-after ms from the denial that set it.
      const notices = seen.filter((n) => n !== r && !n.d.allowed && n.d.notify && n.d.window === d.window);
      const noticeOf = (n: Seen) => (n.d.allowed ? 0 : n.d.retryAfterMs);
      if (d.notify) expect(notices.some((n) => n.hi < r.lo && r.hi < n.lo + noticeOf(n)), `${r.id} told twice`).toBe(false);
      else expect(notices.some((n) => n.lo <= r.hi && r.lo < n.hi + noticeOf(n)), `${r.id} never told`).toBe(true);
    }
  }

  let propDb: TestDatabase;
  beforeAll(async () => {
    propDb = await createTestDatabase();
    await setLimits(propDb.sql, 'new', limits);
  });
  afterAll(async () => { await propDb?.drop(); });

  it('allows and denies as the sliding windows say, told once per window, replays answered alike', async () => {
    const rl = createRateLimiter({ redis, prefix, sql: propDb.sql, windowsMs });
    const step = fc.record({ delay: fc.integer({ min: 0, max: 90 }), count: fc.integer({ min: 1, max: 5 }), replay: fc.option(fc.nat(), { nil: undefined }) });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const phone = newPhone();
        const seen: Seen[] = [];
        runs++;
        for (const [i, s] of steps.entries()) {
          await sleep(s.delay);
          const batch = await times(s.count, async (j) => {
            const id = `wamid.p${i}.${j}`;
            const lo = Date.now() - SLACK;
            const d = await rl.check(phone, 'new', id);
            return { id, lo, hi: Date.now() + SLACK, d };
          });
          seen.push(...batch);
          if (s.replay !== undefined) {
            const earlier = seen[s.replay % seen.length];
            const again = await rl.check(phone, 'new', earlier.id);
            if (earlier.d.allowed) expect(again).toEqual(earlier.d);
            else expect(again).toMatchObject({ allowed: false, window: earlier.d.window, notify: earlier.d.notify });
          }
        }
        verify(seen);
        const counted = await redis.zcount(rateLimitKeys(prefix, phone, '')[0], '-inf', '+inf');
        expect(counted).toBeLessThanOrEqual(seen.filter((s) => s.d.allowed).length);
      }),
      { numRuns: 50 },
    );
    expect(runs).toBeGreaterThanOrEqual(50);
  }, 120_000);
});

describe('rate limiter: throughput (printed, not asserted)', () => {
  it('checks many customers in parallel, one round trip each', async () => {
    const rl = limiter();
    const phones = Array.from({ length: 1000 }, newPhone);
    await times(200, (i) => rl.check(phones[i], 'regular', `wamid.warm${i}`));
    const n = 20_000;
    const started = performance.now();
    for (let b = 0; b < n / 1000; b++) await times(1000, (i) => rl.check(phones[(b * 7 + i) % 1000], 'regular', `wamid.h${b}.${i}`));
    const perSecond = Math.round(n / ((performance.now() - started) / 1000));
    console.log(JSON.stringify({ figure: 'rate-limit checks/s (one connection, 1000 in flight)', value: perSecond }));
    expect(perSecond).toBeGreaterThan(0);
  });
});
