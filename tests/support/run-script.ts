import { execFile } from 'node:child_process';

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run one of scripts/*.ts as a user would (same Node, its own environment), never throwing on exit codes. */
export function runScript(script: string, args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${process.cwd()}/scripts/${script}`, ...args], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
