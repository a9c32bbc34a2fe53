import type { Stage } from '../config/schema.ts';
import type { Logger } from '../logger.ts';

// BullMQ workers have been seen to stop taking jobs after a Redis reconnect without an error or an
// event: the process looks healthy while its queue fills up. The watchdog applies the stall rule of
// /ready (src/queues/queue-stall.ts) to this process's stages; a stalled stage gets a new worker, and if
// the new one does not move the queue within another window the process gives up, so the supervisor
// (pm2, Railway) starts a fresh one.

export interface WatchdogOptions {
  stages: readonly Stage[];
  /** Why the stage's queue is stalled, or undefined when it moves. */
  stallOf: (stage: Stage) => Promise<string | undefined>;
  /** Close the stage's worker and start a new one. */
  recreate: (stage: Stage) => Promise<void>;
  /** A new worker did not help: end the process with a non-zero code. */
  giveUp: (stage: Stage, reason: string) => void;
  windowMs: number;
  log: Logger;
}

/** Several looks per window, so a stall is acted on soon after it qualifies; at most every 10 s. */
export const watchdogIntervalMs = (windowMs: number) => Math.min(10_000, Math.max(100, Math.floor(windowMs / 4)));

export function startWatchdog(opts: WatchdogOptions): { stop: () => Promise<void> } {
  const strikes = new Map<Stage, number>();
  const recreatedAt = new Map<Stage, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let recreating: Promise<void> | undefined;

  const look = async (stage: Stage) => {
    // Redis not answering is not this stage's fault, and /ready already says so: no verdict
    const reason = await opts.stallOf(stage).catch(() => undefined);
    if (stopped) return;
    if (!reason) {
      strikes.delete(stage);
      if (recreatedAt.delete(stage)) opts.log.info({ stage }, 'stage moves again');
      return;
    }
    // seen twice in a row: a single look can fall in the instant between a pause ending and work resuming
    const seen = (strikes.get(stage) ?? 0) + 1;
    strikes.set(stage, seen);
    if (seen < 2) return;
    const since = recreatedAt.get(stage);
    if (since === undefined) {
      opts.log.error({ stage, reason }, 'stage stalled: recreating its worker');
      recreatedAt.set(stage, Date.now());
      recreating = opts.recreate(stage).catch((error: unknown) => opts.log.error({ stage, err: error }, 'could not recreate the worker'));
      await recreating;
      recreating = undefined;
    } else if (Date.now() - since >= opts.windowMs) {
      opts.log.fatal({ stage, reason }, 'stage still stalled after recreating its worker: exiting for the supervisor to restart the process');
      stopped = true;
      opts.giveUp(stage, reason);
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void (async () => {
        for (const stage of new Set(opts.stages)) if (!stopped) await look(stage);
      })().finally(schedule);
    }, watchdogIntervalMs(opts.windowMs));
    timer.unref();
  };
  schedule();

  return {
    // waits for a worker being recreated, so the role's close does not leave the new one behind; a look
    // still waiting for Redis is abandoned (it acts on nothing once stopped)
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await recreating;
    },
  };
}
