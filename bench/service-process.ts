import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  proc: ChildProcess;
  url: string;
  rssMb: () => number;
  stop: () => Promise<void>;
}

/** Start a Node script as its own process (the service, or the floor), resolving once `healthPath` answers. */
export async function startChild(script: string, port: number, env: Record<string, string>, healthPath: string | null, args: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  proc.stderr!.on('data', (d) => (errors = (errors + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited ${proc.exitCode}: ${errors}`);
    if (Date.now() > deadline) throw new Error(`${script} did not start: ${errors}`);
    try {
      if (!healthPath || (await fetch(url + healthPath)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!healthPath) await new Promise((r) => setTimeout(r, 1500));
  return {
    proc,
    url,
    rssMb: () => {
      const line = readFileSync(`/proc/${proc.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
    },
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    },
  };
}

/** Run a script to completion (migrations), failing with its output if it fails. */
export function runToEnd(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}: ${out}`))));
  });
}
