import { createHash, timingSafeEqual } from 'node:crypto';

/** Compare secrets without leaking their length or content through timing: hash both, compare digests. */
export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
