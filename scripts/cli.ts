// Shared plumbing of the command-line scripts: configuration, connections, and readable failures.
import { ConfigError, loadConfig, type Config } from '../src/config/load.ts';
import { createDb, type Sql } from '../src/db/client.ts';

/** Run a command: a ConfigError or any failure prints one readable line (no stack) and exits 1. */
export async function runCommand(body: (ctx: { config: Config; sql: Sql }) => Promise<number | void>): Promise<void> {
  let sql: Sql | undefined;
  try {
    const config = loadConfig();
    sql = createDb({ url: config.DATABASE_URL, max: 2, connectTimeout: 5 });
    const code = await body({ config, sql });
    process.exitCode = code ?? 0;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await sql?.end({ timeout: 5 }).catch(() => {});
  }
}
