// npm run migrate: apply the numbered SQL files in migrations/ that this database has not seen.
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run migrate', {});

try {
  const config = loadConfig();
  const sql = createDb({ url: config.DATABASE_URL, max: 1 });
  try {
    const applied = await migrate(sql, (m) => console.log(m));
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  } finally {
    await sql.end({ timeout: 5 });
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`);
  process.exit(1);
}
