import type { GsmaNotFoundParams } from '../condition.js';
import { dayNumber } from '../dates.js';
import { type ClassificationData, tacOfNorm, tripletDays, upTo } from '../data-model.js';

/**
 * `gsma_not_found`: the IMEI's TAC is absent from the GSMA TAC database and the IMEI has been
 * seen long enough for a late allocation to have shown up (DIRBS `gsma_not_found`).
 *
 * Exact rule, for each SEEN IMEI (a triplet day on or before `asOf`):
 * - TAC = the first 8 characters of `imei_norm` (malformed IMEIs included: their TAC is never
 *   in the database, so they match once the delay has passed);
 * - the TAC is not a key of `data.tacs`;
 * - firstSeen = the earliest triplet day on or before `asOf`, over all operators and months;
 * - delay = `rbiDelays[first 2 characters]`, 0 when the RBI has no entry or delays are ignored;
 * - match iff `firstSeen + delay <= asOf` (DIRBS: `min_first_seen + delay < asOf + 1 day`), so
 *   with delay 0 an IMEI first seen on `asOf` itself matches.
 */
export function gsmaNotFound(
  params: GsmaNotFoundParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const w = upTo(asOf);
  const end = dayNumber(asOf);
  const out = new Set<string>();
  for (const [imei, ts] of data.triplets) {
    if (data.tacs.has(tacOfNorm(imei))) continue;
    const days = ts.flatMap((t) => tripletDays(t, w));
    if (days.length === 0) continue;
    const firstSeen = Math.min(...days);
    const delay = params.rbiDelays[imei.slice(0, 2)] ?? 0;
    if (firstSeen + delay <= end) out.add(imei);
  }
  return out;
}
