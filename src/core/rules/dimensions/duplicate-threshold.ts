import type { DuplicateThresholdParams } from '../condition.js';
import { periodWindow } from '../dates.js';
import { type ClassificationData, tripletsInWindow } from '../data-model.js';
import { identityOf } from './identity-counts.js';

/**
 * `duplicate_threshold`: IMEIs seen with at least `threshold` distinct IMSIs (MSISDNs with
 * `useMsisdn`) within the period (DIRBS `duplicate_threshold`).
 *
 * Exact rule: window W = `periodWindow(asOf, period)` (inclusive; N days ending on `asOf`, or
 * `asOf + 1 day - M months ..= asOf`). Take every triplet with at least one dayMask day in W
 * (any operator); count the distinct non-null IMSIs (MSISDNs) of the IMEI among them; match iff
 * count >= threshold (equal matches). Days outside W do not count, even in the same month.
 */
export function duplicateThreshold(
  params: DuplicateThresholdParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const [imei, ts] of tripletsInWindow(data, periodWindow(asOf, params.period))) {
    const ids = new Set<string>();
    for (const t of ts) {
      const id = identityOf(t, params.useMsisdn);
      if (id !== null) ids.add(id);
    }
    if (ids.size >= params.threshold) out.add(imei);
  }
  return out;
}
