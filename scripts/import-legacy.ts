// npm run import:legacy -- --threads tmp/threads.json --profiles tmp/guest_profiles.json
// Backs the files up, then upserts the old bot's guests into guest_profiles (safe to run again).
// Exit 0: every record imported. 2: the good records imported, some rejected (listed with their position).
// 1: nothing imported (no file or a bad flag, a file unreadable or not JSON, every record bad, database down),
// as catalog:import does.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { progressReporter } from './progress.ts';
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { createDb } from '../src/db/client.ts';
import { importLegacy, type ImportReport, type LegacySource } from '../src/crm/legacy-import.ts';
import { LegacyFormatError } from '../src/crm/legacy-records.ts';

const USAGE = `usage: npm run import:legacy -- [--threads FILE] [--profiles FILE] [--backup-dir DIR]

  --threads FILE     the old bot's tmp/threads.json
  --profiles FILE    the old bot's tmp/guest_profiles.json
  --backup-dir DIR   where the timestamped copies go (default: backups)

At least one of --threads and --profiles is required. DATABASE_URL says where to import.
Exit 0: all imported; 2: some records rejected (listed), the rest imported; 1: nothing imported.`;

/** A problem the user fixes by changing the command or the file: reported in one line, no stack. */
class InputError extends Error {}

type Flag = 'threads' | 'profiles';
interface Input {
  flag: Flag;
  path: string;
  bytes: Buffer;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`import failed: ${error.message}`);
  return 1;
});

async function main(argv: string[]): Promise<number> {
  let args: { inputs: { flag: Flag; path: string }[]; backupRoot: string } | 'help';
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }

  const sources: { threads?: LegacySource; profiles?: LegacySource } = {};
  let url: string;
  try {
    const inputs = await Promise.all(args.inputs.map(async (i) => ({ ...i, bytes: await readInput(i.flag, i.path) })));
    url = loadConfig().DATABASE_URL;
    const dir = await backUp(inputs, args.backupRoot);
    console.log(`backed up ${inputs.map((i) => i.path).join(' and ')} to ${dir}`);
    for (const i of inputs) sources[i.flag] = { file: i.path, data: parseJson(i) };
  } catch (error) {
    if (!(error instanceof InputError || error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }

  const sql = createDb({ url, max: 1 });
  const progress = progressReporter('guests');
  try {
    const report = await importLegacy(sql, sources, { onProgress: progress.update });
    progress.stop(); // draws the bar's last state before the report goes under it
    printReport(report);
    if (report.rejected === 0) return 0;
    return report.rejected < report.read ? 2 : 1;
  } catch (error) {
    // A file that is JSON but not an array or object is refused before anything is written.
    console.error(error instanceof LegacyFormatError ? error.message : `database error, import stopped: ${(error as Error).message}`);
    return 1;
  } finally {
    progress.stop();
    await sql.end({ timeout: 5 });
  }
}

/** parseArgs throws on unknown options and missing values; its messages are readable as they are. */
function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { threads: { type: 'string' }, profiles: { type: 'string' }, 'backup-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help' as const;
  const inputs = (['threads', 'profiles'] as const).filter((f) => values[f] !== undefined).map((flag) => ({ flag, path: values[flag]! }));
  if (!inputs.length) throw new InputError('give --threads FILE, --profiles FILE or both');
  return { inputs, backupRoot: values['backup-dir'] ?? 'backups' };
}

async function readInput(flag: Flag, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read --${flag} file ${path}: ${why}`);
  }
}

/** The bytes that were read are the bytes backed up: the copy is exactly what this run imported. */
async function backUp(inputs: Input[], root: string): Promise<string> {
  // Colons are not allowed in Windows file names and confuse scp/rsync, hence 10-20-30 for 10:20:30.
  const dir = join(root, `legacy-${new Date().toISOString().replaceAll(':', '-')}`);
  await mkdir(dir, { recursive: true });
  const clash = inputs.length > 1 && basename(inputs[0].path) === basename(inputs[1].path);
  for (const i of inputs) await writeFile(join(dir, clash ? `${i.flag}-${basename(i.path)}` : basename(i.path)), i.bytes, { flag: 'wx' });
  return dir;
}

function parseJson({ flag, path, bytes }: Input): unknown {
  try {
    // A byte-order mark (files saved by some Windows editors) is not JSON but is no reason to refuse the file.
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`--${flag} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}


function printReport(r: ImportReport): void {
  console.log(`read: ${r.read}, imported: ${r.imported}, updated: ${r.updated}, unchanged: ${r.unchanged}, rejected: ${r.rejected}` +
    ` (${r.guests} guest(s) after merging by phone)`);
  for (const x of r.rejections) console.log(`rejected ${x.file} #${x.position}${x.phone ? ` (phone ${x.phone})` : ''}: ${x.reason}`);
}
