/**
 * Radio capability of a device model from the `Bands` column of the GSMA TAC database, as a
 * generation mask (see `Generation`). Technologies are matched as WHOLE TOKENS, unlike DIRBS's
 * SQL LIKE, whose `_` wildcard misread `DC-HSDPA` as 4G.
 *
 * Tokens are split at white space and `, ; / ( ) [ ] | + :`. A token is tried whole (so
 * `TD-SCDMA`, `E-UTRA`, `CDMA2000` keep their meaning), then with trailing digits removed (so
 * `GSM850`, `LTE2100` count), then each of its `-`-separated parts (so `DC-HSDPA` is HSDPA, 3G).
 * `CA_<x>` (carrier aggregation) is 4G; `n<number>` (an NR band) is 5G.
 */
import { Generation } from './generation.js';

const { G2, G3, G4, G5 } = Generation;

const TECHNOLOGY: ReadonlyMap<string, number> = new Map([
  ['LTE', G4],
  ['E-UTRA', G4],
  ['EUTRA', G4],
  ['WIMAX', G4],
  ['UMB', G4],
  ['HSPA', G3],
  ['HSDPA', G3],
  ['HSUPA', G3],
  ['WCDMA', G3],
  ['UMTS', G3],
  ['EVDO', G3],
  ['EV-DO', G3],
  ['TD-SCDMA', G3],
  ['CDMA2000', G3],
  ['GSM', G2],
  ['GPRS', G2],
  ['EDGE', G2],
  ['CDMA', G2],
  ['1XRTT', G2],
  ['NR', G5],
]);

const SEPARATORS = /[\s,;/()[\]|+:]+/;
const CARRIER_AGGREGATION = /^CA_/i;
const NR_BAND = /^n[0-9]{1,3}$/i;

function tokenCapability(token: string): number {
  const upper = token.toUpperCase();
  const whole = TECHNOLOGY.get(upper) ?? TECHNOLOGY.get(upper.replace(/[0-9]+$/, ''));
  if (whole !== undefined) return whole;
  if (CARRIER_AGGREGATION.test(token)) return G4;
  if (NR_BAND.test(token)) return G5;
  if (!upper.includes('-')) return 0;
  let g = 0;
  for (const part of upper.split('-')) {
    if (part !== '' && part !== upper) g |= tokenCapability(part);
  }
  return g;
}

/**
 * The generation mask of a GSMA `Bands` string, e.g. `GSM 1800, WCDMA FDD Band I, LTE 2100`
 * -> 2G|3G|4G. Unknown tokens (band numbers, `FDD`, `Band`, ...) add nothing.
 */
export function radioCapability(bands: string): number {
  let g = 0;
  for (const token of bands.split(SEPARATORS)) {
    if (token !== '') g |= tokenCapability(token);
  }
  return g;
}
