// npm run --silent classify < messages.jsonl
// Reads JSON lines {"text": "..."} and writes one line {"text", "intent", "entities"} per input, using
// the keyword understanding alone: no AI, no database, no Redis, no configuration, so it runs anywhere.
// A malformed line is reported on stderr with its number and skipped; the exit code is then 1.
import { createInterface } from 'node:readline';
import { classify } from '../src/conversation/keywords/classify.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run --silent classify < messages.jsonl', {});

/** The message text of one input line, or why the line cannot be read. */
function parseLine(line: string): { text: string } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { error: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const text = (value as { text?: unknown }).text;
  return typeof text === 'string' ? { text } : { error: 'no "text" string' };
}

// a reader that stops early (`| head`) is not an error: stop quietly, as Unix tools do
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

let lineNumber = 0;
let malformed = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNumber++;
  if (line.trim() === '') continue;
  const parsed = parseLine(line);
  if ('error' in parsed) {
    malformed++;
    console.error(`line ${lineNumber}: ${parsed.error}`);
    continue;
  }
  const { intent, entities } = classify(parsed.text);
  // wait when the pipe is full, so a large file streams through in constant memory
  if (!process.stdout.write(`${JSON.stringify({ text: parsed.text, intent, entities })}\n`)) {
    await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}
process.exitCode = malformed > 0 ? 1 : 0;
