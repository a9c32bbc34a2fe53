import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Sql } from '../../src/db/client.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { postMigrationChecks } from '../../src/crm/validation.ts';
import { ADMIN_URL, databaseUrl } from '../support/pg-admin.ts';

// Migration 016 on a database with customers in it: every customer known until now is known by number, and
// keeps their number as key, so nothing else has to move. validate:post then checks the invariant.

const name = `wa_t_${inject('runId')}_mig16_${randomBytes(3).toString('hex')}`;
let sql: Sql;
beforeAll(async () => {
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`).finally(() => admin.end());
  sql = createDb({ url: databaseUrl(name), max: 2 });
  // the schema as it was before issue 14
  await sql`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
  for (const m of (await readMigrations()).filter((m) => m.version < 16)) {
    await sql.unsafe(m.sql);
    await sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
  }
});
afterAll(async () => {
  await sql?.end({ timeout: 1 });
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
});

describe('migration 016 (customer identities)', () => {
  it('gives every existing customer their number as a phone identity keyed by itself, and validate:post agrees', async () => {
    await sql`INSERT INTO customers (phone, name, opted_out_at) VALUES ('573001110001', 'Ana', now()), ('573001110002', 'Beto', NULL)`;
    await sql`INSERT INTO guest_profiles (phone_number, chat_id, labels) VALUES ('573001110001', '573001110001@s.whatsapp.net', '["vip"]'), ('573001110003', '573001110003@s.whatsapp.net', '[]')`;
    await sql`INSERT INTO carts (phone) VALUES ('573001110004')`;
    await sql`INSERT INTO inbound_messages (provider, provider_message_id, chat_id, kind, sent_at) VALUES ('meta', 'wamid.old', '573001110005', 'text', now())`;

    expect(await migrate(sql)).toContain(16);
    const ids = await sql`SELECT kind, value, customer_key AS key, retired_at FROM customer_identities ORDER BY value`;
    expect(ids).toEqual(['573001110001', '573001110002', '573001110003', '573001110004', '573001110005'].map((p) => ({ kind: 'phone', value: p, key: p, retired_at: null })));
    // a typed opt-out from before stays one
    const [ana] = await sql`SELECT opted_out_source FROM customers WHERE phone = '573001110001'`;
    expect(ana.opted_out_source).toBe('typed');

    const checks = await postMigrationChecks(sql);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.name === 'every customer has an identity')?.detail).toBe('phone 5');
  });

  it('validate:post names customers no id reaches, and a customer with two current ids of one kind', async () => {
    await sql`INSERT INTO customers (phone) VALUES ('573009990001')`;
    const checks = await postMigrationChecks(sql);
    expect(checks.find((c) => c.name === 'every customer has an identity')).toMatchObject({ ok: false, detail: expect.stringMatching(/^1 customers and 0 guest profiles have no id in customer_identities \(e\.g\. 573009990001\)/) });
    await sql`INSERT INTO customer_identities (kind, value, customer_key) VALUES ('phone', '573009990001', '573009990001')`;
    await sql`DROP INDEX customer_identities_one_current`;
    await sql`INSERT INTO customer_identities (kind, value, customer_key) VALUES ('phone', '573009990002', '573009990001')`;
    const again = await postMigrationChecks(sql);
    expect(again.find((c) => c.name === 'one current id of each kind per customer')).toMatchObject({ ok: false, detail: '1 customers have two current ids of one kind' });
  });
});
