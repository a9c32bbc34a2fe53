// npm run config -- list | get KEY | set KEY VALUE
// Run-time switches in system_config (use_ai_providers, use_redis_sessions, …): every process sees a
// change within seconds, without a redeploy.
import { listSettings, readSetting, writeSetting } from '../src/crm/system-config.ts';
import { validateSetting } from '../src/crm/setting-rules.ts';
import { runCommand } from './cli.ts';

const USAGE = 'usage: npm run config -- list | get KEY | set KEY VALUE';
const [command, key, value] = process.argv.slice(2);

await runCommand(async ({ sql }) => {
  switch (command) {
    case 'list':
      for (const s of await listSettings(sql)) console.log(`${s.key} = ${s.value}${s.description ? `    # ${s.description}` : ''}`);
      return 0;
    case 'get': {
      if (!key) break;
      const v = await readSetting(sql, key);
      if (v === undefined) {
        console.error(`no setting named ${key}`);
        return 1;
      }
      console.log(v);
      return 0;
    }
    case 'set': {
      if (!key || value === undefined) break;
      const problem = validateSetting(key, value);
      if (problem) {
        console.error(problem);
        return 1;
      }
      await writeSetting(sql, key, value);
      console.log(`${key} = ${value} (takes effect within a few seconds)`);
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
});
