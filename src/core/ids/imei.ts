/**
 * IMEI, 3GPP TS 23.003 §6.2.1: TAC (8 digits) + SNR (6) + check digit (1, Annex B.3).
 *
 * The check digit is not transmitted at IMEI check occasions (TS 22.016 §3): networks send it
 * as 0 or omit it. So a device is keyed by the 14-digit TAC+SNR, {@link ImeiNorm}. A
 * network-supplied IMEI is never rejected for its check digit ({@link imeiCheckDigitStatus}
 * only reports); an IMEI typed by a person is ({@link parseTypedImei}).
 */
import { ceirError, ok, type Result } from '../errors.js';
import { luhnCheckDigit } from './luhn.js';

/** The 14-digit TAC+SNR key of a device. Made only by the parsers of this module. */
export type ImeiNorm = string & { readonly __brand: 'ImeiNorm' };

/** The outcome of DIRBS-compatible normalisation: a clean key, or the malformed value kept. */
export type NormalisedImei =
  | { readonly kind: 'valid'; readonly norm: ImeiNorm }
  | { readonly kind: 'malformed'; readonly norm: string };

const LEADING_14 = /^[0-9]{14}/;
const EXACT_14 = /^[0-9]{14}$/;
const ONLY_DIGITS = /^[0-9]*$/;
/** Separators a person may type inside an IMEI (`35-209900-176148-1`, `35 209900 176148 1`). */
const TYPED_SEPARATORS = /[\s-]/g;

/**
 * DIRBS-compatible IMEI normalisation (DIRBS `imei_norm`): trim; if the value starts with 14
 * ASCII digits keep those 14 (`valid`); otherwise keep the whole trimmed value upper-cased and
 * call it `malformed`. Oracle: `22345678901233ab` -> `22345678901233`, `22a456789012345` ->
 * `22A456789012345` (malformed), `52003020863612#` -> `52003020863612`, `` -> `` (malformed).
 * Idempotent: normalising a result again gives the same result.
 */
export function normaliseImei(raw: string): NormalisedImei {
  const trimmed = raw.trim();
  if (LEADING_14.test(trimmed)) return { kind: 'valid', norm: trimmed.slice(0, 14) as ImeiNorm };
  return { kind: 'malformed', norm: trimmed.toUpperCase() };
}

/** Parse an exact 14-digit TAC+SNR key (e.g. read back from a list or a store). */
export function parseImeiNorm(raw: string): Result<ImeiNorm> {
  if (!ONLY_DIGITS.test(raw)) return parseError(raw, 'contains non-digit characters');
  if (!EXACT_14.test(raw)) return parseError(raw, `must have 14 digits, has ${raw.length}`);
  return ok(raw as ImeiNorm);
}

/** An IMEI typed by a person, checked: the key, its check digit and the full 15 digits. */
export interface TypedImei {
  readonly norm: ImeiNorm;
  readonly checkDigit: number;
  readonly full15: string;
  /** Whether the person typed the check digit (15 digits) or it was computed (14 digits). */
  readonly checkDigitTyped: boolean;
}

/**
 * Parse an IMEI typed by a person (public check, theft report). Surrounding white space and
 * spaces or hyphens inside are ignored. 15 digits: the check digit (TS 23.003 Annex B.3) must
 * be right, else the error names the expected one (`check digit should be 7, not 8`).
 * 14 digits: the check digit is computed.
 */
export function parseTypedImei(raw: string): Result<TypedImei> {
  const digits = raw.trim().replace(TYPED_SEPARATORS, '');
  if (digits === '') return parseError(raw, 'is empty');
  if (!ONLY_DIGITS.test(digits)) return parseError(raw, 'contains non-digit characters');
  if (digits.length !== 14 && digits.length !== 15) {
    return parseError(raw, `must have 14 or 15 digits, has ${digits.length}`);
  }
  const norm = digits.slice(0, 14) as ImeiNorm;
  const checkDigit = luhnCheckDigit(norm);
  if (digits.length === 15) {
    const typed = digits.charCodeAt(14) - 48;
    if (typed !== checkDigit) {
      return parseError(raw, `check digit should be ${checkDigit}, not ${typed}`);
    }
  }
  return ok({
    norm,
    checkDigit,
    full15: norm + String(checkDigit),
    checkDigitTyped: digits.length === 15,
  });
}

/**
 * What the check digit of a network-supplied IMEI says; never a reason to reject it
 * (TS 22.016 §3). On the trimmed value:
 * - `invalid`: the value does not start with 14 digits (malformed), or exactly 15 digits with a
 *   wrong non-zero check digit;
 * - `zero`: exactly 15 digits ending in a 0 that is not the right check digit (the spare digit
 *   networks send);
 * - `valid`: exactly 15 digits with the right check digit;
 * - `absent`: 14 digits not followed by a 15th digit, or 16+ digits (an IMEISV's SVN, not a
 *   check digit).
 */
export function imeiCheckDigitStatus(raw: string): 'valid' | 'invalid' | 'absent' | 'zero' {
  const trimmed = raw.trim();
  const m = /^([0-9]{14})([0-9]*)/.exec(trimmed);
  if (m === null) return 'invalid';
  const [, norm = '', rest = ''] = m;
  if (rest.length !== 1) return 'absent';
  const expected = luhnCheckDigit(norm);
  const given = rest.charCodeAt(0) - 48;
  if (given === expected) return 'valid';
  return given === 0 ? 'zero' : 'invalid';
}

/** The key as a number (14 digits fit a float64 exactly; the fixed width restores zeros). */
export function imeiToNumber(norm: ImeiNorm): number {
  return Number(norm);
}

/**
 * The key back from {@link imeiToNumber}, zero-padded to 14 digits. Throws a RangeError for a
 * number that is not an integer in [0, 10^14) (a bug: such numbers are never keys).
 */
export function imeiFromNumber(n: number): ImeiNorm {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e14) {
    throw new RangeError(`imeiFromNumber needs an integer in [0, 1e14), got ${n}`);
  }
  return String(n).padStart(14, '0') as ImeiNorm;
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse IMEI "${raw}": ${why}`);
}
