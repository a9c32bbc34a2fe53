// npm run config -- list | get KEY | set KEY VALUE
// Run-time switches in system_config (use_ai_providers, use_redis_sessions, …): every process sees a
// change within seconds, without a redeploy. Only the settings the code reads (src/crm/setting-rules.ts)
// can be read or set; any other name is refused with the list of them.
import { listSettings, readSetting, writeSetting } from '../src/crm/system-config.ts';
import { isSettingName, unknownSetting, validateSetting } from '../src/crm/setting-rules.ts';
import { runCommand } from './cli.ts';
import { readCommandLine, usageError } from './command-line.ts';

const USAGE = 'npm run config -- list | get KEY | set KEY VALUE';
const { positionals } = readCommandLine(USAGE, { allowPositionals: true });
const [command, key, value] = positionals;
const arity = { list: 1, get: 2, set: 3 }[command as string];
if (arity === undefined) usageError(USAGE, command ? `unknown command ${command}` : 'give a command');
if (positionals.length !== arity) usageError(USAGE, `${command} takes ${arity - 1 || 'no'} argument(s), got ${positionals.length - 1}`);

await runCommand(async ({ sql }) => {
  if (command === 'list') {
    for (const s of await listSettings(sql)) console.log(`${s.key} = ${s.value}${s.description ? `    # ${s.description}` : ''}`);
    return 0;
  }
  if (!isSettingName(key)) {
    console.error(unknownSetting(key));
    return 1;
  }
  if (command === 'get') {
    const v = await readSetting(sql, key);
    if (v === undefined) {
      console.error(`${key} is not set: the default applies (run npm run migrate to seed it)`);
      return 1;
    }
    console.log(v);
    return 0;
  }
  const problem = validateSetting(key, value);
  if (problem) {
    console.error(problem);
    return 1;
  }
  await writeSetting(sql, key, value, 'command line');
  console.log(`${key} = ${value} (takes effect within a few seconds)`);
  return 0;
});
