import { createHmac, timingSafeEqual } from 'node:crypto';

// Exactly "sha256=" and 64 hex digits. Buffer.from(hex) alone would stop at the first non-hex character
// and accept a valid digest followed by anything.
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Meta signs every webhook: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
 * Checked over the exact bytes received (a re-serialised body differs: escapes, key order, spacing), in
 * constant time. Anything missing or malformed is simply false, never a throw. An empty app secret
 * verifies nothing: anyone could compute that HMAC.
 */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!Buffer.isBuffer(rawBody) || typeof header !== 'string' || typeof appSecret !== 'string' || appSecret === '') return false;
  const match = SIGNATURE.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
