// npm run validate:post — after a migration: every migration applied, invariants hold, counts.
import { postMigrationChecks, printChecks } from '../src/crm/validation.ts';
import { runCommand } from './cli.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run validate:post', {});

await runCommand(async ({ sql }) => printChecks(await postMigrationChecks(sql)));
