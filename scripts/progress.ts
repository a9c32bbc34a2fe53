import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update: (done: number, total: number) => void;
  stop: () => void;
}

/** A bar for a person at a terminal; a line per tenth for logs, where a redrawn bar would be noise. `what` names the rows ("guests"). */
export function progressReporter(what: string): ProgressReporter {
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stdout, format: `${what} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (done, total) => {
        if (!started && total > 0) {
          bar.start(total, 0);
          started = true;
        }
        if (started) bar.update(done);
      },
      stop: () => {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let shown = -1;
  return {
    update: (done, total) => {
      const tenth = total ? Math.floor((done / total) * 10) : 10;
      if (tenth === shown) return;
      shown = tenth;
      console.log(`${what} written: ${done}/${total} (${tenth * 10}%)`);
    },
    stop: () => {},
  };
}
