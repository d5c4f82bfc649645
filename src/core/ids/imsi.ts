/**
 * IMSI, 3GPP TS 23.003 §2.2: MCC (3 digits) + MNC (2 or 3) + MSIN, at most 15 digits.
 * Which operator an IMSI belongs to is decided by configured MCC-MNC prefixes
 * ({@link imsiMatchesPrefixes}), so no table of MNC lengths is needed. Store IMSIs as numbers
 * with `digitsToKey` (`digit-key.ts`), which keeps the leading zeros of test MCC 001.
 */
import { ceirError, ok, type Result } from '../errors.js';

/** An IMSI of 6 to 15 digits. Made only by {@link parseImsi}. */
export type Imsi = string & { readonly __brand: 'Imsi' };

/**
 * Parse an IMSI: surrounding white space trimmed, then 6 to 15 digits (MCC + MNC + at least one
 * MSIN digit; TS 23.003 §2.2 caps the length at 15). DIRBS's stricter "14-15 digits" is a
 * quality-gate heuristic, not a parse rule.
 */
export function parseImsi(raw: string): Result<Imsi> {
  const t = raw.trim();
  if (t === '') return parseError(raw, 'is empty');
  if (!/^[0-9]+$/.test(t)) return parseError(raw, 'contains non-digit characters');
  if (t.length < 6 || t.length > 15) {
    return parseError(raw, `must have 6 to 15 digits, has ${t.length}`);
  }
  return ok(t as Imsi);
}

/** The Mobile Country Code: the first 3 digits (TS 23.003 §2.2). */
export function imsiMcc(imsi: Imsi): string {
  return imsi.slice(0, 3);
}

/**
 * Whether the IMSI starts with one of the MCC-MNC (or MCC) prefixes. Empty prefixes are
 * ignored, so a stray empty entry in configuration does not match everything.
 */
export function imsiMatchesPrefixes(imsi: Imsi, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => p.length > 0 && imsi.startsWith(p));
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse IMSI "${raw}": ${why}`);
}
