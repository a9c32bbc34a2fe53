/**
 * Split a chat's waiting messages into bursts: consecutive messages no further apart than the window
 * ("hola" / "quiero" / "una camisa roja") are answered as one. A window of 0 answers each on its own.
 */
export function splitIntoBursts<T extends { receivedAt: Date }>(messages: T[], windowMs: number): T[][] {
  const bursts: T[][] = [];
  for (const m of messages) {
    const current = bursts[bursts.length - 1];
    const previous = current?.[current.length - 1];
    if (current && windowMs > 0 && m.receivedAt.getTime() - previous!.receivedAt.getTime() <= windowMs) current.push(m);
    else bursts.push([m]);
  }
  return bursts;
}

/**
 * How long to wait before answering, or 0 to answer now. The customer may still be typing the rest of
 * the burst; a burst that keeps growing is answered anyway once its oldest message has waited `maxWaitMs`.
 */
export function burstWaitMs(opts: { now: number; newestAt: number; oldestAt: number; windowMs: number; maxWaitMs: number }): number {
  if (opts.windowMs <= 0) return 0;
  const quietFor = opts.now - opts.newestAt;
  const waited = opts.now - opts.oldestAt;
  if (quietFor >= opts.windowMs || waited >= opts.maxWaitMs) return 0;
  return Math.min(opts.windowMs - quietFor, opts.maxWaitMs - waited);
}
