import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_FILE, readLabelled } from './labelled.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run scripts/classify.ts as `npm run classify` would, with the given standard input. */
function runClassify(input: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/classify.ts'], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('scripts/classify.ts', () => {
  it('writes one line {text, intent, entities} per example, in order', async () => {
    const examples = readLabelled(EXAMPLES_FILE);
    const run = await runClassify(readFileSync(EXAMPLES_FILE, 'utf8'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = lines(run.stdout).map((l) => JSON.parse(l) as { text: string; intent: string; entities: unknown });
    expect(out).toHaveLength(examples.length);
    out.forEach((row, i) => {
      expect(Object.keys(row)).toEqual(['text', 'intent', 'entities']);
      expect(row.text).toBe(examples[i].text);
      expect(row.intent).toBe(examples[i].intent);
      expect(typeof row.entities).toBe('object');
    });
  });

  it('reports a malformed line by number on stderr, goes on, and exits 1', async () => {
    const run = await runClassify('{"text": "hola"}\n\n{not json\n{"texto": "x"}\n{"text": "quiero pagar"}\n');
    expect(run.code).toBe(1);
    expect(lines(run.stdout).map((l) => JSON.parse(l).intent)).toEqual(['greeting', 'checkout']);
    expect(run.stderr).toMatch(/^line 3: not JSON/m);
    expect(run.stderr).toMatch(/^line 4: no "text" string/m);
  });

  it('handles empty input', async () => {
    expect(await runClassify('')).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
