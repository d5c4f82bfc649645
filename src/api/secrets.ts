/**
 * Secrets at rest: passwords and API keys as scrypt hashes (RFC 7914; N=2^14, r=8, p=1, 16-byte
 * salt, 32-byte key), written `scrypt$N$r$p$salt$hash` (base64url); tokens and one-time codes,
 * which are random and short-lived, as SHA-256. Comparisons are constant-time.
 */
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scryptAsync(
  secret: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((res, rej) =>
    scrypt(secret, salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (e, k) =>
      e ? rej(e) : res(k),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, key] = parts;
  const expected = Buffer.from(key!, 'base64url');
  const got = await scryptAsync(
    secret,
    Buffer.from(salt!, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
  );
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random id (hex). */
export function randomId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** A numeric one-time code of `digits` digits. */
export function otpCode(digits: number): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
