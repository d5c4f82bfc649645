/**
 * PEI, the 5G Permanent Equipment Identifier as a string, 3GPP TS 29.571 §5.3.2 (`Pei`), with
 * the identities of TS 23.003 §6 and, for wireline access, TS 23.316 §4.7.7:
 * `imei-<15 digits>`, `imeisv-<16 digits>`, `mac-xx-xx-xx-xx-xx-xx[-untrusted]` (MAC-48) and
 * `eui-xx-xx-xx-xx-xx-xx-xx-xx` (EUI-64), hex in either case.
 *
 * The OpenAPI pattern ends in `|.+`, so it accepts any string; the strict check is here.
 */
import { ceirError, ok, type Result } from '../errors.js';
import type { ImeiNorm } from './imei.js';

/** A parsed PEI. `raw` of an IMEI is its 15 digits as sent (check digit possibly 0). */
export type Pei =
  | { readonly kind: 'imei'; readonly norm: ImeiNorm; readonly raw: string }
  | { readonly kind: 'imeisv'; readonly norm: ImeiNorm; readonly svn: string }
  | { readonly kind: 'mac'; readonly mac: string; readonly untrusted: boolean }
  | { readonly kind: 'eui64'; readonly eui64: string };

const IMEI = /^imei-([0-9]{15})$/;
const IMEISV = /^imeisv-([0-9]{16})$/;
const MAC = /^mac((?:-[0-9a-fA-F]{2}){6})(-untrusted)?$/;
const EUI64 = /^eui((?:-[0-9a-fA-F]{2}){8})$/;

/**
 * Parse a PEI string strictly (TS 29.571 §5.3.2). Never throws. `mac` and `eui64` are returned
 * as upper-case hex without separators (12 and 16 digits).
 */
export function parsePei(raw: string): Result<Pei> {
  let m = IMEI.exec(raw);
  if (m?.[1] !== undefined)
    return ok({ kind: 'imei', norm: m[1].slice(0, 14) as ImeiNorm, raw: m[1] });
  m = IMEISV.exec(raw);
  if (m?.[1] !== undefined) {
    return ok({ kind: 'imeisv', norm: m[1].slice(0, 14) as ImeiNorm, svn: m[1].slice(14) });
  }
  m = MAC.exec(raw);
  if (m?.[1] !== undefined) {
    return ok({ kind: 'mac', mac: hex(m[1]), untrusted: m[2] !== undefined });
  }
  m = EUI64.exec(raw);
  if (m?.[1] !== undefined) return ok({ kind: 'eui64', eui64: hex(m[1]) });
  return parseError(raw, why(raw));
}

/** The TS 29.571 string of a PEI (hex in lower case); `parsePei(formatPei(p))` gives `p`. */
export function formatPei(pei: Pei): string {
  switch (pei.kind) {
    case 'imei':
      return `imei-${pei.raw}`;
    case 'imeisv':
      return `imeisv-${pei.norm}${pei.svn}`;
    case 'mac':
      return `mac${dashed(pei.mac)}${pei.untrusted ? '-untrusted' : ''}`;
    case 'eui64':
      return `eui${dashed(pei.eui64)}`;
  }
}

function hex(dashedPairs: string): string {
  return dashedPairs.replaceAll('-', '').toUpperCase();
}

function dashed(hexDigits: string): string {
  return (hexDigits.toLowerCase().match(/../g) ?? []).map((p) => `-${p}`).join('');
}

function why(raw: string): string {
  if (raw.startsWith('imeisv-')) return 'imeisv- must be followed by 16 digits';
  if (raw.startsWith('imei-')) return 'imei- must be followed by 15 digits';
  if (raw.startsWith('mac-')) {
    return 'mac must be followed by 6 dash-separated hex pairs and optionally -untrusted';
  }
  if (raw.startsWith('eui-')) return 'eui must be followed by 8 dash-separated hex pairs';
  return 'does not start with imei-, imeisv-, mac- or eui-';
}

function parseError(raw: string, reason: string): Result<never> {
  return ceirError('CEIR_ERR_PARSE', `Cannot parse PEI "${raw}": ${reason}`);
}
