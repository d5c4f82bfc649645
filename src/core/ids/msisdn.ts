/**
 * MSISDN, ITU-T E.164 as used by 3GPP TS 23.003 §3.3: country code + national number, at most
 * 15 digits. Store MSISDNs as numbers with `digitsToKey` (`digit-key.ts`).
 */
import { ceirError, ok, type Result } from '../errors.js';

/** An MSISDN of 3 to 15 digits, without `+`. Made only by {@link parseMsisdn}. */
export type Msisdn = string & { readonly __brand: 'Msisdn' };

/**
 * Parse an MSISDN: surrounding white space trimmed, one leading `+` stripped, then 3 to 15
 * digits (a 1-3 digit country code plus a national number; E.164 caps the total at 15).
 */
export function parseMsisdn(raw: string): Result<Msisdn> {
  const t = raw.trim();
  const d = t.startsWith('+') ? t.slice(1) : t;
  if (d === '') return parseError(raw, 'is empty');
  if (!/^[0-9]+$/.test(d)) return parseError(raw, 'contains non-digit characters');
  if (d.length < 3 || d.length > 15) {
    return parseError(raw, `must have 3 to 15 digits, has ${d.length}`);
  }
  return ok(d as Msisdn);
}

/** Whether the MSISDN starts with one of the country codes (empty codes are ignored). */
export function msisdnMatchesCountryCodes(msisdn: Msisdn, codes: readonly string[]): boolean {
  return codes.some((c) => c.length > 0 && msisdn.startsWith(c));
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse MSISDN "${raw}": ${why}`);
}
