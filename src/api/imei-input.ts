/**
 * An IMEI typed by a person (public check, theft report): spaces, dashes and dots are ignored;
 * 15 digits with a valid Luhn check digit (TS 23.003 B.2) pass; a wrong check digit is caught
 * with the corrected IMEI suggested (domain.md section 2: flag it where a person typed it); 14
 * digits (no check digit) pass with the full form given back.
 */
import { luhnCheckDigit } from '../core/ids/index.js';

export type ImeiInput =
  | { readonly kind: 'ok'; readonly imei: string; readonly key: string }
  | {
      readonly kind: 'invalid';
      readonly problem: 'check_digit' | 'length' | 'characters';
      readonly message: string;
      readonly suggestion?: string;
    };

export function parseImeiInput(raw: string): ImeiInput {
  const s = raw.replace(/[\s.\-/]/g, '');
  if (!/^[0-9]*$/.test(s))
    return {
      kind: 'invalid',
      problem: 'characters',
      message: `"${raw.slice(0, 40)}" is not an IMEI: an IMEI has digits only (dial *#06# to see yours)`,
    };
  if (s.length !== 14 && s.length !== 15)
    return {
      kind: 'invalid',
      problem: 'length',
      message: `An IMEI has 15 digits; "${s.slice(0, 40)}" has ${s.length} (dial *#06# to see yours)`,
    };
  const key = s.slice(0, 14);
  const cd = String(luhnCheckDigit(key));
  const imei = key + cd;
  if (s.length === 15 && s[14] !== cd)
    return {
      kind: 'invalid',
      problem: 'check_digit',
      message: `The last digit of ${s} does not match the others (a typing mistake?): did you mean ${imei}?`,
      suggestion: imei,
    };
  return { kind: 'ok', imei, key };
}
