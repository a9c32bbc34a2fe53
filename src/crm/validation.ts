import type { Redis } from 'ioredis';
import type { Config } from '../config/load.ts';
import type { Sql } from '../db/client.ts';

// Seed 004's validation scripts as checks that each say what they found. A failed check names the
// problem; the commands print every check and exit non-zero if any failed.

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export const REQUIRED_TABLES = [
  'inbound_messages', 'outbox', 'message_logs', 'guest_profiles', 'historical_clients', 'customer_sessions',
  'customers', 'rate_limit_config', 'system_config', 'customer_identities',
];

const check = async (name: string, run: () => Promise<string>): Promise<CheckResult> => {
  try {
    return { name, ok: true, detail: await run() };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  }
};

export async function preMigrationChecks(deps: { sql: Sql; redis: Redis; config: Config; backup: () => Promise<string> }): Promise<CheckResult[]> {
  const { sql, redis, config } = deps;
  return [
    await check('postgresql', async () => (await sql<{ v: string }[]>`SELECT version() AS v`)[0].v.split(' ').slice(0, 2).join(' ')),
    await check('redis', async () => {
      const pong = await redis.ping();
      const policy = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
      return `${pong}${policy[1] ? `, maxmemory-policy ${policy[1]}${policy[1] === 'noeviction' ? '' : ' (BullMQ needs noeviction)'}` : ''}`;
    }),
    await check('tables', async () => {
      const present = new Set((await sql<{ name: string }[]>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`).map((r) => r.name));
      const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
      if (missing.length) throw new Error(`missing tables: ${missing.join(', ')} (run npm run migrate)`);
      return `${REQUIRED_TABLES.length} required tables present`;
    }),
    await check('ai providers', async () => {
      const configured = [config.OPENAI_API_KEY && 'openai', config.DEEPSEEK_API_KEY && 'deepseek', config.GEMINI_API_KEY && 'gemini'].filter(Boolean);
      return configured.length ? `configured: ${configured.join(', ')}` : 'none configured: keyword mode (the assistant still answers everything)';
    }),
    await check('whatsapp provider', async () => `${config.WHATSAPP_PROVIDER}`),
    await check('session backup', deps.backup),
  ];
}

export async function postMigrationChecks(sql: Sql): Promise<CheckResult[]> {
  const count = async (query: Promise<{ count: number }[]>) => Number((await query)[0]?.count ?? 0);
  return [
    await check('migrations', async () => {
      const rows = await sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
      return `applied: ${rows.map((r) => r.version).join(', ')}`;
    }),
    await check('rate limit tiers', async () => {
      const tiers = (await sql<{ tier: string }[]>`SELECT customer_tier AS tier FROM rate_limit_config ORDER BY customer_tier`).map((r) => r.tier);
      for (const t of ['new', 'regular', 'vip']) if (!tiers.includes(t)) throw new Error(`tier ${t} has no rate limits`);
      return tiers.join(', ');
    }),
    await check('runtime switches', async () => {
      const rows = await sql<{ key: string; value: string }[]>`SELECT key, value FROM system_config WHERE key IN ('use_ai_providers', 'use_redis_sessions')`;
      if (rows.length !== 2) throw new Error('use_ai_providers and use_redis_sessions must both exist');
      return rows.map((r) => `${r.key}=${r.value}`).join(', ');
    }),
    await check('no orphan replies', async () => {
      const n = await count(sql<{ count: number }[]>`SELECT count(*) FROM outbox o LEFT JOIN inbound_messages i ON i.id = o.inbound_id WHERE o.inbound_id IS NOT NULL AND i.id IS NULL`);
      if (n) throw new Error(`${n} outbox rows point at no inbound message`);
      return 'every reply belongs to a message';
    }),
    await check('handled messages have their log', async () => {
      const n = await count(sql<{ count: number }[]>`SELECT count(*) FROM inbound_messages i LEFT JOIN message_logs l ON l.inbound_id = i.id WHERE i.status IN ('held', 'ingested', 'handled', 'rate_limited') AND l.id IS NULL`);
      if (n) throw new Error(`${n} messages passed ingest without a message_logs row`);
      return 'ok';
    }),
    // issue 14: one customer whatever the id. Every record keyed by a customer is reachable from an id, and
    // no customer has two current ids of one kind (the send address is never ambiguous)
    await check('every customer has an identity', async () => {
      const [row] = await sql<{ customers: number; guests: number; sample: string | null }[]>`
        WITH lost AS (
          SELECT 'customer' AS what, phone AS key FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_key = c.phone)
          UNION ALL
          SELECT 'guest', phone_number FROM guest_profiles g WHERE NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_key = g.phone_number))
        SELECT count(*) FILTER (WHERE what = 'customer')::int AS customers, count(*) FILTER (WHERE what = 'guest')::int AS guests, min(key) AS sample FROM lost`;
      if (row.customers || row.guests) throw new Error(`${row.customers} customers and ${row.guests} guest profiles have no id in customer_identities (e.g. ${row.sample}); run npm run migrate`);
      const kinds = await sql<{ kind: string; n: number }[]>`SELECT kind, count(*)::int AS n FROM customer_identities GROUP BY kind ORDER BY kind`;
      return kinds.length ? kinds.map((k) => `${k.kind} ${k.n}`).join(', ') : 'no customers yet';
    }),
    await check('one current id of each kind per customer', async () => {
      const n = await count(sql<{ count: number }[]>`
        SELECT count(*) FROM (SELECT 1 FROM customer_identities WHERE retired_at IS NULL GROUP BY customer_key, kind HAVING count(*) > 1) twice`);
      if (n) throw new Error(`${n} customers have two current ids of one kind`);
      return 'ok';
    }),
    await check('labels are arrays', async () => {
      const n = await count(sql<{ count: number }[]>`SELECT count(*) FROM guest_profiles WHERE jsonb_typeof(labels) <> 'array'`);
      if (n) throw new Error(`${n} guest profiles have labels that are not an array`);
      return 'ok';
    }),
    await check('counts', async () => {
      const [c] = await sql`SELECT (SELECT count(*) FROM guest_profiles) AS guests, (SELECT count(*) FROM historical_clients) AS historical,
        (SELECT count(*) FROM customer_sessions WHERE expires_at > now()) AS live_sessions, (SELECT count(*) FROM inbound_messages) AS messages`;
      return `guests ${c.guests}, historical ${c.historical}, live sessions ${c.live_sessions}, messages ${c.messages}`;
    }),
  ];
}

export function printChecks(results: CheckResult[]): number {
  for (const r of results) console.log(`${r.ok ? '✔' : '✘'} ${r.name}: ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
  return failed ? 1 : 0;
}
