import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../support/spawn-service.ts';

export interface PrivateRedis {
  port: number;
  url: string;
  /** kill -9, then start again on the same port, empty (no persistence): every job and key is gone. */
  crashAndRestartEmpty: (downMs: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** A redis-server of the test's own on a free port, so killing it touches nothing else. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: null });
    probe.on('error', () => {}); // refused until redis-server listens: retried, not worth a line on stderr
    await probe.connect().catch(() => {});
    await probe.ping();
    probe.disconnect();
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    crashAndRestartEmpty: async (downMs) => {
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: async () => {
      proc.kill('SIGKILL');
      await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r(null) : proc.once('exit', r)));
    },
  };
}
