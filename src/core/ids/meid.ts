/**
 * MEID, 3GPP2 S.R0048: 56 bits written as 14 hexadecimal digits (a manufacturer code RR plus
 * serial), used by CDMA devices and carried separately from the IMEI.
 *
 * Ambiguity: a 14-decimal-digit string is also valid hex, so the same text can be an IMEI key
 * (TAC+SNR) or an MEID. Nothing in the digits tells them apart; the field they arrive in does.
 * So nothing here guesses: {@link parseMeid} is only called on values known to be MEIDs, and
 * it returns the distinct `Meid` brand, which the type checker keeps apart from `ImeiNorm`.
 */
import { ceirError, ok, type Result } from '../errors.js';

/** A 14-hex-digit MEID, upper-case. Made only by {@link parseMeid}. */
export type Meid = string & { readonly __brand: 'Meid' };

/** Parse an MEID: surrounding white space trimmed, 14 hex digits, normalised to upper case. */
export function parseMeid(raw: string): Result<Meid> {
  const t = raw.trim();
  if (!/^[0-9A-Fa-f]*$/.test(t)) return parseError(raw, 'contains non-hexadecimal characters');
  if (t.length !== 14) return parseError(raw, `must have 14 hex digits, has ${t.length}`);
  return ok(t.toUpperCase() as Meid);
}

/**
 * Whether an MEID is written only with decimal digits, and so could be misread as an IMEI key
 * if it lost its field. Informative only.
 */
export function meidIsAllDecimal(meid: Meid): boolean {
  return /^[0-9]{14}$/.test(meid);
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse MEID "${raw}": ${why}`);
}
