// npm run prices -- list | set CATEGORY COUNTRY USD | remove CATEGORY COUNTRY
// Meta's rate card as the business keeps it (whatsapp_prices): what the dashboard and /metrics estimate
// WhatsApp's charges with, US$ per delivered billable message by category (marketing, utility,
// authentication, service…) and the recipient's country (ISO 3166, e.g. CO; * for every other country).
// Meta revises its rates every quarter: set them from the rate card it publishes.
// Exit 0: done. 1: refused (the reason printed) or the database unreachable. 2: a malformed command line.
import { listPrices, priceProblem, removePrice, setPrice } from '../src/billing/prices.ts';
import { runCommand } from './cli.ts';
import { readCommandLine, usageError } from './command-line.ts';

const USAGE = 'npm run prices -- list | set CATEGORY COUNTRY USD | remove CATEGORY COUNTRY (e.g. set marketing CO 0.0125)';

const { positionals } = readCommandLine(USAGE, { allowPositionals: true });
const [command, ...args] = positionals;
const arity: Record<string, number> = { list: 0, set: 3, remove: 2 };
if (command === undefined) usageError(USAGE, 'give a command');
if (!(command in arity)) usageError(USAGE, `unknown command ${command}`);
if (args.length !== arity[command]) usageError(USAGE, `${command} takes ${arity[command] || 'no'} argument(s), got ${args.length}`);

await runCommand(async ({ sql }) => {
  if (command === 'list') {
    const prices = await listPrices(sql);
    if (!prices.length) console.log('no prices set: billable messages are counted, their cost is not estimated');
    for (const p of prices) console.log(`${p.category}  ${p.country}  US$ ${p.priceUsd}`);
    return 0;
  }
  const [category, country, priceUsd] = args;
  if (command === 'set') {
    const problem = priceProblem({ category, country, priceUsd });
    if (problem) {
      console.error(problem);
      return 1;
    }
    const p = await setPrice(sql, category, country, priceUsd);
    console.log(`set ${p.category}  ${p.country}  US$ ${p.priceUsd}`);
    return 0;
  }
  if (!(await removePrice(sql, category, country))) {
    console.error(`no price for ${category} ${country}`);
    return 1;
  }
  console.log(`removed ${category} ${country}`);
  return 0;
});
