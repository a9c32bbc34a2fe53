import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRedisSettings, readRedisSettings, redisSettingProblems } from '../../src/queues/redis-settings.ts';
import { REDIS_URL } from '../support/test-runtime.ts';

// Start-up warns when Redis may evict BullMQ's keys or forget queued jobs on a restart.

const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());

describe('Redis settings at start-up', () => {
  it('accepts noeviction with AOF on', () => {
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: true, save: '' })).toEqual([]);
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: true, save: '3600 1' })).toEqual([]);
  });

  it('says what to set, and why, for an evicting policy', () => {
    const [problem, ...rest] = redisSettingProblems({ maxmemoryPolicy: 'allkeys-lru', appendonly: true });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/maxmemory-policy is allkeys-lru: set it to noeviction/);
    expect(problem).toMatch(/BullMQ/);
  });

  it('reports persistence off, snapshots only, and AOF off with the schedule unreadable', () => {
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: false, save: '' })).toEqual([expect.stringMatching(/persistence is off .*appendonly yes.*recovery sweep/)]);
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: false, save: '3600 1 300 100' })).toEqual([expect.stringMatching(/only snapshots \(save "3600 1 300 100"\)/)]);
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: false })).toEqual([expect.stringMatching(/CONFIG is disabled/)]);
  });

  it('reports nothing it could not read', () => {
    expect(redisSettingProblems({})).toEqual([]);
  });

  it('reads the local Redis as it is configured, and reports its persistence', async () => {
    const [[, policy], [, appendonly], [, save]] = (await Promise.all(['maxmemory-policy', 'appendonly', 'save'].map((k) => redis.config('GET', k)))) as unknown as string[][];
    const settings = await readRedisSettings(redis);
    expect(settings).toEqual({ maxmemoryPolicy: policy, appendonly: appendonly === 'yes', save });
    const problems = await checkRedisSettings(redis);
    expect(problems).toEqual(redisSettingProblems(settings));
    // the test Redis runs without persistence (save "", appendonly no): that must be reported
    if (appendonly === 'no' && save === '') expect(problems.some((p) => /persistence is off/.test(p))).toBe(true);
  });

  it('falls back to INFO where CONFIG is refused (managed Redis)', async () => {
    // a connection whose CONFIG command fails the way a renamed/disabled command does
    const managed = new Redis(REDIS_URL);
    managed.config = (async () => { throw new Error("ERR unknown command 'CONFIG'"); }) as unknown as Redis['config'];
    try {
      const settings = await readRedisSettings(managed);
      const info = await redis.info('persistence');
      expect(settings.maxmemoryPolicy).toBe((await redis.config('GET', 'maxmemory-policy') as unknown as string[])[1]);
      expect(settings.appendonly).toBe(/aof_enabled:1/.test(info));
      expect(settings.save).toBeUndefined();
    } finally {
      managed.disconnect();
    }
  });
});
