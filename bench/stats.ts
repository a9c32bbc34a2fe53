/** Percentile of a sample (nearest rank), in the sample's unit. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

/** Send `count` requests at `perSecond`, open loop (a slow answer does not slow the schedule down). */
export async function openLoop(count: number, perSecond: number, send: (i: number) => Promise<void>, onProgress?: (done: number) => void): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let done = 0;
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(i).finally(() => onProgress?.(++done)));
  }
  await Promise.all(pending);
}

/** Keep `inFlight` requests going until `count` are done: the most the other side can take. */
export async function closedLoop(count: number, inFlight: number, send: (i: number) => Promise<void>, onProgress?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await send(i);
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}
