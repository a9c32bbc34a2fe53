import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/spawn-service.ts';
import { isAlive, portOpen, startCommand, type StartedCommand } from '../support/spawn-command.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { dropQueuePrefix, newQueuePrefix, until } from '../support/test-runtime.ts';

// Railway, Docker and most supervisors signal only the top process of what they started (issue 13: npm
// and its shell died on SIGTERM, the service kept running with parent 1, still holding the port). Each
// documented start command is run here as a deployment runs it, the top process alone is signalled, and
// the service must drain and exit, leaving nothing behind.

const root = new URL('../../', import.meta.url);
const procfile = new Map(
  readFileSync(new URL('Procfile', root), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] as const),
);
const { apps } = createRequire(import.meta.url)(new URL('ecosystem.config.cjs', root).pathname) as { apps: { name: string; script: string; args: string; kill_signal?: string }[] };
const pm2App = (name: string) => apps.find((a) => a.name === name)!;

const prefix = newQueuePrefix();
let db: TestDatabase;
const started: StartedCommand[] = [];
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => {
  for (const s of started) s.killGroup();
  await db?.drop();
  await dropQueuePrefix(prefix);
});

interface Case {
  name: string;
  /** How the platform starts it: argv of the top process. */
  argv: () => [string, string[]];
  web: boolean;
  signal?: NodeJS.Signals;
  env?: Record<string, string>;
}

const cases: Case[] = [
  { name: 'npm start', argv: () => ['npm', ['start']], web: true },
  { name: 'npm run start:worker', argv: () => ['npm', ['run', 'start:worker']], web: false, env: { WORKER_STAGES: 'ingest,outbound' } },
  // Procfile lines (Railway, Heroku-style platforms) run through a shell, which is then the top process
  { name: "the Procfile's web command", argv: () => ['sh', ['-c', procfile.get('web')!]], web: true },
  { name: "the Procfile's converse command", argv: () => ['sh', ['-c', procfile.get('converse')!]], web: false },
  // pm2 runs `script args` without a shell and stops it with its kill_signal (SIGINT unless set)
  { name: "pm2's wa-web app", argv: () => [pm2App('wa-web').script, pm2App('wa-web').args.split(' ')], web: true, signal: (pm2App('wa-web').kill_signal ?? 'SIGINT') as NodeJS.Signals },
];

describe('a stop signal sent to the top process of a documented start command', () => {
  it.each(cases)('$name: the service logs its shutdown, exits 0, frees the port and leaves no process behind', async (c) => {
    const port = await freePort();
    const [file, args] = c.argv();
    const run = startCommand(file, args, { DATABASE_URL: db.url, QUEUE_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', MESSAGE_BUFFER_MS: '0', ...c.env });
    started.push(run);
    const ready = c.web
      ? () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)
      : () => /"msg":"workers started"/.test(run.output());
    expect(await until(ready, 30_000, 100), run.output()).toBe(true);
    const pid = run.servicePid();
    expect(pid, run.output()).toBeTypeOf('number');

    process.kill(run.child.pid!, c.signal ?? 'SIGTERM'); // the top process only, as a supervisor does
    const top = await Promise.race([run.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 25_000))]);
    expect(await until(() => !isAlive(pid!), 10_000, 100), `service pid ${pid} still running after its top process exited`).toBe(true);
    expect(run.output()).toMatch(/"msg":"shutting down"/);
    expect(top).toEqual({ code: 0, signal: null });
    if (c.web) expect(await portOpen(port)).toBe(false);
  });
});
