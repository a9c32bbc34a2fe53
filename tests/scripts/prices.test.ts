import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPrices } from '../../src/billing/prices.ts';
import { runScript } from '../support/run-script.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { newQueuePrefix, REDIS_URL } from '../support/test-runtime.ts';

// `npm run prices`: the WhatsApp rate card the cost estimate uses. A malformed command line exits 2 with
// the usage; a refused price exits 1 with the reason; neither touches the table.

let db: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: newQueuePrefix() };
});
afterAll(async () => { await db?.drop(); });

const prices = (...args: string[]) => runScript('prices.ts', args, env);

describe('npm run prices', () => {
  it('starts empty, sets and replaces a price per category and country, lists and removes them', async () => {
    expect((await prices('list')).stdout).toMatch(/^no prices set/);
    expect(await prices('set', 'marketing', 'CO', '0.0125')).toMatchObject({ code: 0, stdout: 'set marketing  CO  US$ 0.0125\n' });
    expect((await prices('set', 'marketing', '*', '0.05')).code).toBe(0);
    expect((await prices('set', 'marketing', 'CO', '0.0131')).code).toBe(0);
    expect((await prices('list')).stdout).toBe('marketing  CO  US$ 0.0131\nmarketing  *  US$ 0.05\n');
    expect(await prices('remove', 'marketing', '*')).toMatchObject({ code: 0, stdout: 'removed marketing *\n' });
    expect((await listPrices(db.sql)).map((p) => [p.category, p.country, p.priceUsd])).toEqual([['marketing', 'CO', 0.0131]]);
  });

  it('refuses a price that is not one, a country that is not a code, and removing what is not there (exit 1, table untouched)', async () => {
    const before = await listPrices(db.sql);
    expect(await prices('set', 'marketing', 'Colombia', '0.01')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^country must be an ISO 3166 code such as CO/) });
    expect(await prices('set', 'marketing', 'CO', '0,0125')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^price must be US\$ per message like 0\.0125/) });
    expect(await prices('set', 'Marketing!', 'CO', '0.01')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^category must be one of Meta's/) });
    expect(await prices('remove', 'utility', 'PE')).toMatchObject({ code: 1, stderr: 'no price for utility PE\n' });
    expect(await listPrices(db.sql)).toEqual(before);
  });

  it('answers a malformed command line with one line and the usage, exit 2', async () => {
    for (const [args, problem] of [[[], 'give a command'], [['price'], 'unknown command price'], [['set', 'marketing', 'CO'], 'set takes 3 argument(s), got 2'], [['list', '--all'], "unknown option '--all'"]] as [string[], string][]) {
      const run = await prices(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`${problem}; usage: npm run prices -- list | set CATEGORY COUNTRY USD | remove CATEGORY COUNTRY (e.g. set marketing CO 0.0125)\n`);
    }
  });
});
