import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import { createFirstOperator, noOperatorYet } from '../../operators/first-operator.ts';
import { SESSION_MAX_MS, type LoginSessions } from '../../operators/login-sessions.ts';
import type { LoginThrottle } from '../../operators/login-throttle.ts';
import { credentialsOf, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, rehashPassword } from '../../operators/operators.ts';
import { needsRehash, verifyNothing, verifyPassword } from '../../operators/password-hash.ts';
import { ADMIN_PATHS } from '../admin-paths.ts';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from '../cookies.ts';
import { loginPage, setupClosedPage, setupPage } from '../login/pages.ts';
import { requestOrigin } from '../same-origin.ts';

export interface AdminLoginOptions {
  sql: Sql;
  sessions: LoginSessions;
  throttle: LoginThrottle;
  /** With it set, the first account may also be created with ADMIN_TOKEN as the setup credential. */
  adminToken?: string;
}

// The pages load only their own stylesheet and post only to themselves
const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const STYLESHEET = join(import.meta.dirname, '..', 'login', 'login.css');

/** Where a sign-in may send the browser afterwards: a page of ours under /admin, nothing else (no open redirect). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500) return ADMIN_PATHS.console;
  if (!/^\/admin(\/|\?|$)/.test(next) || /[\\\r\n]/.test(next) || next.startsWith(ADMIN_PATHS.login) || next.startsWith(ADMIN_PATHS.setup)) return ADMIN_PATHS.console;
  return next;
}

type Form = Record<string, unknown>;
const field = (body: Form | undefined, key: string): string => (typeof body?.[key] === 'string' ? (body[key] as string) : '');

/**
 * Sign-in (GET/POST /admin/login), sign-out (POST /admin/logout) and the first account (GET/POST
 * /admin/setup). Registered outside the admin check: strangers must reach them. A form posts
 * `application/x-www-form-urlencoded` and gets pages and redirects; a script posts JSON and gets JSON.
 */
export async function adminLoginRoutes(app: FastifyInstance, opts: AdminLoginOptions): Promise<void> {
  const { sql, sessions, throttle } = opts;
  const stylesheet = await readFile(STYLESHEET);
  const log = app.log as Logger;

  // the forms' body; small, since only a name and a password travel in it
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const isForm = (request: FastifyRequest) => String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(body);
  // the limiter lives in Redis; if Redis is away a sign-in is not refused for it (scrypt's cost still slows guessing)
  const guarded = <T>(work: Promise<T>, fallback: T, what: string) =>
    work.catch((error: Error) => {
      log.warn({ err: error.message }, `login throttle unavailable (${what}): sign-ins are not slowed down until Redis answers`);
      return fallback;
    });

  app.get('/admin/login.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(stylesheet));

  app.get('/admin/login', async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown }).next);
    const token = readCookie(request, SESSION_COOKIE);
    if (token && (await sessions.read(token))) return reply.redirect(next, 303);
    return html(reply, 200, loginPage({ next, noAccounts: await noOperatorYet(sql) }));
  });

  app.post('/admin/login', async (request, reply) => {
    const body = request.body as Form | undefined;
    const form = isForm(request);
    const name = field(body, 'name').trim();
    const password = field(body, 'password');
    const next = safeNext(body?.next);
    const answer = (status: number, error: string, spanish: string, extra: Record<string, string> = {}) => {
      for (const [k, v] of Object.entries(extra)) reply.header(k, v);
      return form ? html(reply, status, loginPage({ next, name, message: spanish })) : reply.code(status).send({ error });
    };
    // a sign-in another site makes the browser post would sign the operator into the attacker's account
    if (requestOrigin(request) === 'cross-site') return answer(403, 'cross-site sign-in refused', 'Solicitud rechazada: abre la página de inicio de sesión del asistente.');
    if (!name || !password) return answer(400, 'name and password are required', 'Escribe tu nombre y tu contraseña.');

    const ip = request.ip;
    const wait = await guarded(throttle.waitMs(name, ip), 0, 'check');
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return answer(429, `too many failed sign-ins: try again in ${seconds} s`, `Demasiados intentos fallidos. Vuelve a intentarlo en ${seconds} s.`, { 'retry-after': String(seconds) });
    }
    // past the limits no account can match: not worth a query (the decoy check still costs the same)
    const account = password.length <= PASSWORD_MAX && name.length <= NAME_MAX ? await credentialsOf(sql, name) : undefined;
    const ok = account ? await verifyPassword(password, account.passwordHash) : await verifyNothing(password.slice(0, PASSWORD_MAX));
    if (!account || !ok) {
      const lock = await guarded(throttle.failed(name, ip), 0, 'count');
      request.log.info({ lockedMs: lock }, 'failed admin sign-in');
      const later = lock > 0 ? ` Espera ${Math.ceil(lock / 1000)} s antes de volver a intentarlo.` : '';
      return answer(401, 'wrong name or password', `Nombre o contraseña incorrectos.${later}`, lock > 0 ? { 'retry-after': String(Math.ceil(lock / 1000)) } : {});
    }
    await guarded(throttle.succeeded(name), undefined, 'clear');
    if (needsRehash(account.passwordHash)) await rehashPassword(sql, account.id, password);
    const { token } = await sessions.start(account.id, { ip, userAgent: request.headers['user-agent'] });
    setSessionCookie(request, reply, token, SESSION_MAX_MS / 1000);
    request.log.info({ operatorId: account.id }, 'operator signed in');
    if (form) return reply.redirect(next, 303);
    return { operator: { id: account.id, name: account.name, role: account.role }, next };
  });

  app.post('/admin/logout', async (request, reply) => {
    if (requestOrigin(request) === 'cross-site') return reply.code(403).send({ error: 'cross-site request refused' });
    const token = readCookie(request, SESSION_COOKIE);
    if (token) await sessions.end(token);
    clearSessionCookie(request, reply);
    if (isForm(request) || /\btext\/html\b/.test(String(request.headers.accept ?? ''))) return reply.redirect(ADMIN_PATHS.login, 303);
    return reply.code(204).send();
  });

  app.get('/admin/setup', async (request, reply) => {
    if (!(await noOperatorYet(sql))) return html(reply, 409, setupClosedPage());
    const { token } = request.query as { token?: unknown };
    return html(reply, 200, setupPage({ token: typeof token === 'string' && token.length <= 200 ? token : undefined, minLength: PASSWORD_MIN }));
  });

  app.post('/admin/setup', async (request, reply) => {
    const body = request.body as Form | undefined;
    const form = isForm(request);
    const credential = field(body, 'token');
    const name = field(body, 'name').trim();
    const password = field(body, 'password');
    const confirm = form ? field(body, 'confirm') : (typeof body?.confirm === 'string' ? (body.confirm as string) : password);
    const keepToken = form && credential.length <= 200 && !opts.adminToken ? credential : undefined;
    const answer = (status: number, error: string, spanish: string) =>
      form ? html(reply, status, setupPage({ token: keepToken, name, message: spanish, minLength: PASSWORD_MIN })) : reply.code(status).send({ error });
    if (requestOrigin(request) === 'cross-site') return answer(403, 'cross-site request refused', 'Solicitud rechazada: abre el enlace de configuración directamente.');
    if (!credential || !name || !password) return answer(400, 'token, name and password are required', 'Completa todos los campos.');
    if (password !== confirm) return answer(400, 'the passwords differ', 'Las dos contraseñas no coinciden.');
    const wait = await guarded(throttle.waitMs('(setup)', request.ip), 0, 'check');
    if (wait > 0) return answer(429, `too many failed attempts: try again in ${Math.ceil(wait / 1000)} s`, `Demasiados intentos fallidos. Vuelve a intentarlo en ${Math.ceil(wait / 1000)} s.`);

    const result = await createFirstOperator(sql, { credential, adminToken: opts.adminToken, name, password });
    if (!result.ok) {
      if (result.problem === 'not-first') return form ? html(reply, 409, setupClosedPage()) : reply.code(409).send({ error: 'the first account exists already: sign in' });
      if (result.problem === 'bad-credential') {
        await guarded(throttle.failedFromAddress(request.ip), 0, 'count');
        return answer(403, 'the setup token is not valid (expired, used, or mistyped)', 'El código no sirve: usa el enlace que el servicio imprimió al arrancar (vale 24 horas) o ADMIN_TOKEN.');
      }
      return answer(result.status, result.problem, /password/.test(result.problem)
        ? `La contraseña debe tener entre ${PASSWORD_MIN} y ${PASSWORD_MAX} caracteres.`
        : "El nombre puede tener hasta 40 letras, números, espacios y . _ - '");
    }
    const { token } = await sessions.start(result.operator.id, { ip: request.ip, userAgent: request.headers['user-agent'] });
    setSessionCookie(request, reply, token, SESSION_MAX_MS / 1000);
    log.info({ operatorId: result.operator.id }, 'first operator created');
    if (form) return reply.redirect(ADMIN_PATHS.console, 303);
    return reply.code(201).send({ operator: { id: result.operator.id, name: result.operator.name, role: result.operator.role } });
  });
}
