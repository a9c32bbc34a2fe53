import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/client.ts';
import type { OperatorRole } from './operators.ts';

// Signed-in browsers, kept in PostgreSQL: every web process sees a sign-out at once, and a session can be
// ended from anywhere by deleting its row. The browser holds a random token; the table holds its SHA-256.

/** However often it is used, a session ends this long after sign-in. */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
// last_seen_at and the sliding expiry are written at most this often (the dashboard polls every 5 s)
const TOUCH_EVERY = '1 minute';

export interface SessionOperator {
  id: number;
  name: string;
  role: OperatorRole;
}

export interface LoginSessions {
  /** A new session for the operator: the token for the cookie, and its hash (the session's id). */
  start: (operatorId: number, meta: { ip?: string; userAgent?: string }) => Promise<{ token: string; tokenHash: Buffer }>;
  /** The operator a cookie's token stands for while its session lives; renews the idle expiry. */
  read: (token: string) => Promise<(SessionOperator & { tokenHash: Buffer }) | undefined>;
  /** Sign out: the token opens nothing any more. */
  end: (token: string) => Promise<void>;
}

export const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();
// 32 random bytes, URL-safe: what a cookie value may hold without quoting
const newToken = () => randomBytes(32).toString('base64url');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Sessions that end after `idleMs` without use (ADMIN_SESSION_HOURS), and SESSION_MAX_MS after sign-in at most. */
export function createLoginSessions(db: Queryable, idleMs: number): LoginSessions {
  const idle = Math.min(idleMs, SESSION_MAX_MS) / 1000;
  const max = SESSION_MAX_MS / 1000;
  return {
    start: async (operatorId, meta) => {
      const token = newToken();
      const hash = tokenHash(token);
      // sweep long-dead rows while we are here: sign-ins are rare, and no scheduler is needed for it
      await db`DELETE FROM operator_sessions WHERE expires_at < now() - interval '1 day'`;
      await db`
        INSERT INTO operator_sessions (token_hash, operator_id, expires_at, ip, user_agent)
        VALUES (${hash}, ${operatorId}, now() + make_interval(secs => ${idle}), ${meta.ip ?? null}, ${meta.userAgent?.slice(0, 300) ?? null})`;
      await db`UPDATE operators SET last_login_at = now() WHERE id = ${operatorId}`;
      return { token, tokenHash: hash };
    },
    read: async (token) => {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const hash = tokenHash(token);
      const [row] = await db<(SessionOperator & { tokenHash: Buffer })[]>`
        WITH touched AS (
          UPDATE operator_sessions
             SET last_seen_at = now(), expires_at = least(created_at + make_interval(secs => ${max}), now() + make_interval(secs => ${idle}))
           WHERE token_hash = ${hash} AND expires_at > now() AND last_seen_at < now() - ${TOUCH_EVERY}::interval
        )
        SELECT o.id, o.name, o.role, s.token_hash AS "tokenHash"
          FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
         WHERE s.token_hash = ${hash} AND s.expires_at > now()`;
      return row;
    },
    end: async (token) => {
      if (TOKEN_SHAPE.test(token)) await db`DELETE FROM operator_sessions WHERE token_hash = ${tokenHash(token)}`;
    },
  };
}
