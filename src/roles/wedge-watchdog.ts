import type { Logger } from '../logger.ts';

/**
 * The last line of defence against a database client that stops settling queries.
 *
 * postgres.js 3.4.9, even as patched (patches/), still leaves about one operation in a few thousand
 * unsettled when PostgreSQL terminates its backends again and again under load: the connection keeps a
 * socket the server has forgotten, or stays "connecting" after its start-up finished (README, *Reliability*).
 * Such an operation never fails, so no retry ever starts: a webhook waits for ever, a converse job keeps
 * its lock renewed by a healthy process and its chat never moves again.
 *
 * The design is crash-safe (every acknowledged message is in PostgreSQL, a killed worker's jobs are
 * retried by BullMQ's stall check, the sweep re-enqueues the rest), so the cure for a wedged client is
 * the one a supervisor already gives: this process exits with a clear line and is started again with a
 * fresh pool. Every unit of per-message work (a webhook's intake, an ingest, converse or outbound job)
 * is tracked; one still unsettled after `deadlineMs`, far beyond any legitimate run (provider, media and
 * AI calls all have their own, shorter timeouts), means the client is wedged.
 */
export interface WedgeWatchdog {
  /** Runs `work`, watched: it must settle within the deadline. */
  track<T>(what: string, work: () => Promise<T>): Promise<T>;
  /** How many tracked runs are in flight now (for tests and /ready). */
  inFlight(): number;
  stop(): void;
}

export interface WedgeWatchdogOptions {
  deadlineMs: number;
  log: Logger;
  /** Default: exit 1, so the supervisor (pm2, Railway, the Procfile's platform) starts a fresh process. */
  onWedged?: (what: string, ageMs: number) => void;
  /** How often the oldest run is looked at (default: a tenth of the deadline, at least every 5 s). */
  checkEveryMs?: number;
}

export function createWedgeWatchdog(opts: WedgeWatchdogOptions): WedgeWatchdog {
  // insertion order is start order, so the first entry is always the oldest run
  const running = new Map<number, { what: string; startedAt: number }>();
  let next = 0;
  let fired = false;
  const onWedged = opts.onWedged ?? ((what, ageMs) => {
    opts.log.fatal({ what, ageMs, deadlineMs: opts.deadlineMs },
      `${what} has not settled after ${Math.round(ageMs / 1000)} s: the database client is wedged; exiting so the supervisor starts a fresh process (nothing acknowledged is lost)`);
    process.exit(1);
  });
  const timer = setInterval(() => {
    const oldest = running.values().next().value;
    if (!oldest || fired) return;
    const age = Date.now() - oldest.startedAt;
    if (age < opts.deadlineMs) return;
    fired = true;
    onWedged(oldest.what, age);
  }, opts.checkEveryMs ?? Math.min(5_000, Math.max(50, Math.floor(opts.deadlineMs / 10))));
  timer.unref();
  return {
    async track(what, work) {
      const id = next++;
      running.set(id, { what, startedAt: Date.now() });
      try {
        return await work();
      } finally {
        running.delete(id);
      }
    },
    inFlight: () => running.size,
    stop: () => clearInterval(timer),
  };
}
