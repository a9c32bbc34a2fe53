import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsOf } from '../../src/operators/operators.ts';
import { verifyPassword } from '../../src/operators/password-hash.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// npm run operator: the accounts from a terminal. Strict like every command (an unknown flag or a stray
// argument is exit 2 and nothing done); the password comes from stdin or is generated and shown once,
// never from the command line.

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

function operator(args: string[], stdin?: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['scripts/operator.ts', ...args], { env: { ...process.env, DATABASE_URL: db.url, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin!.end(stdin ?? '');
  });
}

describe('npm run operator', () => {
  it('refuses a malformed command line in one line, exit 2, doing nothing', async () => {
    const never = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never_used' };
    for (const [args, problem] of [
      [['add', 'Ana', '--bogus'], /^unknown option '--bogus'; usage: npm run operator -- list \| add NAME/],
      [['add', 'Ana', '--password', 'secreto'], /^unknown option '--password'; usage/],
      [[], /^give a command; usage/],
      [['promote', 'Ana'], /^unknown command promote; usage/],
      [['add'], /^add needs a NAME; usage/],
      [['list', 'Ana'], /^list takes no name; usage/],
      [['add', 'Ana', 'María'], /^unexpected "María" \(quote a name with spaces: "Ana María"\); usage/],
      [['remove', 'Ana', '--owner'], /^--owner goes with add only; usage/],
      [['remove', 'Ana', '--password-stdin'], /^--password-stdin goes with add and passwd only; usage/],
    ] as [string[], RegExp][]) {
      const run = await operator(args, '', never);
      expect(run.stderr.trim(), args.join(' ')).toMatch(problem);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
    }
    expect(await operator(['--help'], '', never)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: npm run operator -- list/) });
  }, 60_000);

  it('adds an owner with a password from stdin, lists, refuses a taken name or a short password', async () => {
    const add = await operator(['add', 'Ana María', '--owner', '--password-stdin'], 'una-contraseña-larga\n');
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/^created owner Ana María \(id \d+\): sign in at \/admin\/login\n$/);
    expect(add.stdout).not.toContain('una-contraseña-larga');
    const stored = await credentialsOf(db.sql, 'ana maría');
    expect(stored).toMatchObject({ name: 'Ana María', role: 'owner', createdBy: 'command line' });
    expect(await verifyPassword('una-contraseña-larga', stored!.passwordHash)).toBe(true);

    expect(await operator(['add', 'ANA MARÍA', '--password-stdin'], 'otra-contraseña-larga\n')).toMatchObject({ code: 1, stderr: 'there is already an operator named ANA MARÍA\n' });
    expect(await operator(['add', 'Beto', '--password-stdin'], 'corta\n')).toMatchObject({ code: 1, stderr: 'the password must have at least 10 characters\n' });

    const list = await operator(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\d+ {2}owner {5}Ana María {2}\(created \d{4}-\d\d-\d\d by command line, last sign-in never\)\n$/);
  }, 60_000);

  it('generates a password when none is given, shows it once, and it signs in', async () => {
    const add = await operator(['add', 'Beto']);
    expect(add.code).toBe(0);
    const password = /^password: (\S+)$/m.exec(add.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await verifyPassword(password!, (await credentialsOf(db.sql, 'Beto'))!.passwordHash)).toBe(true);
    expect((await credentialsOf(db.sql, 'Beto'))!.role).toBe('operator');
  }, 30_000);

  it('changes a password (ending the sessions) and removes an account, but never the last owner', async () => {
    const [beto] = await db.sql`SELECT id FROM operators WHERE name = 'Beto'`;
    await db.sql`INSERT INTO operator_sessions (token_hash, operator_id, expires_at) VALUES (sha256('x'), ${beto.id}, now() + interval '1 hour')`;
    expect(await operator(['passwd', 'beto', '--password-stdin'], 'nueva-contraseña-beto\n')).toMatchObject({ code: 0, stdout: 'new password for Beto: their sessions are over\n' });
    expect(await verifyPassword('nueva-contraseña-beto', (await credentialsOf(db.sql, 'Beto'))!.passwordHash)).toBe(true);
    expect(await db.sql`SELECT 1 FROM operator_sessions WHERE operator_id = ${beto.id}`).toHaveLength(0);

    expect(await operator(['remove', 'Ana María'])).toMatchObject({ code: 1, stderr: 'Ana María is the last owner: make another owner first\n' });
    expect(await operator(['remove', 'Beto'])).toMatchObject({ code: 0, stdout: 'removed Beto: their sessions are over\n' });
    expect(await operator(['remove', 'Beto'])).toMatchObject({ code: 1, stderr: 'no operator named Beto\n' });
  }, 60_000);
});
