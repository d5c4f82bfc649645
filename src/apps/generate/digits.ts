/**
 * Digit helpers private to the generator (the project's shared IMEI helpers live elsewhere; the
 * generator keeps its own so the two can be cross-checked): Luhn check digits and fast writing of
 * zero-padded decimal numbers into byte buffers.
 */

/** Luhn check digit of a 14-digit IMEI body (3GPP TS 23.003 annex B). */
export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let d = body.charCodeAt(k) - 48;
    // Counting from the right end of the body, every first, third, ... digit is doubled.
    if ((body.length - k) % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A 14-digit IMEI body with its Luhn check digit appended. */
export function withCheckDigit(body14: string): string {
  return body14 + String(luhnCheckDigit(body14));
}

/** Luhn contribution of one digit at 0-based position `pos` of a 14-digit body. */
export function luhnTerm(digit: number, pos: number): number {
  if (pos % 2 === 1) {
    const d = digit * 2;
    return d > 9 ? d - 9 : d;
  }
  return digit;
}

/** Luhn sum of the 8 TAC digits (positions 0-7 of the body). */
export function tacLuhnSum(tac: string): number {
  let s = 0;
  for (let k = 0; k < 8; k++) s += luhnTerm(tac.charCodeAt(k) - 48, k);
  return s;
}

/** Doubled-digit Luhn values, indexed by digit. */
export const DOUBLED = new Uint8Array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]);

export function pad(v: number, width: number): string {
  return String(v).padStart(width, '0');
}

/**
 * Writes `v` (a non-negative integer below 2^53) as exactly `width` decimal digits, zero-padded,
 * at `p`; returns the position after it.
 */
export function writeDigits(b: Uint8Array, p: number, v: number, width: number): number {
  let k = p + width - 1;
  while (v >= 0x7fffffff && k >= p) {
    const q = Math.floor(v / 10);
    b[k--] = 48 + (v - q * 10);
    v = q;
  }
  let x = v | 0;
  while (k >= p) {
    const q = (x / 10) | 0;
    b[k--] = 48 + (x - q * 10);
    x = q;
  }
  return p + width;
}

/** Copies an ASCII byte string into `b` at `p`; returns the position after it. */
export function writeBytes(b: Uint8Array, p: number, s: Uint8Array): number {
  const n = s.length;
  if (n > 24) {
    b.set(s, p);
    return p + n;
  }
  for (let k = 0; k < n; k++) b[p + k] = s[k]!;
  return p + n;
}

export function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
