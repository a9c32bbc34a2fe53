import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importLegacy } from '../../src/crm/legacy-import.ts';
import { normalisePhone, parseLegacyDate, parseProfiles } from '../../src/crm/legacy-records.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const CLI = fileURLToPath(new URL('../../scripts/import-legacy.ts', import.meta.url));

let db: TestDatabase;
let work: string;

beforeAll(async () => {
  db = await createTestDatabase();
  work = await mkdtemp(join(tmpdir(), 'legacy-import-'));
});
afterAll(async () => {
  await db?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.sql`TRUNCATE guest_profiles`;
});

// Records as the old bot wrote them.
const thread = (over: Record<string, unknown> = {}) => ({
  threadId: 'thread_abc',
  chatId: '573001112233@s.whatsapp.net',
  userName: 'ana',
  createdAt: '2024-01-10T09:00:00.000Z',
  lastActivity: '2024-03-01T18:30:00.000Z',
  ...over,
});
const profile = (over: Record<string, unknown> = {}) => ({
  id: 'guest_1',
  name: 'Ana María',
  phone: '573001112233',
  label: 'VIP',
  whapiLabels: [{ id: 'L1', name: 'Cotización', color: 'rebeccapurple' }, { name: 'Reserva' }],
  firstInteraction: 1_700_000_000_000, // 2023-11-14, epoch ms
  lastInteraction: 1_709_000_000, // 2024-02-27, epoch seconds
  ...over,
});

async function rows() {
  return db.sql<Record<string, unknown>[]>`
    SELECT phone_number, chat_id, thread_id, user_name, labels, profile_data, first_interaction, last_interaction, created_at, updated_at
      FROM guest_profiles ORDER BY phone_number`;
}

describe('import of the old bot files', () => {
  it('reads an array of [phone, record] pairs and an object keyed by phone alike', async () => {
    const pairs = await importLegacy(db.sql, { profiles: { file: 'pairs.json', data: [['573001112233', profile()]] } });
    const asPairs = await rows();
    await db.sql`TRUNCATE guest_profiles`;
    const object = await importLegacy(db.sql, { profiles: { file: 'object.json', data: { '573001112233': profile() } } });
    const asObject = await rows();

    expect(pairs).toMatchObject({ read: 1, imported: 1, rejected: 0 });
    expect(object).toMatchObject({ read: 1, imported: 1, rejected: 0 });
    const strip = (r: Record<string, unknown>[]) => r.map(({ created_at, updated_at, ...rest }) => rest);
    expect(strip(asObject)).toEqual(strip(asPairs));
    expect(asPairs[0]).toMatchObject({
      phone_number: '573001112233',
      chat_id: '573001112233@s.whatsapp.net', // no thread: the WhatsApp id the phone implies
      thread_id: null,
      user_name: 'Ana María',
      labels: ['VIP', 'Cotización', 'Reserva'],
      first_interaction: new Date(1_700_000_000_000),
      last_interaction: new Date(1_709_000_000_000),
    });
  });

  it('merges threads and profiles by phone', async () => {
    const report = await importLegacy(db.sql, {
      threads: {
        file: 'threads.json',
        data: [
          ['573001112233', thread({ labels: ['vip', 'playa'] })],
          ['573009998877', thread({ threadId: 'thread_only', chatId: '573009998877@s.whatsapp.net', userName: 'luis', name: 'Luis P.' })],
        ],
      },
      profiles: { file: 'guest_profiles.json', data: [['+57 300 111 2233', profile()]] },
    });

    expect(report).toMatchObject({ read: 3, guests: 2, imported: 2, updated: 0, unchanged: 0, rejected: 0 });
    const [ana, luis] = await rows();
    expect(ana).toMatchObject({
      chat_id: '573001112233@s.whatsapp.net',
      thread_id: 'thread_abc',
      user_name: 'Ana María', // the profile's name beats the thread's userName
      labels: ['VIP', 'Cotización', 'Reserva', 'playa'],
      first_interaction: new Date(1_700_000_000_000), // the profile's first
      last_interaction: new Date('2024-03-01T18:30:00.000Z'), // the thread's last
      profile_data: {
        legacy: {
          profileId: 'guest_1',
          threadId: 'thread_abc',
          chatId: '573001112233@s.whatsapp.net',
          whapiLabels: [{ id: 'L1', name: 'Cotización', color: 'rebeccapurple' }, { name: 'Reserva' }],
        },
      },
    });
    expect(luis).toMatchObject({ thread_id: 'thread_only', user_name: 'Luis P.', labels: [] });
  });

  it('merges labels with the ones a row already has, without duplicates, and never moves newer activity back', async () => {
    const liveLast = new Date('2025-06-01T12:00:00Z');
    await db.sql`
      INSERT INTO guest_profiles (phone_number, chat_id, thread_id, user_name, labels, profile_data, first_interaction, last_interaction)
      VALUES ('573001112233', '573001112233', 'live-thread', 'Ana (WhatsApp)', '["Playa", "vip"]', '{"booking_status": "interested"}',
              '2024-06-01T00:00:00Z', ${liveLast})`;

    const report = await importLegacy(db.sql, {
      threads: { file: 't.json', data: { '573001112233': thread({ labels: ['PLAYA', ' Familia ', 'familia'] }) } },
      profiles: { file: 'p.json', data: { '573001112233': profile() } },
    });

    expect(report).toMatchObject({ imported: 0, updated: 1, unchanged: 0 });
    const [row] = await rows();
    expect(row).toMatchObject({
      chat_id: '573001112233', // the live service's chat id stays
      thread_id: 'live-thread', // the live row saw the guest more recently
      user_name: 'Ana (WhatsApp)',
      labels: ['Playa', 'vip', 'Cotización', 'Reserva', 'Familia'],
      first_interaction: new Date(1_700_000_000_000), // earlier than the row's: moved back
      last_interaction: liveLast, // later than anything in the files: kept
      profile_data: { booking_status: 'interested', legacy: { profileId: 'guest_1', threadId: 'thread_abc' } },
    });
  });

  it('is idempotent: a second run changes nothing and reports nothing imported or updated', async () => {
    const sources = {
      threads: { file: 't.json', data: [['573001112233', thread({ labels: ['Playa'] })], ['573004445566', thread({ threadId: 't2' })]] },
      profiles: { file: 'p.json', data: [['573001112233', profile()], ['573007778899', profile({ id: 'guest_2', label: 'Familia' })]] },
    };
    const first = await importLegacy(db.sql, sources);
    const before = await rows();
    const second = await importLegacy(db.sql, sources);

    expect(first).toMatchObject({ guests: 3, imported: 3, updated: 0, unchanged: 0 });
    expect(second).toMatchObject({ guests: 3, imported: 0, updated: 0, unchanged: 3 });
    expect(await rows()).toEqual(before); // updated_at included: the rows were not even rewritten
  });

  it('ends with the same guests whether the files are imported together or one at a time, in either order', async () => {
    const threads = { file: 't.json', data: [['573001112233', thread({ userName: 'ana', lastActivity: '2024-06-01T00:00:00Z', labels: ['Playa'] })]] };
    const profiles = { file: 'p.json', data: [['573001112233', profile()]] };
    // Label order follows the order the files arrived in; the set of labels does not.
    const comparable = async () => (await rows()).map(({ created_at, updated_at, labels, ...rest }) => ({ ...rest, labels: [...(labels as string[])].sort() }));

    await importLegacy(db.sql, { threads, profiles });
    const together = await comparable();
    await db.sql`TRUNCATE guest_profiles`;
    await importLegacy(db.sql, { threads });
    await importLegacy(db.sql, { profiles });
    const threadsFirst = await comparable();
    await db.sql`TRUNCATE guest_profiles`;
    await importLegacy(db.sql, { profiles });
    await importLegacy(db.sql, { threads });
    const profilesFirst = await comparable();

    expect(together[0]).toMatchObject({ user_name: 'Ana María', thread_id: 'thread_abc' });
    expect(threadsFirst).toEqual(together);
    expect(profilesFirst).toEqual(together);
  });

  it('reports bad records with position and reason, and imports the good ones', async () => {
    const report = await importLegacy(db.sql, {
      threads: {
        file: 'threads.json',
        data: [
          ['573001112233', thread()],
          ['not-a-phone', thread()],
          'just a string',
          ['573004445566', thread({ createdAt: 'ayer', lastActivity: 'hoy' })],
          ['573005556677', 42],
          ['120363025246125486@g.us', thread()],
          ['573006667788', thread({ lastActivity: '2999-01-01T00:00:00Z' })],
          ['573001234567', thread({ threadId: 'thread_ok_2' })],
        ],
      },
      profiles: {
        file: 'guest_profiles.json',
        data: {
          '573007778899': profile({ whapiLabels: [{ color: 'red' }] }),
          '573008889900': profile({ firstInteraction: null, lastInteraction: undefined }),
          '573009990011': profile({ id: 'ok' }),
        },
      },
    });

    expect(report).toMatchObject({ read: 11, guests: 3, imported: 3, rejected: 8 });
    expect(report.rejections).toEqual([
      { file: 'threads.json', position: 2, phone: 'not-a-phone', reason: expect.stringMatching(/not a phone number/) },
      { file: 'threads.json', position: 3, reason: 'expected a [phone, record] pair' },
      { file: 'threads.json', position: 4, phone: '573004445566', reason: expect.stringMatching(/createdAt "ayer" is not a date/) },
      { file: 'threads.json', position: 5, phone: '573005556677', reason: 'record is number 42, not an object' },
      { file: 'threads.json', position: 6, phone: '120363025246125486@g.us', reason: expect.stringMatching(/not a phone number/) },
      { file: 'threads.json', position: 7, phone: '573006667788', reason: expect.stringMatching(/lastActivity .* is in the future/) },
      { file: 'guest_profiles.json', position: 1, phone: '573007778899', reason: 'whapiLabels[0] has no name' },
      { file: 'guest_profiles.json', position: 2, phone: '573008889900', reason: expect.stringMatching(/no date/) },
    ]);
    expect((await rows()).map((r) => r.phone_number)).toEqual(['573001112233', '573001234567', '573009990011']);
  });

  it('normalises phones and dates the way the old files wrote them', () => {
    expect(normalisePhone('+57 (300) 111-2233')).toBe('573001112233');
    expect(normalisePhone('573001112233@s.whatsapp.net')).toBe('573001112233');
    expect(normalisePhone(573001112233)).toBe('573001112233');
    expect(normalisePhone('1234')).toBeUndefined();
    expect(normalisePhone('123456789012345678901')).toBeUndefined();
    expect(normalisePhone('guest_573001112233')).toBeUndefined();
    expect(parseLegacyDate(1_709_000_000)).toEqual(new Date(1_709_000_000_000));
    expect(parseLegacyDate('1709000000000')).toEqual(new Date(1_709_000_000_000));
    expect(parseLegacyDate('2024-02-27T02:13:20.000Z')).toEqual(new Date(1_709_000_000_000));
    expect(parseLegacyDate('')).toBeNull();
    expect(parseLegacyDate('27/02/2024')).toBe('unreadable');
    // The first spelling of a label wins, whichever source it came from.
    const parsed = parseProfiles({ '573001112233': profile({ label: ' vip ', whapiLabels: [{ name: 'VIP' }, { name: 'Playa' }] }) }, 'p.json');
    expect(parsed.records[0].labels).toEqual(['vip', 'Playa']);
  });

  it('imports 50,000 guests well under 20 s', async () => {
    const n = 50_000;
    const phone = (i: number) => String(573000000000 + i);
    const threads = Array.from({ length: n }, (_, i) => [phone(i), thread({ threadId: `thread_${i}`, chatId: `${phone(i)}@s.whatsapp.net`, labels: i % 3 ? ['playa'] : [] })]);
    const profiles = Object.fromEntries(Array.from({ length: n }, (_, i) => [phone(i), profile({ id: `guest_${i}`, phone: phone(i), label: i % 2 ? 'VIP' : 'nuevo' })]));

    const started = performance.now();
    let lastProgress = 0;
    const report = await importLegacy(db.sql, { threads: { file: 't', data: threads }, profiles: { file: 'p', data: profiles } }, { onProgress: (done) => (lastProgress = done) });
    const seconds = (performance.now() - started) / 1000;
    const againStarted = performance.now();
    const again = await importLegacy(db.sql, { threads: { file: 't', data: threads }, profiles: { file: 'p', data: profiles } });
    const againSeconds = (performance.now() - againStarted) / 1000;
    console.log(`legacy import: ${n} guests (${2 * n} records) in ${seconds.toFixed(2)} s; second run (no-op) in ${againSeconds.toFixed(2)} s`);

    expect(report).toMatchObject({ read: 2 * n, guests: n, imported: n, rejected: 0 });
    expect(lastProgress).toBe(n);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: n });
    expect(seconds).toBeLessThan(20);
    const [{ count }] = await db.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM guest_profiles WHERE labels @> '["playa"]'`;
    expect(count).toBe(n - Math.ceil(n / 3));
  });
});

describe('npm run import:legacy', () => {
  interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
  }
  function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, DATABASE_URL: db.url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }
  const noStack = (run: Run) => expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);

  it('backs the files up, imports, prints counts and rejections, exits 2 for the rejections; a second run imports nothing', async () => {
    const threads = JSON.stringify([['573001112233', thread()], ['oops', thread()]]);
    const profiles = JSON.stringify({ '573001112233': profile(), '573004445566': profile({ lastInteraction: 'never' }) });
    await writeFile(join(work, 'threads.json'), threads);
    await writeFile(join(work, 'guest_profiles.json'), profiles);

    const first = await runCli(['--threads', 'threads.json', '--profiles', 'guest_profiles.json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(2); // some records rejected, as catalog:import says it
    expect(first.stdout).toMatch(/read: 4, imported: 1, updated: 0, unchanged: 0, rejected: 2/);
    expect(first.stdout).toContain('rejected threads.json #2 (phone oops): phone "oops" is not a phone number');
    expect(first.stdout).toContain('rejected guest_profiles.json #2 (phone 573004445566): lastInteraction "never" is not a date');
    expect(first.stdout).toMatch(/guests written: 1\/1 \(100%\)/); // plain progress lines: stdout is a pipe

    const backups = (await readdir(join(work, 'backups'))).filter((d) => d.startsWith('legacy-'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^legacy-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(await readFile(join(work, 'backups', backups[0], 'threads.json'), 'utf8')).toBe(threads);
    expect(await readFile(join(work, 'backups', backups[0], 'guest_profiles.json'), 'utf8')).toBe(profiles);

    const second = await runCli(['--threads', 'threads.json', '--profiles', 'guest_profiles.json', '--backup-dir', 'elsewhere']);
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/read: 4, imported: 0, updated: 0, unchanged: 1, rejected: 2/);
    expect(await readdir(join(work, 'elsewhere'))).toHaveLength(1);
  });

  it('exits 1 when every record is rejected (issue 13: 4 of 4 rejected exited 0), 0 when none is', async () => {
    await writeFile(join(work, 'all-bad.json'), JSON.stringify([['oops', thread()], ['573001112299', thread({ createdAt: 'x' })], ['573001112298', 'no'], ['1', thread()]]));
    const bad = await runCli(['--threads', 'all-bad.json', '--backup-dir', 'all-bad']);
    expect(bad.stdout).toMatch(/read: 4, imported: 0, updated: 0, unchanged: 0, rejected: 4/);
    expect(bad.code).toBe(1);
    await writeFile(join(work, 'good.json'), JSON.stringify([['573001112297', thread()]]));
    expect((await runCli(['--threads', 'good.json', '--backup-dir', 'good'])).code).toBe(0);
  });

  it('exits 1 with usage when no file is given', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('give --threads FILE, --profiles FILE or both');
    expect(run.stderr).toContain('usage: npm run import:legacy');
    noStack(run);
  });

  it('exits 1 with a readable message for a missing file, malformed JSON or JSON of the wrong shape', async () => {
    await writeFile(join(work, 'broken.json'), '[["573001112233", {"threadId": ');
    await writeFile(join(work, 'scalar.json'), '"hello"');

    const missing = await runCli(['--threads', 'missing.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('cannot read --threads file missing.json: no such file');
    noStack(missing);

    const broken = await runCli(['--profiles', 'broken.json']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^--profiles file broken\.json is not valid JSON: /);
    noStack(broken);

    const scalar = await runCli(['--threads', 'scalar.json']);
    expect(scalar.code).toBe(1);
    expect(scalar.stderr).toContain('scalar.json: expected an array of [phone, record] pairs or an object keyed by phone, got text "hello"');
    noStack(scalar);
  });

  it('exits 1 with a readable message when the database cannot be reached', async () => {
    await writeFile(join(work, 'one.json'), JSON.stringify([['573001112233', thread()]]));
    const run = await runCli(['--threads', 'one.json', '--backup-dir', 'db-down'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^database error, import stopped: .*ECONNREFUSED/);
    noStack(run);
  });
});
