import { createLogger } from '../../src/logger.ts';

/** A logger configured as production's, writing its lines into memory for a test to read back. */
export function captureLogs(level = 'debug') {
  const lines: string[] = [];
  const log = createLogger(level, 'wa', { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
