/**
 * Numeric keys for variable-length digit strings (IMSI, MSISDN). Such strings may start with 0
 * (test MCC 001, TS 23.003 §2.2) and vary in length, so the digits `d` are stored as the number
 * `1d`: at most 16 digits, below 2^53, so a float64 holds it exactly and both length and leading
 * zeros survive.
 */

const UP_TO_15_DIGITS = /^[0-9]{0,15}$/;

/**
 * Encode up to 15 digits as the number `1<digits>`. Throws a RangeError for anything else
 * (a bug: parse the IMSI or MSISDN first).
 */
export function digitsToKey(d: string): number {
  if (!UP_TO_15_DIGITS.test(d)) throw new RangeError(`digitsToKey needs 0-15 digits, got "${d}"`);
  return Number(`1${d}`);
}

/** Decode a key made by {@link digitsToKey}. Throws a RangeError for a number it cannot make. */
export function keyToDigits(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n >= 2e15) {
    throw new RangeError(`keyToDigits needs a key from digitsToKey, got ${n}`);
  }
  const s = String(n);
  if (s[0] !== '1') throw new RangeError(`keyToDigits needs a key from digitsToKey, got ${n}`);
  return s.slice(1);
}
