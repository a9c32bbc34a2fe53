import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { envSchema, STAGES } from '../../src/config/schema.ts';

// The Dockerfile and compose.yaml (issue 17). No Docker engine runs on these machines, so no image is built
// and no container starts here (README *Containers* says so). What can be checked is: the files parse; the
// compose services are the Procfile's processes with the same commands; every variable they set is one the
// service reads, and their environment is a valid configuration; Redis keeps its data and never evicts;
// every long-running service has a health check; the image copies every file the commands import and
// installs every package they import as a production dependency; `docker compose config` accepts the
// file where a compose command is installed.

const root = resolve(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  restart?: string;
  ports?: string[];
}
// compose reads YAML 1.1 merge keys (<<: *anchor)
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const appServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

const procfile = new Map(read('Procfile').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] as const));

/** .env.example as compose's env_file reads it. */
const envExample = Object.fromEntries(read('.env.example').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const SCHEMA_KEYS = new Set(Object.keys(envSchema.shape));

describe('compose.yaml', () => {
  it('brings up PostgreSQL, Redis, the migrations and every Procfile process', () => {
    expect(Object.keys(services).sort()).toEqual(['converse', 'ingest', 'maintenance', 'migrate', 'outbound', 'postgres', 'redis', 'web'].sort());
    // one compose service per Procfile process, release being the migrations
    const byProcess: Record<string, string> = { release: 'migrate' };
    for (const process of procfile.keys()) expect(services[byProcess[process] ?? process], process).toBeDefined();
  });

  it('runs each process with the Procfile\'s command, and each stage alone', () => {
    expect(procfile.get('release')).toBe('npm run migrate');
    expect(services.migrate.command).toEqual(['node', 'scripts/migrate.ts']); // what `npm run migrate` runs
    expect(procfile.get('web')).toBe('exec npm run start:web');
    expect(services.web.command).toEqual(['node', 'scripts/start.ts', '--role', 'web']);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.migrate).toBe('node scripts/migrate.ts');
    expect(scripts['start:web']).toBe('exec node scripts/start.ts --role web');
    expect(scripts['start:worker']).toBe('exec node scripts/start.ts --role worker');
    for (const stage of STAGES) {
      expect(procfile.get(stage)).toBe(`exec env WORKER_STAGES=${stage} npm run start:worker`);
      expect(services[stage].command, stage).toEqual(['node', 'scripts/start.ts', '--role', 'worker']);
      expect(services[stage].environment!.WORKER_STAGES, stage).toBe(stage);
    }
  });

  it('sets only variables the service reads, and each service\'s environment is a valid configuration', () => {
    for (const [name, s] of appServices) {
      expect(s.env_file, name).toBe('.env');
      for (const key of Object.keys(s.environment ?? {})) expect(SCHEMA_KEYS.has(key), `${name}: ${key} is not in src/config/schema.ts`).toBe(true);
      // env_file first, environment over it, as compose does; ${VAR:-default} as compose fills it with nothing set
      const env = { ...envExample, ...Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')])) };
      const config = loadConfig(env);
      expect(config.DATABASE_URL, name).toBe('postgres://postgres:postgres@postgres:5432/whatsapp');
      expect(config.REDIS_URL, name).toBe('redis://redis:6379');
      if ((STAGES as readonly string[]).includes(name)) expect(config.WORKER_STAGES, name).toEqual([name]);
    }
    for (const key of Object.keys(envExample)) expect(SCHEMA_KEYS.has(key), `.env.example: ${key}`).toBe(true);
    // and .env.example names every setting but the two for tests
    for (const key of SCHEMA_KEYS) if (!['NODE_ENV', 'FAULT_INJECT'].includes(key)) expect(envExample, key).toHaveProperty(key);
  });

  it('gives Redis AOF persistence and noeviction, and both stores a volume', () => {
    const command = services.redis.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--appendfsync everysec');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(services.redis.image).toMatch(/^redis:(7|8)/); // Redis 6.2 or later (README *Redis settings*)
    expect(services.postgres.image).toMatch(/^postgres:(1[4-9])/); // PostgreSQL 14 or later (src/roles/preflight.ts)
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'redis-data']);
  });

  it('checks the health of every long-running service and starts the processes after the migrations', () => {
    expect(services.postgres.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(services.redis.healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(services.web.healthcheck!.test).toEqual(['CMD', 'node', 'scripts/healthcheck.ts', '--role', 'web']);
    for (const stage of STAGES) expect(services[stage].healthcheck!.test, stage).toEqual(['CMD', 'node', 'scripts/healthcheck.ts', '--role', 'worker']);
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate.restart).toBe('no');
    for (const name of ['web', ...STAGES]) {
      expect(services[name].depends_on, name).toEqual({ migrate: { condition: 'service_completed_successfully' }, redis: { condition: 'service_healthy' } });
      expect(services[name].restart, name).toBe('unless-stopped');
    }
    expect(services.web.ports).toEqual(['${WEB_PORT:-3000}:3000']);
  });

  it('lets a stopping process drain before Docker kills it', () => {
    const { SHUTDOWN_TIMEOUT_MS } = loadConfig({});
    for (const [name, s] of appServices) expect(Number(s.stop_grace_period!.replace(/s$/, '')) * 1000, name).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS + 5000);
  });
});

// ── Dockerfile ─────────────────────────────────────────────────────────────────────────────────────────────

/** Instructions in order, continuation lines joined, comments dropped. */
const instructions = read('Dockerfile').replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))
  .map((l) => { const [word, ...rest] = l.trim().split(/\s+/); return { word: word.toUpperCase(), args: rest.join(' ') }; });
const stages = instructions.reduce<{ word: string; args: string }[][]>((all, i) => (i.word === 'FROM' ? [...all, [i]] : (all.at(-1)!.push(i), all)), []);
const final = stages.at(-1)!;

/** Every file a script loads at run time, following relative imports from `entries` (type-only imports are erased). */
function importGraph(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = entries.map((e) => join(root, e));
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    const specifiers = [
      ...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
      ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specifiers) {
      if (s.startsWith('node:')) continue;
      if (s.startsWith('.')) pending.push(resolve(dirname(file), s));
      else packages.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
    }
  }
  return { files, packages };
}

describe('Dockerfile', () => {
  it('builds on Node 24 and runs as an unprivileged user', () => {
    for (const stage of stages) expect(stage[0].args, 'every stage').toMatch(/^node:24[.-]/);
    const users = final.filter((i) => i.word === 'USER').map((i) => i.args);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    // nothing runs as root after USER: the last RUN comes before it
    const lastUser = final.findLastIndex((i) => i.word === 'USER');
    expect(final.slice(lastUser).some((i) => i.word === 'RUN')).toBe(false);
  });

  it('installs every dependency for the patches, then keeps the production ones only', () => {
    const run = stages[0].filter((i) => i.word === 'RUN').map((i) => i.args).join(' && ');
    expect(run).toMatch(/npm ci\b/);
    expect(run).toMatch(/npm prune --omit=dev\b/);
    expect(stages[0].some((i) => i.word === 'COPY' && /^patches\b/.test(i.args))).toBe(true);
    expect(final.some((i) => i.word === 'COPY' && /--from=dependencies \/app\/node_modules/.test(i.args))).toBe(true);
  });

  it('starts the service in exec form (the signal reaches node), with a health check, and copies all it imports', () => {
    const cmd = final.find((i) => i.word === 'CMD')!;
    expect(JSON.parse(cmd.args)).toEqual(['node', 'scripts/start.ts']);
    expect(final.find((i) => i.word === 'HEALTHCHECK')!.args).toMatch(/CMD \["node", "scripts\/healthcheck\.ts", "--role", "web"\]/);
    const copied = final.filter((i) => i.word === 'COPY' && !i.args.startsWith('--from')).map((i) => i.args.split(/\s+/)[0]);
    // every command the image or compose.yaml runs, and every npm script's file
    const commands = ['scripts/start.ts', 'scripts/migrate.ts', 'scripts/healthcheck.ts', ...Object.values((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts)
      .map((s) => /node (scripts\/[\w-]+\.ts)/.exec(s)?.[1]).filter((s): s is string => Boolean(s))];
    const { files, packages } = importGraph([...new Set(commands)]);
    for (const file of files) {
      const top = relative(root, file).split('/')[0];
      expect(copied, `${relative(root, file)} is imported but ${top}/ is not copied into the image`).toContain(top);
    }
    const { dependencies, devDependencies } = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const pkg of packages) {
      expect(dependencies, `${pkg} is imported at run time${devDependencies[pkg] ? ' but is a devDependency (pruned from the image)' : ''}`).toHaveProperty(pkg);
    }
  });

  it('keeps secrets and build leftovers out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.env', '.git', 'tests']) expect(ignored).toContain(entry);
  });
});

// `docker compose config` validates the file against the Compose schema without an engine. The compose
// plugin is not installed on these machines; Debian's docker-compose (1.29) is, where someone installed it.
function composeCommand(): string[] | undefined {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return ['docker', 'compose'];
  } catch {}
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return ['docker-compose'];
  } catch {}
  return undefined;
}
const composeCli = composeCommand();
if (!composeCli) console.warn('neither `docker compose` nor `docker-compose` is installed: compose.yaml is checked by the tests above only');

describe.skipIf(!composeCli)('docker compose config', () => {
  it('accepts compose.yaml with .env.example as .env', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      for (const f of ['compose.yaml', 'Dockerfile']) cpSync(join(root, f), join(dir, f));
      cpSync(join(root, '.env.example'), join(dir, '.env'));
      const [command, ...args] = composeCli!;
      const result = await new Promise<{ code: number; stderr: string; stdout: string }>((done) =>
        execFile(command, [...args, 'config'], { cwd: dir }, (error, stdout, stderr) => done({ code: error ? 1 : 0, stderr, stdout })));
      expect(result.stderr.replace(/^.*(Found orphan|version).*$/gm, '').trim(), result.stderr).toBe('');
      expect(result.code).toBe(0);
      const resolved = parse(result.stdout) as { services: Record<string, Service> };
      expect(resolved.services.converse.environment!.WORKER_STAGES).toBe('converse');
      expect(resolved.services.web.environment!.DATABASE_URL).toBe('postgres://postgres:postgres@postgres:5432/whatsapp');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('the container files exist', () => {
  for (const f of ['Dockerfile', 'compose.yaml', '.dockerignore', 'scripts/healthcheck.ts']) expect(existsSync(join(root, f)), f).toBe(true);
});
