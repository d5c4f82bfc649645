/**
 * Luhn check digit of an IMEI, 3GPP TS 23.003 Annex B.3 ("Computation of CD for an IMEI").
 *
 * Starting from the right-most of the 14 digits, every second digit is doubled (so the 14th,
 * 12th, ... digits); the digits of the products and the undoubled digits are summed; the check
 * digit is the amount needed to reach the next multiple of ten.
 */

const FOURTEEN_DIGITS = /^[0-9]{14}$/;
const FIFTEEN_DIGITS = /^[0-9]{15}$/;

/** Luhn sum of a digit string whose right-most digit is doubled (the check digit is not yet there). */
function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/**
 * The check digit (0-9) of a 14-digit TAC+SNR, TS 23.003 Annex B.3.
 * Vectors: `26053179311383` -> 7, `49015420323751` -> 8, `35209900176148` -> 1.
 * Throws a RangeError if `digits14` is not exactly 14 ASCII digits (a bug in the caller:
 * parsers validate first).
 */
export function luhnCheckDigit(digits14: string): number {
  if (!FOURTEEN_DIGITS.test(digits14)) {
    throw new RangeError(`luhnCheckDigit needs 14 digits, got "${digits14}"`);
  }
  return (10 - (luhnSum(digits14) % 10)) % 10;
}

/**
 * Whether a 15-digit IMEI carries the right check digit (TS 23.003 Annex B.3).
 * Any string that is not 15 ASCII digits is not valid.
 */
export function luhnValid(digits15: string): boolean {
  if (!FIFTEEN_DIGITS.test(digits15)) return false;
  return luhnCheckDigit(digits15.slice(0, 14)) === digits15.charCodeAt(14) - 48;
}
