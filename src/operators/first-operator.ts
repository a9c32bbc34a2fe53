import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable, Sql } from '../db/client.ts';
import { tokenHash } from './login-sessions.ts';
import { createOperator, type CreateOperatorResult } from './operators.ts';

// The very first account. With no operator yet, the console has nobody to let in: the web role makes a
// one-time setup token and prints a link holding it (src/roles/first-run.ts); whoever has the start-up
// output creates the first owner with it, and every setup token is deleted then. With ADMIN_TOKEN set, the
// token itself is the setup credential and no link is made. `npm run operator -- add` works in either case.

export const SETUP_TOKEN_HOURS = 24;

/** A new setup token (only its hash is stored), valid SETUP_TOKEN_HOURS. */
export async function newSetupToken(db: Queryable): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db`DELETE FROM operator_setup_tokens WHERE expires_at < now()`;
  await db`INSERT INTO operator_setup_tokens (token_hash, expires_at) VALUES (${tokenHash(token)}, now() + make_interval(hours => ${SETUP_TOKEN_HOURS}))`;
  return token;
}

export type FirstOperatorResult = CreateOperatorResult | { ok: false; problem: 'not-first' | 'bad-credential'; status: 403 | 409 };

/**
 * The first owner, once: refused when any operator exists (409), or when `credential` is neither a live
 * setup token nor ADMIN_TOKEN (403). Two attempts at once create one account: they take turns on a lock.
 */
export async function createFirstOperator(sql: Sql, o: { credential: string; adminToken?: string; name: string; password: string }): Promise<FirstOperatorResult> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtextextended('operators', 0))`;
    const [{ any }] = await tx<{ any: boolean }[]>`SELECT EXISTS (SELECT FROM operators) AS any`;
    if (any) return { ok: false, problem: 'not-first', status: 409 } as const;
    // compared as digests: constant time whatever the lengths
    const viaToken = Boolean(o.adminToken) && timingSafeEqual(tokenHash(o.credential), tokenHash(o.adminToken!));
    const [live] = viaToken ? [true] : await tx`SELECT 1 FROM operator_setup_tokens WHERE token_hash = ${tokenHash(o.credential)} AND expires_at > now()`;
    if (!live) return { ok: false, problem: 'bad-credential', status: 403 } as const;
    const created = await createOperator(tx, { name: o.name, password: o.password, role: 'owner', createdBy: viaToken ? 'ADMIN_TOKEN' : 'setup' });
    if (created.ok) await tx`DELETE FROM operator_setup_tokens`;
    return created;
  });
}

/** No account exists yet: the console can only be set up (or reached with ADMIN_TOKEN). */
export async function noOperatorYet(db: Queryable): Promise<boolean> {
  const [{ none }] = await db<{ none: boolean }[]>`SELECT NOT EXISTS (SELECT FROM operators) AS none`;
  return none;
}
