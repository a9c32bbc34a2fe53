// Test-only crash points. A process started with FAULT_INJECT=<point>[#n] kills itself with SIGKILL the
// n-th time (default the first) it reaches that point, as `kill -9` would at that instant: no finally
// blocks, no shutdown, an open transaction rolled back by PostgreSQL, a BullMQ job left to stall.
// Unset (always, outside the fault tests) the worker role passes no hook and the call sites cost an
// optional call on undefined.

export const FAULT_POINTS = [
  /** converse: the burst understood and every write of its transaction done, the COMMIT not yet sent. */
  'converse:before-commit',
  /** outbound: the provider accepted the message (it has its id), the "sent" record not yet written. */
  'outbound:after-accept',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** The value FAULT_INJECT accepts: a point, optionally `#n` for its n-th hit in this process. */
export const FAULT_SPEC = new RegExp(`^(${FAULT_POINTS.join('|')})(#[1-9]\\d*)?$`);

/** Called at a crash point; dies there if FAULT_INJECT named it. */
export type FaultHook = (point: FaultPoint) => void;

export function faultHook(spec: string | undefined, die: () => void = () => process.kill(process.pid, 'SIGKILL')): FaultHook | undefined {
  if (!spec) return undefined;
  const match = FAULT_SPEC.exec(spec);
  if (!match) throw new Error(`FAULT_INJECT=${spec}: expected one of ${FAULT_POINTS.join(', ')}, optionally followed by #n`);
  const target = match[1] as FaultPoint;
  let left = match[2] ? Number(match[2].slice(1)) : 1;
  return (point) => {
    if (point === target && --left === 0) die();
  };
}
