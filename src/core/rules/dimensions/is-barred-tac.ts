import type { NoParams } from '../condition.js';
import { type ClassificationData, seenImeis, tacOfNorm } from '../data-model.js';

/**
 * `is_barred_tac`: SEEN IMEIs whose TAC (first 8 characters of `imei_norm`) is on the current
 * barred TAC list (`data.lists.barredTac`).
 */
export function isBarredTac(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const imei of seenImeis(data, asOf)) {
    if (data.lists.barredTac.has(tacOfNorm(imei))) out.add(imei);
  }
  return out;
}
