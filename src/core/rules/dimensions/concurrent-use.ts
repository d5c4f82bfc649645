import type { ConcurrentUseParams } from '../condition.js';
import { lastDays } from '../dates.js';
import type { ClassificationData } from '../data-model.js';
import { identitiesPerDay } from './identity-counts.js';

/**
 * `concurrent_use`: the same IMEI active with several IMSIs on the same days: clones in
 * simultaneous use, as opposed to a handset that changed SIM (one overlap day at the change).
 *
 * Exact rule: window W = `asOf - periodDays + 1 ..= asOf`. For each day d of W: n(d) = distinct
 * non-null IMSIs of triplets with day d set (all operators; an IMSI reported by two operators
 * counts once); ops(d) = distinct `operator` of those triplets. Day d is concurrent iff
 * n(d) >= threshold and, with `acrossOperators`, ops(d) >= 2. Match iff the number of
 * concurrent days >= minDays (equal matches).
 */
export function concurrentUse(
  params: ConcurrentUseParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const w = lastDays(asOf, params.periodDays);
  const out = new Set<string>();
  for (const [imei, ts] of data.triplets) {
    let days = 0;
    for (const e of identitiesPerDay(ts, w, false).values()) {
      if (e.ids.size < params.threshold) continue;
      if (params.acrossOperators && e.operators.size < 2) continue;
      days++;
    }
    if (days >= params.minDays) out.add(imei);
  }
  return out;
}
