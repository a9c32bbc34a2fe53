import type { Logger } from '../logger.ts';

/**
 * postgres.js 3.4.x can throw from a setImmediate write scheduled just before a connection closed
 * (`socket.write` on a null socket): porsager/postgres#1154, #1066, #1208, fixes proposed in #1168 and
 * #1176, not released. Thrown outside any await, it would take the whole process down whenever
 * PostgreSQL drops connections under load (the fault suite reproduces it). By then the library has
 * already rejected the affected queries with CONNECTION_CLOSED, so the stray write is moot: this
 * guard recognises exactly that exception and lets the process live. Anything else still crashes.
 */
export function isPostgresNullSocketWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /reading 'write'/.test(error.message) &&
    /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '') &&
    /nextWrite/.test(error.stack ?? '')
  );
}

export function installPostgresJsGuard(log: Logger): void {
  process.on('uncaughtException', (error) => {
    if (isPostgresNullSocketWrite(error)) {
      log.warn({ err: error.message }, 'postgres.js wrote to a connection that had just closed (known library bug); ignored');
      return;
    }
    log.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
}
