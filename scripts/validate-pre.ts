// npm run validate:pre — before a migration or deploy: PostgreSQL and Redis answer, the tables exist,
// AI providers are configured (or keyword mode is announced), and live sessions are backed up to JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printChecks, preMigrationChecks } from '../src/crm/validation.ts';
import { createProducerRedis } from '../src/queues/redis.ts';
import { runCommand } from './cli.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run validate:pre', {});

const backupDir = process.env.BACKUP_DIR ?? 'backups';

await runCommand(async ({ config, sql }) => {
  const redis = createProducerRedis(config.REDIS_URL, { enableOfflineQueue: true, lazyConnect: false, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    const results = await preMigrationChecks({
      sql,
      redis,
      config,
      backup: async () => {
        const sessions = await sql`SELECT * FROM customer_sessions WHERE expires_at > now() ORDER BY id`;
        await mkdir(backupDir, { recursive: true });
        const file = join(backupDir, `sessions-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
        await writeFile(file, JSON.stringify(sessions, null, 2));
        return `${sessions.length} live session(s) saved to ${file}`;
      },
    });
    return printChecks(results);
  } finally {
    redis.disconnect();
  }
});
