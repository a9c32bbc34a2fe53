import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Passwords are hashed with scrypt from Node's own crypto (OpenSSL's), a memory-hard function OWASP lists
// beside Argon2id, so no native package or prebuilt binary has to install on every platform. The cost is one
// of OWASP's scrypt settings (N = 2^15, r = 8, p = 3: 32 MiB, about a quarter of a second here); it is written
// into every hash, so raising it later leaves old hashes readable (`needsRehash` says which to redo).

const COST = { ln: 15, r: 8, p: 3 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

interface Params { ln: number; r: number; p: number }

function derive(secret: string, salt: Buffer, { ln, r, p }: Params): Promise<Buffer> {
  // maxmem: scrypt needs 128 · N · r bytes; Node's default ceiling (32 MiB) is exactly at it
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r };
  return new Promise((resolve, reject) => scrypt(secret.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `$scrypt$ln=15,r=8,p=3$<salt, base64>$<hash, base64>` (the PHC string format). */
export async function hashPassword(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, COST);
  return `$scrypt$ln=${COST.ln},r=${COST.r},p=${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { params: Params; salt: Buffer; key: Buffer } | undefined {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return undefined;
  return { params: { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }, salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}

/** Whether `secret` is the one `stored` was made from. A malformed stored hash matches nothing. */
export async function verifyPassword(secret: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(secret, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** A hash made with a lower cost than today's: rehash it at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.ln < COST.ln || parsed.params.r < COST.r || parsed.params.p < COST.p;
}

// Verifying against this when the name is unknown costs what a real check costs, so the answer's timing
// does not tell which names exist.
let decoy: Promise<string> | undefined;
export async function verifyNothing(secret: string): Promise<false> {
  await verifyPassword(secret, await (decoy ??= hashPassword(randomBytes(16).toString('hex'))));
  return false;
}
