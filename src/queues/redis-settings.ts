import type { Redis } from 'ioredis';

// Two Redis settings decide whether queued work survives: the eviction policy (BullMQ's keys must never
// be evicted) and persistence (a restart must not empty the queues). Neither loses a customer's message
// here, because PostgreSQL is the record and the recovery sweep re-enqueues what Redis forgot, but both
// turn into delays and surprises, so start-up says so loudly. It never refuses to start over them.

export interface RedisSettings {
  maxmemoryPolicy?: string;
  appendonly?: boolean;
  /** The RDB snapshot schedule (`save`): '' is off; undefined when it cannot be read (CONFIG disabled). */
  save?: string;
}

/** What is wrong with these settings, one readable sentence each (what to set, and why). */
export function redisSettingProblems(s: RedisSettings): string[] {
  const problems: string[] = [];
  if (s.maxmemoryPolicy !== undefined && s.maxmemoryPolicy !== 'noeviction') {
    problems.push(
      `Redis maxmemory-policy is ${s.maxmemoryPolicy}: set it to noeviction. Under memory pressure Redis would silently ` +
        'delete BullMQ keys (jobs, locks, schedulers); replies then wait for the recovery sweep instead of going out at once.',
    );
  }
  const persistenceOff = 'a Redis restart empties the queues; the recovery sweep re-enqueues the work from PostgreSQL, but only after SWEEP_GRACE_MS and with the job schedulers declared again.';
  if (s.appendonly === false && s.save === '') {
    problems.push(`Redis persistence is off (appendonly no, no save schedule): turn on AOF (appendonly yes, appendfsync everysec), because ${persistenceOff}`);
  } else if (s.appendonly === false && s.save === undefined) {
    problems.push(`Redis AOF is off and the snapshot schedule cannot be read (CONFIG is disabled): turn on AOF with your provider, or ${persistenceOff}`);
  } else if (s.appendonly === false) {
    problems.push(`Redis persists only snapshots (save "${s.save}"): turn on AOF (appendonly yes) too, or a restart loses the jobs queued since the last snapshot; the recovery sweep re-enqueues them, late.`);
  }
  return problems;
}

/** Read the settings, with CONFIG GET where allowed and INFO (which managed Redis always serves) otherwise. */
export async function readRedisSettings(redis: Redis): Promise<RedisSettings> {
  const viaConfig = await Promise.all([configGet(redis, 'maxmemory-policy'), configGet(redis, 'appendonly'), configGet(redis, 'save')]).catch(() => undefined);
  if (viaConfig) {
    const [maxmemoryPolicy, appendonly, save] = viaConfig;
    return { maxmemoryPolicy, appendonly: appendonly === undefined ? undefined : appendonly === 'yes', save };
  }
  const info = parseInfo(await redis.info('memory').catch(() => '') + '\n' + (await redis.info('persistence').catch(() => '')));
  return {
    maxmemoryPolicy: info.get('maxmemory_policy'),
    appendonly: info.has('aof_enabled') ? info.get('aof_enabled') === '1' : undefined,
  };
}

export async function checkRedisSettings(redis: Redis): Promise<string[]> {
  return redisSettingProblems(await readRedisSettings(redis));
}

async function configGet(redis: Redis, name: string): Promise<string | undefined> {
  const reply = (await redis.config('GET', name)) as unknown as string[];
  return reply[1];
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}
