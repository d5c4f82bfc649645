/**
 * Type Allocation Code, 3GPP TS 23.003 §6.2.1: the first 8 digits of an IMEI, allocated by a
 * GSMA Reporting Body whose identifier (RBI) is the first two digits.
 */
import { ceirError, ok, type Result } from '../errors.js';
import type { ImeiNorm } from './imei.js';

/** An 8-digit TAC. Made only by {@link parseTac} and {@link tacOf}. */
export type Tac = string & { readonly __brand: 'Tac' };

const EXACT_8 = /^[0-9]{8}$/;
const ONLY_DIGITS = /^[0-9]*$/;

/** The TAC of a device key (its first 8 digits). */
export function tacOf(norm: ImeiNorm): Tac {
  return norm.slice(0, 8) as Tac;
}

/** Parse a TAC: surrounding white space is trimmed, then exactly 8 digits. */
export function parseTac(raw: string): Result<Tac> {
  const t = raw.trim();
  if (!ONLY_DIGITS.test(t)) return parseError(raw, 'contains non-digit characters');
  if (!EXACT_8.test(t)) return parseError(raw, `must have 8 digits, has ${t.length}`);
  return ok(t as Tac);
}

/**
 * DIRBS `is_test_tac`: test or reserved TACs, whose first digits are `001001` to `001017`,
 * `0044`, `0086` or `0091`. Works on a TAC, a 14-digit key or a full IMEI (only the prefix is
 * read). Plain `44`, `86`, `91` are real Reporting Bodies (BABT, TAF, MSAI), not test TACs.
 */
export function isTestTac(imeiOrTac: string): boolean {
  if (/^00(44|86|91)/.test(imeiOrTac)) return true;
  const m = /^0010(0[1-9]|1[0-7])/.exec(imeiOrTac);
  return m !== null;
}

/** The Reporting Body Identifier: the first two digits of a TAC (TS 23.003 §6.2.1). */
export function reportingBodyId(tac: Tac | ImeiNorm): string {
  return tac.slice(0, 2);
}

function parseError(raw: string, why: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse TAC "${raw}": ${why}`);
}
