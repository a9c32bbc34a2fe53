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
  it('lets exactly 5 bursts of 10 of 200 concurrent messages of a new customer through, holds the rest, tells them once', async () => {
    const rl = limiter();
    const phone = newPhone();
    const ds = await times(200, (i) => rl.check(phone, 'new', `wamid.c${i}`));
    expect(allowedOf(ds)).toBe(50);
    const held = denialsOf(ds);
    expect(held).toHaveLength(150);
    expect(held.filter((d) => d.notify)).toHaveLength(1);
    expect(new Set(held.map((d) => d.window))).toEqual(new Set(['minute']));
    for (const d of held) {
      expect(d.retryAfterMs).toBeGreaterThan(0);
      expect(d.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    // one release time for the whole flood: they are checked again together and fill a burst together
    expect(new Set(held.map((d) => d.releaseAt)).size).toBe(1);
    const openers = ds.flatMap((d) => (d.allowed && d.remaining.burst === 9 ? [d.remaining] : []));
    expect(openers.map((r) => r.minute).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(openers.map((r) => r.hour).sort((a, b) => a - b)).toEqual([55, 56, 57, 58, 59]);
    // the notice lives for the minute; every key expires on its own
    const [bursts, open, noticeMinute, noticeHour, , answer] = rateLimitKeys(prefix, phone, 'wamid.c0');
    expect(await redis.zcard(bursts)).toBe(5);
    expect(await redis.pttl(noticeMinute)).toBeGreaterThan(0);
    expect(await redis.pttl(noticeMinute)).toBeLessThanOrEqual(60_000);
    expect(await redis.exists(noticeHour)).toBe(0);
    expect(await redis.pttl(open)).toBeGreaterThan(0);
    for (const k of [bursts, answer]) expect(await redis.pttl(k)).toBeGreaterThan(86_000_000);
  });

  it.each([['regular', 300, 10 * 20], ['vip', 1200, 20 * 50], ['gold', 200, 5 * 10]] as const)('lets exactly the %s tier limit of %i concurrent through (%i: bursts × burst size)', async (tier, n, limit) => {
    const phone = newPhone();
    const rl = limiter();
    const ds = await times(n, (i) => rl.check(phone, tier, `wamid.t${i}`));
    expect(allowedOf(ds)).toBe(limit);
    expect(denialsOf(ds).filter((d) => d.notify)).toHaveLength(1);
  });

  it('counts each message as a burst when the burst size is 1 (exactly the per-minute limit)', async () => {
    await setLimits(db.sql, 'regular', { perMinute: 10, perHour: 120, perDay: 1000, burst: 1 });
    const phone = newPhone();
    const ds = await times(100, (i) => limiter().check(phone, 'regular', `wamid.one${i}`));
    expect(allowedOf(ds)).toBe(10);
    expect(denialsOf(ds).filter((d) => d.notify)).toHaveLength(1);
  });

  it('answers a re-checked message as the first time and never counts it twice', async () => {
    const rl = limiter();
    const phone = newPhone();
    const first = await times(10, () => rl.check(phone, 'new', 'wamid.same'));
    expect(first[0].allowed).toBe(true);
    for (const d of first) expect(d).toEqual(first[0]);
    for (let i = 1; i < 50; i++) expect((await rl.check(phone, 'new', `wamid.r${i}`)).allowed).toBe(true);
    const held = await rl.check(phone, 'new', 'wamid.r50');
    expect(held).toMatchObject({ allowed: false, window: 'minute', notify: true });
    expect(await rl.check(phone, 'new', 'wamid.same')).toEqual(first[0]);
    const again = await rl.check(phone, 'new', 'wamid.r50');
    expect(again).toMatchObject({ allowed: false, window: 'minute', notify: true });
    expect(!again.allowed && !held.allowed && again.retryAfterMs <= held.retryAfterMs && again.releaseAt === held.releaseAt).toBe(true);
    expect(await rl.check(phone, 'new', 'wamid.r51')).toMatchObject({ allowed: false, notify: false });
    expect(await redis.zcard(rateLimitKeys(prefix, phone, '')[0])).toBe(5);
  });
});

// Windows scaled down 100 times: a minute is 600 ms, the 10 s burst window 100 ms.
const SCALED: Record<RateWindow | 'burst', number> = { burst: 100, minute: 600, hour: 36_000, day: 864_000 };

describe('rate limiter: held messages', () => {
  it('checks a held message again once its window frees up: it passes and is counted then, once', async () => {
    const rl = limiter({ windowsMs: SCALED });
    const phone = newPhone();
    const first = await times(60, (i) => rl.check(phone, 'new', `wamid.h${i}`));
    expect(allowedOf(first)).toBe(50);
    const held = first.flatMap((d, i) => (d.allowed ? [] : [{ id: `wamid.h${i}`, d }]));
    const releaseAt = Math.max(...held.map((h) => h.d.releaseAt));
    // before the release: the same answer, nothing counted
    for (const h of held) expect(await rl.check(phone, 'new', h.id)).toMatchObject({ allowed: false, window: 'minute', releaseAt: h.d.releaseAt });
    await sleep(Math.max(0, releaseAt - Date.now()) + 20);
    const later = await times(held.length, (i) => rl.check(phone, 'new', held[i].id));
    expect(allowedOf(later)).toBe(10); // one freed slot: one burst, all ten of them
    expect(await times(held.length, (i) => rl.check(phone, 'new', held[i].id))).toEqual(later);
    expect(await redis.zcard(rateLimitKeys(prefix, phone, '')[0])).toBe(6);
  });

  it('holds a message again silently when its window is full again at its release', async () => {
    const rl = limiter({ windowsMs: SCALED });
    const phone = newPhone();
    const first = await times(80, (i) => rl.check(phone, 'new', `wamid.g${i}`));
    const held = first.flatMap((d, i) => (d.allowed ? [] : [`wamid.g${i}`]));
    expect(held).toHaveLength(30);
    const releaseAt = Math.max(...denialsOf(first).map((d) => d.releaseAt));
    await sleep(Math.max(0, releaseAt - Date.now()) + 20);
    const later = await times(held.length, (i) => rl.check(phone, 'new', held[i]));
    // all five bursts opened in the same ms, so all five slots free together: 30 held → 30 through
    expect(allowedOf(later)).toBe(30);
    const flood = await times(80, (i) => rl.check(phone, 'new', `wamid.g2.${i}`));
    expect(allowedOf(flood)).toBe(20);
    const reheld = denialsOf(flood);
    await sleep(Math.max(0, Math.max(...reheld.map((d) => d.releaseAt)) - Date.now()) + 20);
    const ids = flood.flatMap((d, i) => (d.allowed ? [] : [`wamid.g2.${i}`]));
    const again = await times(ids.length, (i) => rl.check(phone, 'new', ids[i]));
    expect(denialsOf(again).length).toBeGreaterThan(0);
    expect(denialsOf(again).filter((d) => d.notify)).toHaveLength(0);
  });
});

describe('rate limiter: a person writing is never held', () => {
  it('lets 30 quick messages through with the real default windows (a minute allows 5 bursts of 10)', async () => {
    const rl = limiter();
    const phone = newPhone();
    const ds = [];
    for (let i = 0; i < 30; i++) {
      ds.push(await rl.check(phone, 'new', `wamid.person${i}`));
      await sleep(20);
    }
    expect(ds.filter((d) => !d.allowed)).toEqual([]);
  });

  it('never holds a message every 2–8 s for ten minutes (scaled 100×)', async () => {
    const rl = limiter({ windowsMs: SCALED });
    const phone = newPhone();
    const started = Date.now();
    const ds = [];
    for (let i = 0; Date.now() - started < 6000; i++) {
      ds.push(await rl.check(phone, 'new', `wamid.pace${i}`));
      await sleep(20 + Math.floor(Math.random() * 60));
    }
    expect(ds.length).toBeGreaterThan(70);
    expect(ds.filter((d) => !d.allowed)).toEqual([]);
  }, 20_000);

  it('never holds a message every 10–12 s (a pause longer than the 10 s burst window each time)', async () => {
    const rl = limiter({ windowsMs: SCALED });
    const phone = newPhone();
    const ds = [];
    for (let i = 0; i < 25; i++) {
      ds.push(await rl.check(phone, 'new', `wamid.slow${i}`));
      await sleep(102 + Math.floor(Math.random() * 14));
    }
    expect(ds.filter((d) => !d.allowed)).toEqual([]);
  }, 20_000);

  it('holds a flood: one message a second for ten minutes, and 300 within 10 s (scaled 100×)', async () => {
    const rl = limiter({ windowsMs: SCALED });
    const steady = newPhone();
    const ds: RateDecision[] = [];
    // each allowed check: sent at `lo`, answered at `hi`; the limiter decided somewhere in between
    const passed: { lo: number; hi: number; opens: boolean }[] = [];
    // one message every 10 ms on a fixed schedule: a busy machine that wakes late sends the ones due at once,
    // so the flood stays a flood (waiting for each check before sleeping made it slower than the limit)
    const started = Date.now();
    const checks: Promise<void>[] = [];
    for (let i = 0; i < 600; i++) {
      await sleep(Math.max(0, started + i * 10 - Date.now()));
      const lo = Date.now();
      checks.push(rl.check(steady, 'new', `wamid.bot${i}`).then((d) => {
        ds.push(d);
        if (d.allowed) passed.push({ lo, hi: Date.now(), opens: d.remaining.burst === DEFAULT_RATE_LIMITS.new.burst - 1 });
      }));
    }
    await Promise.all(checks);
    // 1/s is 60 a minute; a minute lets 5 bursts of 10 through. Windows count bursts by the time they opened:
    // checks sent and answered inside one minute-long span were decided within one window, so at most 5 of
    // them opened a burst, and at most 5 × 10 messages plus the rest of a burst opened just before passed
    expect(denialsOf(ds).length).toBeGreaterThan(ds.length / 20);
    for (const t of passed) {
      const within = passed.filter((u) => u.lo >= t.lo && u.hi < t.lo + SCALED.minute);
      expect(within.filter((u) => u.opens).length).toBeLessThanOrEqual(5);
      expect(within.length).toBeLessThanOrEqual(50 + 9);
    }
    expect(denialsOf(ds).filter((d) => d.notify).length).toBeLessThanOrEqual(Math.ceil(6000 / SCALED.minute) + 1);
    const burst = newPhone();
    const flood = await times(300, (i) => rl.check(burst, 'new', `wamid.flood${i}`));
    expect(allowedOf(flood)).toBe(50);
  }, 20_000);
});

describe('rate limiter: windows', () => {
  it('slides: a spent 1 s "minute" lets bursts through again after it, and the notice resets', async () => {
    const rl = limiter({ windowsMs: { burst: 50, minute: 1000, hour: 30_000, day: 100_000 } });
    const phone = newPhone();
    const round = async (r: number) => {
      const ds = [];
      for (let i = 0; i < 52; i++) ds.push(await rl.check(phone, 'new', `wamid.s${r}.${i}`));
      return ds;
    };
    const one = await round(1);
    expect(one.map((d) => d.allowed)).toEqual([...Array(50).fill(true), false, false]);
    expect(denialsOf(one).map((d) => d.notify)).toEqual([true, false]);
    expect(denialsOf(one)[0].retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(1100);
    const two = await round(2);
    expect(two.map((d) => d.allowed)).toEqual([...Array(50).fill(true), false, false]);
    expect(denialsOf(two).map((d) => d.notify)).toEqual([true, false]);
    expect(two[0].allowed && two[0].remaining.hour).toBe(54); // the hour still remembers round one's bursts
  });

  it('reports the window that frees up last, and tells the customer once for each window', async () => {
    await setLimits(db.sql, 'new', { perMinute: 2, perHour: 3, perDay: 100, burst: 1 });
    const rl = limiter({ windowsMs: { burst: 20, minute: 400, hour: 2000, day: 60_000 } });
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

  it('joins a message to the open burst only within the gap and while the burst has room', async () => {
    await setLimits(db.sql, 'regular', { perMinute: 10, perHour: 120, perDay: 1000, burst: 3 });
    const rl = limiter({ windowsMs: { burst: 150, minute: 1000, hour: 12_000, day: 100_000 } }); // gap: 150 ms
    const phone = newPhone();
    const ds = [];
    for (let i = 0; i < 4; i++) ds.push(await rl.check(phone, 'regular', `wamid.j${i}`));
    await sleep(250);
    ds.push(await rl.check(phone, 'regular', 'wamid.j4'));
    // 3 in the first burst, the 4th opens the second, the one after the pause the third
    expect(ds.map((d) => d.allowed && d.remaining.burst)).toEqual([2, 1, 0, 2, 2]);
    expect(ds.map((d) => d.allowed && d.remaining.minute)).toEqual([9, 9, 9, 8, 7]);
  });
});

describe('rate limiter: limits from rate_limit_config', () => {
  it('picks up a changed row once the cache refreshes', async () => {
    await setLimits(db.sql, 'regular', { perMinute: 10, perHour: 120, perDay: 1000, burst: 1 }); // a burst per message
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
      expect(allowedOf(await times(1200, (i) => rl.check(phone, 'vip', `wamid.f${i}`)))).toBe(20 * 50);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await nowhere.end({ timeout: 1 });
    }
  });

  it('keeps the last limits it read while the table cannot be read', async () => {
    await setLimits(db.sql, 'vip', { perMinute: 7, perHour: 300, perDay: 2000, burst: 1 });
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
      const ds = await times(100, (i) => rl.check(phone, 'new', `wamid.y${i}`));
      expect(allowedOf(ds)).toBe(50); // the old count died with the server; the limit holds from here
      expect((await rl.check(phone, 'new', 'wamid.y0')).allowed).toBe(ds[0].allowed);
    } finally {
      own.disconnect();
    }
  });
});

describe('rate limiter: property against a model of the windows', () => {
  // Scaled-down windows and small limits so every window binds within a run of a few hundred ms.
  // The windows count bursts: the model checks the messages that opened one (a burst's first message
  // answers with room for burst - 1 more), and that no burst holds more than its size.
  const windowsMs: Record<RateWindow | 'burst', number> = { burst: 40, minute: 100, hour: 250, day: 600 };
  const limits: RateLimitConfig = { perMinute: 4, perHour: 7, perDay: 10, burst: 2 };
  const limitOf: Record<RateWindow, number> = { minute: limits.perMinute, hour: limits.perHour, day: limits.perDay };
  const windows: RateWindow[] = ['minute', 'hour', 'day'];
  // Each decision happened at some Redis millisecond within [sent, answered] on the same clock;
  // one ms of slack either side for rounding. Every check below holds for any time in those bounds.
  const SLACK = 1;
  interface Seen { id: string; lo: number; hi: number; d: RateDecision }

  function verify(seen: Seen[]) {
    const allowed = seen.filter((s) => s.d.allowed && s.d.remaining.burst === limits.burst - 1);
    expect(seen.filter((s) => s.d.allowed).length, 'messages allowed beyond their bursts').toBeLessThanOrEqual(allowed.length * limits.burst);
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
      // Told once per window: a notice lives one window length from the hold that set it.
      const notices = seen.filter((n) => n !== r && !n.d.allowed && n.d.notify && n.d.window === d.window);
      const noticeOf = (n: Seen) => (n.d.allowed ? 0 : windowsMs[n.d.window]);
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
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const phone = newPhone();
        const seen: Seen[] = [];
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
            // a held message is checked afresh once its release has come: replay only before that
            if (earlier.d.allowed || Date.now() < earlier.d.releaseAt - 5) {
              const again = await rl.check(phone, 'new', earlier.id);
              if (earlier.d.allowed) expect(again).toEqual(earlier.d);
              else expect(again).toMatchObject({ allowed: false, window: earlier.d.window, notify: earlier.d.notify, releaseAt: earlier.d.releaseAt });
            }
          }
        }
        verify(seen);
        const counted = await redis.zcount(rateLimitKeys(prefix, phone, '')[0], '-inf', '+inf');
        expect(counted).toBe(seen.filter((s) => s.d.allowed && s.d.remaining.burst === limits.burst - 1).length);
      }),
      { numRuns: 50 },
    );
  }, 120_000);
});

describe('rate limiter: one round trip per check (its speed: npm run bench)', () => {
  it('checks 1,000 customers in parallel with one Redis command each', async () => {
    const counted = new Redis(REDIS_URL);
    try {
      const rl = createRateLimiter({ redis: counted, prefix, sql: db.sql });
      const phones = Array.from({ length: 1000 }, newPhone);
      await times(10, (i) => rl.check(phones[i], 'regular', `wamid.warm${i}`)); // script loaded, limits read
      const names: string[] = [];
      const send = counted.sendCommand.bind(counted);
      counted.sendCommand = ((command: Parameters<typeof send>[0], stream?: Parameters<typeof send>[1]) => {
        names.push(command.name);
        return send(command, stream);
      }) as typeof counted.sendCommand;
      const decisions = await times(1000, (i) => rl.check(phones[i], 'regular', `wamid.rt${i}`));
      expect(decisions.every((d) => d.allowed)).toBe(true);
      expect(names).toHaveLength(1000);
      expect(new Set(names)).toEqual(new Set(['evalsha']));
    } finally {
      counted.disconnect();
    }
  });
});
