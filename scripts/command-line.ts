// A command's flags and arguments, read strictly: an unknown flag or a stray argument is a usage error,
// answered with one line on stderr and exit code 2 (a typo must not run the command as if it were absent).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Print `problem; usage: …` and exit 2. */
export function usageError(usage: string, problem: string): never {
  console.error(`${problem}; usage: ${usage}`);
  process.exit(2);
}

/**
 * parseArgs with `strict: true` over process.argv; `-h`/`--help` prints the usage and exits 0.
 * `usage` is one line, e.g. `npm run migrate` or `npm run config -- list | get KEY | set KEY VALUE`.
 */
export function readCommandLine<const T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(usage: string, config: T, argv = process.argv.slice(2)) {
  if (argv.some((a) => a === '-h' || a === '--help')) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, args: argv, strict: true as const });
  } catch (error) {
    // Node's own messages, less the hint about `--` that reads as if the flag were almost right
    usageError(usage, (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown option'));
  }
}
