import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Sql } from '../../src/db/client.ts';
import { ADMIN_URL, databaseUrl } from './pg-admin.ts';

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  drop: () => Promise<void>;
}

/** A private, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `wa_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const sql = createDb({ url, max: 5 });
  return {
    name,
    url,
    sql,
    drop: async () => {
      await sql.end({ timeout: 1 });
      const a = createDb({ url: ADMIN_URL, max: 1 });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => a.end());
    },
  };
}
