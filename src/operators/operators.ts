import type { Queryable, Sql } from '../db/client.ts';
import { hashPassword } from './password-hash.ts';

// Operator accounts: the people who answer customers. Names are unique whatever their case.

export type OperatorRole = 'owner' | 'operator';
export const OPERATOR_ROLES: readonly OperatorRole[] = ['owner', 'operator'];

export interface Operator {
  id: number;
  name: string;
  role: OperatorRole;
  createdAt: Date;
  createdBy: string | null;
  lastLoginAt: Date | null;
}

export const NAME_MAX = 40;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Why a name cannot be an operator's, or undefined. Letters of any language, digits, spaces and . _ - ' */
export function nameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'the name is empty';
  if (trimmed.length > NAME_MAX) return `the name is longer than ${NAME_MAX} characters`;
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u.test(trimmed)) return "the name may hold letters, digits, spaces and . _ - ' only, starting with a letter or digit";
  return undefined;
}

/** Why a password is refused, or undefined. Length is what makes a password hard to guess; no other rule. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `the password must have at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `the password must have at most ${PASSWORD_MAX} characters`;
  return undefined;
}

const COLUMNS = `id, name, role, created_at AS "createdAt", created_by AS "createdBy", last_login_at AS "lastLoginAt"`;

export type CreateOperatorResult = { ok: true; operator: Operator } | { ok: false; problem: string; status: 400 | 409 };

/** A new account; refused with the reason when the name or password does not do, or the name is taken. */
export async function createOperator(db: Queryable, o: { name: string; password: string; role: OperatorRole; createdBy: string }): Promise<CreateOperatorResult> {
  const problem = nameProblem(o.name) ?? passwordProblem(o.password);
  if (problem) return { ok: false, problem, status: 400 };
  const hash = await hashPassword(o.password);
  const [row] = await db.unsafe<Operator[]>(
    `INSERT INTO operators (name, role, password_hash, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(name))) DO NOTHING RETURNING ${COLUMNS}`,
    [o.name.trim(), o.role, hash, o.createdBy],
  );
  if (!row) return { ok: false, problem: `there is already an operator named ${o.name.trim()}`, status: 409 };
  return { ok: true, operator: row };
}

export async function listOperators(db: Queryable): Promise<Operator[]> {
  return db.unsafe<Operator[]>(`SELECT ${COLUMNS} FROM operators ORDER BY lower(name)`);
}

export async function countOperators(db: Queryable): Promise<number> {
  const [{ n }] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM operators`;
  return n;
}

export async function operatorById(db: Queryable, id: number): Promise<Operator | undefined> {
  const [row] = await db.unsafe<Operator[]>(`SELECT ${COLUMNS} FROM operators WHERE id = $1`, [id]);
  return row;
}

export async function operatorByName(db: Queryable, name: string): Promise<Operator | undefined> {
  const [row] = await db.unsafe<Operator[]>(`SELECT ${COLUMNS} FROM operators WHERE lower(name) = lower($1)`, [name.trim()]);
  return row;
}

/** The stored hash of a name's account, for signing in. */
export async function credentialsOf(db: Queryable, name: string): Promise<(Operator & { passwordHash: string }) | undefined> {
  const [row] = await db.unsafe<(Operator & { passwordHash: string })[]>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM operators WHERE lower(name) = lower($1)`,
    [name.trim()],
  );
  return row;
}

/** A new password; every session of the account ends but `keepSession` (the one that changed it). */
export async function setPassword(db: Queryable, id: number, password: string, keepSession?: Buffer): Promise<{ ok: true } | { ok: false; problem: string; status: 400 | 404 }> {
  const problem = passwordProblem(password);
  if (problem) return { ok: false, problem, status: 400 };
  const hash = await hashPassword(password);
  const [row] = await db`UPDATE operators SET password_hash = ${hash}, password_changed_at = now() WHERE id = ${id} RETURNING id`;
  if (!row) return { ok: false, problem: `no operator ${id}`, status: 404 };
  await db`DELETE FROM operator_sessions WHERE operator_id = ${id} ${keepSession ? db`AND token_hash <> ${keepSession}` : db``}`;
  return { ok: true };
}

/** Replace a hash made with an older cost (after a successful sign-in, when the password is at hand). */
export async function rehashPassword(db: Queryable, id: number, password: string): Promise<void> {
  await db`UPDATE operators SET password_hash = ${await hashPassword(password)} WHERE id = ${id}`;
}

export type RemoveOperatorResult = { ok: true; operator: Operator } | { ok: false; problem: string; status: 404 | 409 };

/**
 * Delete an account (its sessions end with it). The last owner cannot be removed: nobody could manage
 * accounts afterwards but through ADMIN_TOKEN or the command line.
 */
export async function removeOperator(sql: Sql, id: number): Promise<RemoveOperatorResult> {
  return sql.begin(async (tx) => {
    // two owners removing each other at once must not leave none: the check and the delete hold one lock
    await tx`SELECT pg_advisory_xact_lock(hashtextextended('operators', 0))`;
    const target = await operatorById(tx, id);
    if (!target) return { ok: false, problem: `no operator ${id}`, status: 404 } as const;
    if (target.role === 'owner') {
      const [{ owners }] = await tx<{ owners: number }[]>`SELECT count(*)::int AS owners FROM operators WHERE role = 'owner'`;
      if (owners <= 1) return { ok: false, problem: `${target.name} is the last owner: make another owner first`, status: 409 } as const;
    }
    await tx`DELETE FROM operators WHERE id = ${id}`;
    return { ok: true, operator: target } as const;
  });
}
