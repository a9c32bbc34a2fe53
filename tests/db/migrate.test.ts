import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

describe('migrations', () => {
  it('are numbered uniquely and all applied to the template', async () => {
    const files = await readMigrations();
    const applied = await db.sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
    expect(applied.map((r) => r.version)).toEqual(files.map((f) => f.version));
  });

  it('run again apply nothing, from several processes at once', async () => {
    const results = await Promise.all([migrate(db.sql), migrate(db.sql), migrate(db.sql)]);
    expect(results).toEqual([[], [], []]);
  });

  it('make a provider message unique forever', async () => {
    const insert = () => db.sql`INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, sent_at) VALUES ('meta', 'wamid.X', '573001', 'text', now())`;
    await insert();
    await expect(insert()).rejects.toThrow(/inbound_messages_provider_message_unique/);
  });
});
