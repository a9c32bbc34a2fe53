// A catalogue file's text → records with their line numbers. Pure. A JSON array of objects, or a CSV with a
// header row (comma or semicolon separated: Spanish-language spreadsheets save with semicolons).
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { CATALOGUE_COLUMNS, EXTRA_COLUMNS, REQUIRED_COLUMNS, type CatalogueRecord } from './catalogue-rows.ts';

/** The file as a whole is unusable (not JSON, not an array, a CSV without the needed columns): nothing is imported. */
export class CatalogueFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueFileError';
  }
}

export type CatalogueFormat = 'json' | 'csv';

/** By extension, else by the first character: JSON starts with "[" (or "{", to be refused clearly). */
export function detectFormat(file: string, text: string): CatalogueFormat {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.csv$/i.test(file)) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

export function readCatalogue(file: string, text: string): CatalogueRecord[] {
  // a byte-order mark (Excel and some Windows editors write one) is not content
  const clean = text.replace(/^\uFEFF/, '');
  return detectFormat(file, clean) === 'json' ? readJson(file, clean) : readCsv(file, clean);
}

function readJson(file: string, text: string): CatalogueRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogueFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new CatalogueFileError(`${file}: expected a JSON array of products, got ${data === null ? 'null' : typeof data}`);
  }
  const lines = arrayItemLines(text);
  return data.map((fields, i) => ({ line: lines[i] ?? 1, fields }));
}

/**
 * The line on which each item of a top-level JSON array starts. JSON.parse does not say, and "line 214"
 * is what a person fixing the file needs. Only called on text JSON.parse accepted.
 */
export function arrayItemLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectItem && !/[\s,\]]/.test(ch)) {
      starts.push(line);
      expectItem = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectItem = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectItem = true;
  }
  return starts;
}

const KNOWN_COLUMNS: readonly string[] = [...CATALOGUE_COLUMNS, ...EXTRA_COLUMNS];

function readCsv(file: string, text: string): CatalogueRecord[] {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let parsed: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    parsed = parse(text, { delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof parsed;
  } catch (error) {
    const where = error instanceof CsvError && 'lines' in error ? ` (near line ${(error as CsvError & { lines: number }).lines})` : '';
    throw new CatalogueFileError(`${file} is not valid CSV${where}: ${(error as Error).message}`);
  }
  if (parsed.length === 0) throw new CatalogueFileError(`${file} is empty: expected a header row (${CATALOGUE_COLUMNS.join(',')})`);

  const header = parsed[0].record.map((c) => c.toLowerCase().replace(/\s+/g, '_'));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !KNOWN_COLUMNS.includes(c));
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  const problems = [
    missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length ? `unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}` : '',
    repeated.length ? `repeated column(s) ${[...new Set(repeated)].join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) {
    throw new CatalogueFileError(`${file}: ${problems.join('; ')}. The header must name columns among ${CATALOGUE_COLUMNS.join(',')}`);
  }

  return parsed.slice(1).map(({ record, raw, info }) => {
    // csv-parse counts the line where a record ends; one spans several lines only inside quotes
    const line = info.lines - (raw.replace(/^[\r\n]+|[\r\n]+$/g, '').match(/\n/g)?.length ?? 0);
    if (record.length !== header.length) return { line, fields: null, problem: `has ${record.length} field(s) where the header has ${header.length}` };
    return { line, fields: Object.fromEntries(header.map((c, i) => [c, record[i]])) };
  });
}
