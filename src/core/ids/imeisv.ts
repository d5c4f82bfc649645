/**
 * IMEISV, 3GPP TS 23.003 §6.2.2: TAC (8 digits) + SNR (6) + SVN (2), 16 digits, no check
 * digit. SVN 99 is reserved for future use by the spec; it is accepted here as given.
 */
import { ceirError, ok, type Result } from '../errors.js';
import type { ImeiNorm } from './imei.js';

/** An IMEISV split into the device key (TAC+SNR) and the Software Version Number. */
export interface Imeisv {
  readonly norm: ImeiNorm;
  /** The two-digit SVN, as a string so `01` stays `01`. */
  readonly svn: string;
}

/** Parse a 16-digit IMEISV (surrounding white space trimmed). */
export function parseImeisv(raw: string): Result<Imeisv> {
  const t = raw.trim();
  if (!/^[0-9]*$/.test(t)) return parseError(raw, 'contains non-digit characters');
  if (t.length !== 16) return parseError(raw, `must have 16 digits, has ${t.length}`);
  return ok({ norm: t.slice(0, 14) as ImeiNorm, svn: t.slice(14) });
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse IMEISV "${raw}": ${why}`);
}
