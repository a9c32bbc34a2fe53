import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

// A documented start command run the way a deployment runs it (npm, a Procfile line through a shell, pm2's
// `npm run …`), in a process group of its own, so a test can signal only the top process as a supervisor
// does and still clean up whatever is left.

export interface StartedCommand {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The service's own pid, read from its JSON log lines (pino writes `pid` on each). */
  servicePid: () => number | undefined;
  /** SIGKILL the whole group: the top process and anything it left behind. */
  killGroup: () => void;
}

export function startCommand(file: string, args: string[], env: Record<string, string>): StartedCommand {
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const servicePid = () => {
    for (const line of output.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const pid = (JSON.parse(line) as { pid?: unknown }).pid;
        if (typeof pid === 'number') return pid;
      } catch {}
    }
    return undefined;
  };
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  };
  return { child, output: () => output, exited, servicePid, killGroup };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
