import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { STAGES } from '../../src/config/schema.ts';

// Procfile (Railway, Heroku-style platforms) and ecosystem.config.cjs (pm2) start the web role and every
// stage as a process of its own, so each scales apart. A stage added to STAGES without a process here
// would silently never run in those deployments.

const root = new URL('../../', import.meta.url);
const procfile = new Map(
  readFileSync(new URL('Procfile', root), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as const;
    }),
);
interface Pm2App { name: string; script: string; args: string; instances: number; exec_mode: string; kill_timeout: number; env?: Record<string, string> }
// pm2 reads the file with require(): so does this test
const { apps } = createRequire(import.meta.url)(new URL('ecosystem.config.cjs', root).pathname) as { apps: Pm2App[] };
const stagesOf = (workerStages: string) => loadConfig({ WORKER_STAGES: workerStages }).WORKER_STAGES;

describe('Procfile', () => {
  it('migrates on release and runs the web role', () => {
    expect(procfile.get('release')).toBe('npm run migrate');
    expect(procfile.get('web')).toBe('exec npm run start:web');
  });

  it('execs npm from the shell the platform runs a line with, so a stop signal reaches npm and through it the service', () => {
    // dash (Debian's sh) does not replace itself with the last command: without exec the shell is the
    // top process, dies on SIGTERM and leaves the service running (tests/process/stop-signal.test.ts)
    for (const [name, command] of procfile) if (name !== 'release') expect(command, name).toMatch(/^exec /);
  });

  it.each(STAGES)('runs the %s stage as its own process type, and only it', (stage) => {
    const command = procfile.get(stage);
    expect(command).toMatch(/^exec env WORKER_STAGES=(\S+) npm run start:worker$/);
    expect(stagesOf(/WORKER_STAGES=(\S+)/.exec(command!)![1])).toEqual([stage]);
  });

  it('has no worker process that takes every stage at once', () => {
    for (const [name, command] of procfile) if (/start:worker/.test(command)) expect(command, name).toMatch(/^exec env WORKER_STAGES=/);
  });
});

describe('package.json start scripts', () => {
  const { scripts } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
  it.each(['start', 'start:web', 'start:worker'])('%s execs node, so npm signals the service itself, not a shell', (name) => {
    expect(scripts[name]).toMatch(/^exec node scripts\/start\.ts\b/);
  });
});

describe('ecosystem.config.cjs (pm2)', () => {
  it('runs the web role once', () => {
    const web = apps.filter((a) => a.args === 'run start:web');
    expect(web).toMatchObject([{ name: 'wa-web', script: 'npm', instances: 1 }]);
  });

  it.each(STAGES)('runs the %s stage as its own app', (stage) => {
    const app = apps.find((a) => a.env?.WORKER_STAGES === stage);
    expect(app).toMatchObject({ name: `wa-${stage}`, script: 'npm', args: 'run start:worker', exec_mode: 'fork' });
    expect(stagesOf(app!.env!.WORKER_STAGES)).toEqual([stage]);
  });

  it('gives a process time to finish its jobs before pm2 kills it', () => {
    // SIGINT/SIGTERM: SHUTDOWN_TIMEOUT_MS to drain, then scripts/start.ts forces itself out 5 s later
    const { SHUTDOWN_TIMEOUT_MS } = loadConfig({});
    for (const app of apps) expect(app.kill_timeout, app.name).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS + 5000);
  });
});
