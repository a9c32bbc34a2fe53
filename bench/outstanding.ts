// Load that holds a queue at a chosen depth: `outstanding` messages are always posted and not yet answered,
// each reply posting the next. With a few outstanding the queues stay empty; with 5,000 they hold a backlog
// of that size the whole time, so the cost per message can be compared at both depths (DESIGN §5).
import { perMessage, snapshot, workPerMessage, type CpuPerMessage, type CpuSources } from './cpu.ts';

/** One message: `acked` when the webhook answered, `answered` when its reply reached the fake API. */
export type Launch = () => { acked: Promise<unknown>; answered: Promise<unknown> };

export interface DepthMeasure {
  cpu: CpuPerMessage;
  /** PostgreSQL's own counts per message: buffers, rows, commits (see postgresWork). */
  postgresWork: Record<string, number>;
  perSecond: number;
  measured: number;
}

/**
 * Fill to `outstanding`, let one whole turn of them be answered (and replaced), then measure CPU over the
 * next `measured` replies; stop posting after that. The caller waits for the last outstanding replies
 * before the next phase.
 *
 * Why the turn: right after the fill, every outstanding message sits at the front of the pipeline, and the
 * first stages run ahead of the replies; measured from there, a window charges each reply with ingest work
 * done for messages answered only after it (seen: twice the ingest statements per reply). Once a whole
 * turn has been answered, each stage works at the reply rate and a window's work is its replies' work.
 */
export async function measureAtDepth(outstanding: number, measured: number, launch: Launch, sources: CpuSources): Promise<DepthMeasure> {
  let filled = false;
  let settled = 0;
  let counted = 0;
  let stopped = false;
  let start: Awaited<ReturnType<typeof snapshot>> | undefined;
  let startedAt = 0;
  let finish!: (m: DepthMeasure) => void;
  const done = new Promise<DepthMeasure>((resolve) => (finish = resolve));
  const keep = (): Promise<unknown> => {
    const { acked, answered } = launch();
    void answered.then(async () => {
      if (stopped) return;
      if (filled && !start && ++settled === outstanding) {
        start = await snapshot(sources);
        startedAt = performance.now();
      } else if (start && ++counted === measured) {
        stopped = true;
        const end = await snapshot(sources);
        finish({ cpu: perMessage(start, end, counted), postgresWork: workPerMessage(start, end, counted), perSecond: counted / ((performance.now() - startedAt) / 1000), measured: counted });
        return;
      }
      keep();
    });
    return acked;
  };
  await Promise.all(Array.from({ length: outstanding }, keep));
  filled = true;
  return done;
}

/** Run at most `n` of these at once (the webhook POSTs of a fill, so thousands do not open thousands of sockets). */
export function limit(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
