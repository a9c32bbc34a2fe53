// npm run erase:customer -- KEY --yes [--by NAME] | KEY --check
// A customer's data erased on request (Ley 1581): the same erasure as DELETE /admin/api/customers/:phone
// (src/crm/erasure.ts). KEY is their chat id, the number's digits with the country code (573001234567).
// --check says whether (and when, by whom) a number was erased, without erasing anything.
// Exit 0: done (or, with --check, found). 1: nothing known / never erased, or the database unreachable. 2: a malformed command line.
import { CUSTOMER_KEY, eraseCustomer, erasuresOf } from '../src/crm/erasure.ts';
import { customerKeyFor } from '../src/crm/find-customer.ts';
import { createProducerRedis } from '../src/queues/redis.ts';
import { forgetCustomerInRedis } from '../src/roles/forget-customer.ts';
import { runCommand } from './cli.ts';
import { readCommandLine, usageError } from './command-line.ts';

const USAGE = 'npm run erase:customer -- KEY --yes [--by NAME] | KEY --check';
const { values, positionals } = readCommandLine(USAGE, {
  allowPositionals: true,
  options: { yes: { type: 'boolean' }, check: { type: 'boolean' }, by: { type: 'string' } },
});
if (positionals.length !== 1) usageError(USAGE, positionals.length ? `one KEY only, got ${positionals.length}` : 'give the customer\'s KEY (their number with the country code)');
const [key] = positionals;
if (!CUSTOMER_KEY.test(key)) usageError(USAGE, `${JSON.stringify(key)} is not a customer key: digits with the country code, such as 573001234567`);
if (values.check && (values.yes || values.by !== undefined)) usageError(USAGE, '--check erases nothing: it takes no --yes or --by');
if (!values.check && !values.yes) usageError(USAGE, 'erasing cannot be undone: add --yes to do it');
if (values.by !== undefined && !values.by.trim()) usageError(USAGE, '--by needs a name');

await runCommand(async ({ config, sql }) => {
  if (values.check) {
    const found = await erasuresOf(sql, key);
    if (!found.length) {
      console.log(`${key} was never erased`);
      return 1;
    }
    for (const e of found) console.log(`erased ${e.erasedAt.toISOString()} by ${e.erasedBy} (erasure ${e.id})`);
    return 0;
  }
  const erasure = await eraseCustomer(sql, await customerKeyFor(sql, key), values.by?.trim() || 'command line');
  if (!erasure) {
    console.error(`nothing is known about ${key}: nothing erased`);
    return 1;
  }
  const redis = createProducerRedis(config.REDIS_URL, { lazyConnect: true });
  redis.on('error', () => {}); // said below, once
  try {
    await redis.connect();
    await forgetCustomerInRedis(redis, config.QUEUE_PREFIX, key);
  } catch (error) {
    console.error(`warning: Redis copies not deleted (${(error as Error).message}); they expire by themselves within a day`);
  } finally {
    redis.disconnect();
  }
  console.log(`erased ${key} (erasure ${erasure.id}):`);
  for (const [what, n] of Object.entries(erasure.rowCounts)) if (n) console.log(`  ${what}: ${n}`);
  return 0;
});
