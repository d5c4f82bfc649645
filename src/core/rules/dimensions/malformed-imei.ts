import type { NoParams } from '../condition.js';
import { type ClassificationData, isCleanImeiNorm, seenImeis } from '../data-model.js';

/**
 * `malformed_imei`: SEEN IMEIs whose `imei_norm` is not exactly 14 ASCII digits (the
 * normalisation kept the whole upper-cased value because it did not start with 14 digits).
 */
export function malformedImei(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const imei of seenImeis(data, asOf)) if (!isCleanImeiNorm(imei)) out.add(imei);
  return out;
}
