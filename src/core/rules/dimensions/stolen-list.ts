import type { NoParams } from '../condition.js';
import { type ClassificationData, seenImeis, stolenStatusBlocks } from '../data-model.js';

/**
 * `stolen_list`: SEEN IMEIs on the current stolen list with a blocking status: null, empty
 * after trimming, or `blacklist` (case-insensitive, trimmed). Other statuses (e.g. `recovered`)
 * do not match. The list is the one current at classification time (`data.lists.stolen`).
 */
export function stolenList(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const seen = seenImeis(data, asOf);
  const out = new Set<string>();
  for (const [imei, e] of data.lists.stolen) {
    if (seen.has(imei) && stolenStatusBlocks(e.status)) out.add(imei);
  }
  return out;
}
