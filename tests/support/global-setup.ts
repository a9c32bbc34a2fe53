import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ADMIN_URL, databaseUrl } from './pg-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    runId: string;
  }
}

// One migrated template per run; each test file clones it (CREATE DATABASE … TEMPLATE is fast),
// so files run in parallel without seeing each other's rows. Everything is dropped at the end.
export default async function setup(project: TestProject) {
  const runId = randomBytes(3).toString('hex');
  const template = `wa_tmpl_${runId}`;
  const admin = createDb({ url: ADMIN_URL, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${template}`);
  const db = createDb({ url: databaseUrl(template), max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.end();
  }
  project.provide('templateDatabase', template);
  project.provide('runId', runId);

  return async () => {
    const leftovers = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE ${'wa_t_' + runId + '_%'} OR datname = ${template}`;
    for (const { datname } of leftovers) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  };
}
