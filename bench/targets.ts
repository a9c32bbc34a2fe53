// DESIGN §5's targets, each stated beside its measured figure with whether it is met and by how much not.

export interface TargetResult {
  figure: string;
  measured: number | null;
  target: string;
  met: boolean;
  /** For a missed target: how far off, in words and numbers. */
  missed_by?: string;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** `measured` must be at most `bound` (latencies, CPU) or at least `bound` (throughput ratios). */
export function judge(figure: string, measured: number | null, rule: 'at most' | 'at least', bound: number, unit = ''): TargetResult {
  const target = `${rule === 'at most' ? '≤' : '≥'} ${bound}${unit}`;
  if (measured === null || !Number.isFinite(measured)) return { figure, measured, target, met: false, missed_by: 'not measured' };
  const met = rule === 'at most' ? measured <= bound : measured >= bound;
  if (met) return { figure, measured, target, met };
  const missed_by = rule === 'at most'
    ? `${pct(measured / bound - 1)} over (${Math.round((measured / bound) * 100) / 100}× the target)`
    : `${pct(1 - measured / bound)} short (${Math.round((measured / bound) * 100) / 100} of the target)`;
  return { figure, measured, target, met, missed_by };
}
