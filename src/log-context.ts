import { AsyncLocalStorage } from 'node:async_hooks';

// Fields every log line carries while some unit of work runs (a job: its queue, id and chat), without
// passing a logger through every function it calls. The logger reads them on each line (src/logger.ts).

export type LogFields = Record<string, unknown>;

const current = new AsyncLocalStorage<LogFields>();

export function withLogContext<T>(fields: LogFields, run: () => T): T {
  return current.run(fields, run);
}

/** The fields of the work running now, if any. Read-only: the logger copies them into each line. */
export function currentLogFields(): Readonly<LogFields> | undefined {
  return current.getStore();
}
