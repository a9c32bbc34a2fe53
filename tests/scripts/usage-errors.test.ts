import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.ts';

// A flag a command does not know is a typo, not something to ignore (issue 13: `migrate --bogus` and
// `config -- list --bogus` ran and exited 0). One readable line naming it and the usage, exit 2, and
// nothing done: the database named here does not exist, so any attempt to use it would say so.

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never_used', REDIS_URL: 'redis://127.0.0.1:1' };
const commands: [string, string[], string][] = [
  ['migrate.ts', [], 'npm run migrate'],
  ['seed-demo.ts', [], 'npm run seed:demo'],
  ['seed-listings.ts', [], 'npm run seed:listings'],
  ['validate-pre.ts', [], 'npm run validate:pre'],
  ['validate-post.ts', [], 'npm run validate:post'],
  ['migrate-sessions.ts', [], 'npm run migrate:sessions'],
  ['classify.ts', [], 'npm run --silent classify'],
  ['config.ts', ['list'], 'npm run config -- list | get KEY | set KEY VALUE'],
  ['prices.ts', ['list'], 'npm run prices -- list | set CATEGORY COUNTRY USD | remove CATEGORY COUNTRY'],
  ['start.ts', [], 'npm start | npm run start:web | npm run start:worker'],
];

describe('an unknown flag', () => {
  it.each(commands)('%s is refused in one line with the usage, exit 2', async (script, args, usage) => {
    const run = await runScript(script, [...args, '--bogus'], env);
    expect(run.stderr.trim()).toMatch(/^unknown option '--bogus'; usage: /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(usage);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });
});

describe('other usage errors', () => {
  it('a stray argument, a missing or unknown config command, a bad --role: one line, exit 2', async () => {
    for (const [script, args, problem] of [
      ['migrate.ts', ['now'], /^Unexpected argument 'now'/],
      ['config.ts', [], /^give a command; usage: npm run config/],
      ['config.ts', ['frobnicate'], /^unknown command frobnicate; usage: npm run config/],
      ['config.ts', ['get'], /^get takes 1 argument\(s\), got 0; usage/],
      ['config.ts', ['list', 'extra'], /^list takes no argument\(s\), got 1; usage/],
      ['start.ts', ['--role', 'cook'], /^unknown --role cook: use all, web or worker; usage: npm start/],
      ['start.ts', ['--role'], /^Option '--role <value>' argument missing; usage: npm start/],
    ] as [string, string[], RegExp][]) {
      const run = await runScript(script, args, env);
      expect(run.stderr.trim(), `${script} ${args.join(' ')}`).toMatch(problem);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.code, `${script} ${args.join(' ')}`).toBe(2);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    expect(await runScript('migrate.ts', ['--help'], env)).toMatchObject({ code: 0, stdout: 'usage: npm run migrate\n' });
  });
});
