// npm run shipping -- list | set CODE [flags] | remove CODE
// The delivery options checkout charges and the facts answers quote, for owners without HTTP tooling
// (the same rules as PUT/DELETE /admin/api/shipping). Seen by the next customer: nothing caches them.
// Exit 0: done. 1: refused (the reason printed) or the database unreachable. 2: a malformed command line.
import { parseArgs } from 'node:util';
import {
  listAllShippingOptions, putShippingOption, removeShippingOption, type ShippingOptionChange, type ShippingOptionRecord,
} from '../src/commerce/shipping-options.ts';
import { formatMoney } from '../src/lib/money.ts';
import { runCommand } from './cli.ts';

const USAGE = `usage: npm run shipping -- list
       npm run shipping -- set CODE [--name TEXT] [--description TEXT|none] [--cost AMOUNT]
                               [--free-from AMOUNT|none] [--min-days N|none] [--max-days N|none]
                               [--business-days true|false] [--active true|false] [--sort N]
       npm run shipping -- remove CODE

  set      creates CODE (needs --name and --cost) or changes only the flags given
  remove   deletes CODE, or deactivates it when orders use it
  AMOUNT   whole pesos without separators (7000), or with two decimals (49.90)
  none     clears the value: never free, no description, no time estimate

example: npm run shipping -- set estandar --cost 7000 --free-from 120000 --description "En Medellín, 1 a 2 días hábiles"`;

class UsageError extends Error {}

const FLAGS = {
  name: { type: 'string' }, description: { type: 'string' }, cost: { type: 'string' }, 'free-from': { type: 'string' },
  'min-days': { type: 'string' }, 'max-days': { type: 'string' }, 'business-days': { type: 'string' }, active: { type: 'string' },
  sort: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

let parsed: { command: string; code?: string; change: ShippingOptionChange };
try {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: FLAGS, allowPositionals: true, strict: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const [command, code, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')} (quote a name or description with spaces)`);
  if (!['list', 'set', 'remove'].includes(command)) throw new UsageError(command ? `unknown command ${command}` : 'give a command');
  if (command === 'list' ? code !== undefined : code === undefined) throw new UsageError(command === 'list' ? 'list takes no code' : `${command} needs a CODE`);
  const change = changeFrom(values);
  if (command !== 'set' && Object.keys(change).length) throw new UsageError(`${command} takes no flags`);
  if (command === 'set' && !Object.keys(change).length) throw new UsageError('set needs at least one flag to change');
  parsed = { command, code, change };
} catch (error) {
  // parseArgs's own refusals (an unknown flag, a missing value) are usage errors too
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

await runCommand(async ({ sql }) => {
  const { command, code, change } = parsed;
  if (command === 'list') {
    for (const o of await listAllShippingOptions(sql)) console.log(describe(o));
    return 0;
  }
  if (command === 'set') {
    const result = await putShippingOption(sql, code!, change);
    if (!result.ok) {
      console.error(result.problem);
      return 1;
    }
    console.log(`${result.created ? 'created' : 'updated'}: ${describe(result.option)}`);
    return 0;
  }
  const result = await removeShippingOption(sql, code!);
  if (!result.ok) {
    console.error(result.problem);
    return 1;
  }
  console.log(result.outcome === 'deleted' ? `deleted ${code}` : `deactivated ${code}: ${result.orders} order(s) use it, so it is kept for them and no longer offered`);
  return 0;
});

function changeFrom(v: Partial<Record<Exclude<keyof typeof FLAGS, 'help'>, string>>): ShippingOptionChange {
  const change: ShippingOptionChange = {};
  if (v.name !== undefined) change.name = v.name;
  if (v.description !== undefined) change.description = v.description === 'none' ? null : v.description;
  if (v.cost !== undefined) change.cost = amount('--cost', v.cost);
  if (v['free-from'] !== undefined) change.freeFrom = v['free-from'] === 'none' ? null : amount('--free-from', v['free-from']);
  if (v['min-days'] !== undefined) change.minDays = v['min-days'] === 'none' ? null : whole('--min-days', v['min-days']);
  if (v['max-days'] !== undefined) change.maxDays = v['max-days'] === 'none' ? null : whole('--max-days', v['max-days']);
  if (v['business-days'] !== undefined) change.businessDays = yesNo('--business-days', v['business-days']);
  if (v.active !== undefined) change.isActive = yesNo('--active', v.active);
  if (v.sort !== undefined) change.sortOrder = whole('--sort', v.sort);
  return change;
}

// "7.000" is seven thousand to a Colombian and seven to Number(): refused rather than guessed
function amount(flag: string, text: string): number {
  if (/^\d+(\.\d{1,2})?$/.test(text)) return Number(text);
  const hint = /^\d{1,3}([.,]\d{3})+$/.test(text) ? ` (write it without thousands separators: ${text.replace(/[.,]/g, '')})` : '';
  throw new UsageError(`${flag} must be an amount like 7000 or 49.90, not ${JSON.stringify(text)}${hint}`);
}

function whole(flag: string, text: string): number {
  if (!/^\d{1,6}$/.test(text)) throw new UsageError(`${flag} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

function yesNo(flag: string, text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new UsageError(`${flag} must be true or false, not ${JSON.stringify(text)}`);
  return text === 'true';
}

function describe(o: ShippingOptionRecord): string {
  const price = o.cost === 0 ? 'free' : `${formatMoney(o.cost)}${o.freeFrom !== null ? `, free from ${formatMoney(o.freeFrom)}` : ''}`;
  const days = o.minDays !== null && o.maxDays !== null ? `, ${o.minDays === o.maxDays ? o.minDays : `${o.minDays}–${o.maxDays}`} ${o.businessDays ? 'business' : 'calendar'} day(s)` : '';
  return `${o.code}  ${o.isActive ? 'active' : 'INACTIVE'}  sort ${o.sortOrder}  "${o.name}"  ${price}${days}${o.description ? `  — ${o.description}` : ''}`;
}
