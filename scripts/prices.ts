// npm run prices -- list | set CATEGORY COUNTRY USD | remove CATEGORY COUNTRY
// Meta's rate card as the business keeps it (whatsapp_prices): what the dashboard and /metrics estimate
// WhatsApp's charges with. Meta revises its rates every quarter; set them from the rate card it publishes.
// Exit 0: done. 1: refused (the reason printed) or the database unreachable. 2: a malformed command line.
import { parseArgs } from 'node:util';
import { listPrices, priceProblem, removePrice, setPrice } from '../src/billing/prices.ts';
import { runCommand } from './cli.ts';

const USAGE = `usage: npm run prices -- list
       npm run prices -- set CATEGORY COUNTRY USD
       npm run prices -- remove CATEGORY COUNTRY

  CATEGORY  marketing, utility, authentication, authentication_international, service…
  COUNTRY   the recipient's country, ISO 3166 (CO, MX, US…), or * for every country without its own price
  USD       US$ per delivered message, as on Meta's rate card (0.0125)

example: npm run prices -- set marketing CO 0.0125`;

let parsed: { command: string; args: string[] };
try {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const [command, ...args] = positionals;
  const arity: Record<string, number> = { list: 0, set: 3, remove: 2 };
  if (!(command in arity)) throw new Error(command ? `unknown command ${command}` : 'give a command');
  if (args.length !== arity[command]) throw new Error(`${command} takes ${arity[command] || 'no'} argument(s), got ${args.length}`);
  parsed = { command, args };
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

await runCommand(async ({ sql }) => {
  const { command, args } = parsed;
  if (command === 'list') {
    const prices = await listPrices(sql);
    if (!prices.length) console.log('no prices set: billable messages are counted, their cost is not estimated (npm run prices -- set …)');
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
    console.log(`set: ${p.category}  ${p.country}  US$ ${p.priceUsd}`);
    return 0;
  }
  if (!(await removePrice(sql, category, country))) {
    console.error(`no price for ${category} ${country}`);
    return 1;
  }
  console.log(`removed ${category} ${country}`);
  return 0;
});
