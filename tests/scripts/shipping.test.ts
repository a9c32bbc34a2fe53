import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listShippingOptions } from '../../src/commerce/shipping.ts';
import { runScript } from '../support/run-script.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { newQueuePrefix, REDIS_URL } from '../support/test-runtime.ts';

// `npm run shipping`: the delivery options for an owner without HTTP tooling. A malformed command line
// exits 2 with the usage; a refused change exits 1 with the reason; neither touches the table.

let db: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: newQueuePrefix() };
});
afterAll(async () => { await db?.drop(); });

const shipping = (...args: string[]) => runScript('shipping.ts', args, env);
const estandar = async () => (await listShippingOptions(db.sql)).find((o) => o.code === 'estandar');

describe('npm run shipping', () => {
  it('lists the options, and sets the price checkout charges', async () => {
    const list = await shipping('list');
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toContain('estandar  active  sort 1  "Envío estándar"  $12.000, free from $200.000, 2–5 business day(s)  — A todo el país, 2 a 5 días hábiles');
    const set = await shipping('set', 'estandar', '--cost', '7000', '--free-from', '120000', '--description', 'En Medellín, 1 a 2 días hábiles', '--min-days', '1', '--max-days', '2');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('updated: estandar  active  sort 1  "Envío estándar"  $7.000, free from $120.000, 1–2 business day(s)  — En Medellín, 1 a 2 días hábiles\n');
    expect(await estandar()).toEqual({ code: 'estandar', name: 'Envío estándar', description: 'En Medellín, 1 a 2 días hábiles', cost: 7000, freeFrom: 120000 });
  });

  it('creates an option, clears a value with none, and removes or deactivates', async () => {
    const created = await shipping('set', 'moto', '--name', 'Domicilio en moto', '--cost', '5000', '--business-days', 'false', '--min-days', '0', '--max-days', '0', '--sort', '0');
    expect(created).toMatchObject({ code: 0, stdout: 'created: moto  active  sort 0  "Domicilio en moto"  $5.000, 0 calendar day(s)\n' });
    expect((await shipping('set', 'estandar', '--free-from', 'none')).stdout).toMatch(/"Envío estándar"  \$7\.000, 1–2/);
    expect((await estandar())?.freeFrom).toBeNull();
    expect(await shipping('remove', 'moto')).toMatchObject({ code: 0, stdout: 'deleted moto\n' });
    await db.sql`INSERT INTO orders (phone, idempotency_key, customer_name, delivery_address, shipping_code, shipping_cost, subtotal, total, payment_method)
                 VALUES ('573660000001', 'k-cli', 'Ana Ruiz', 'Calle 10 # 43-20, Medellín', 'express', 25000, 50000, 75000, 'cash_on_delivery')`;
    expect(await shipping('remove', 'express')).toMatchObject({ code: 0, stdout: 'deactivated express: 1 order(s) use it, so it is kept for them and no longer offered\n' });
    expect((await shipping('list')).stdout).toMatch(/^express  INACTIVE/m);
  });

  it('refuses a change the rules forbid with the reason, exit 1, nothing changed', async () => {
    for (const [args, reason] of [
      [['set', 'estandar', '--min-days', '3'], 'maxDays (2) is less than minDays (3)'],
      [['set', 'estandar', '--name', 'Envío estándar a todo Medellín'], 'name is 30 characters; WhatsApp shows at most 24'],
      [['set', 'nuevo', '--cost', '1000'], 'no delivery option nuevo yet: creating one needs name and cost'],
      [['remove', 'nada'], 'no delivery option nada'],
    ] as const) {
      expect(await shipping(...args)).toMatchObject({ code: 1, stdout: '', stderr: `${reason}\n` });
    }
    expect(await estandar()).toMatchObject({ name: 'Envío estándar', cost: 7000 });
  });

  it('exits 2 with the usage on a malformed command line, before touching the database', async () => {
    const offline = { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' };
    for (const [args, reason] of [
      [['set', 'estandar', '--cots', '1'], /Unknown option '--cots'/],
      [['set', 'estandar', '--cost', '7.000'], /--cost must be an amount like 7000 or 49.90, not "7.000" \(write it without thousands separators: 7000\)/],
      [['set', 'estandar', '--cost'], /argument missing/],
      [['set', 'estandar', '--active', 'sí'], /--active must be true or false, not "sí"/],
      [['set', 'estandar', '--min-days', '-1'], /Option '--min-days' argument is ambiguous/],
      [['set', 'estandar', '--min-days', '1.5'], /--min-days must be a whole number, not "1.5"/],
      [['set', 'estandar', 'Envío', 'gratis'], /unexpected "Envío" "gratis" \(quote a name or description with spaces\)/],
      [['set', 'estandar'], /set needs at least one flag to change/],
      [['set'], /set needs a CODE/],
      [['remove', 'express', '--cost', '1'], /remove takes no flags/],
      [['frobnicate'], /unknown command frobnicate/],
      [[], /give a command/],
    ] as const) {
      const res = await runScript('shipping.ts', [...args], offline);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(reason);
      expect(res.stderr).toContain('usage: npm run shipping -- list');
    }
    // well formed, but the database is away: a failure, not a usage error
    const down = await runScript('shipping.ts', ['list'], offline);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: /);
    expect(down.stderr).not.toMatch(/    at /);
  });
});
