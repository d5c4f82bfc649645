import type { DuplicateDailyAvgParams } from '../condition.js';
import { periodWindow } from '../dates.js';
import type { ClassificationData } from '../data-model.js';
import { identitiesPerDay } from './identity-counts.js';

/**
 * `duplicate_daily_avg`: the average number of distinct IMSIs (MSISDNs with `useMsisdn`) an
 * IMEI is seen with per day it was seen, within the period (DIRBS `duplicate_daily_avg`).
 *
 * Exact rule: window W = `periodWindow(asOf, period)` (inclusive). For each day d in W, n(d) =
 * distinct non-null IMSIs (MSISDNs) whose triplets have day d set, over all operators (an IMSI
 * reported by two operators on d counts once). daysSeen = days of W with n(d) >= 1 (days with
 * only null IMSIs do not count). Match iff daysSeen >= minSeenDays AND
 * sum(n(d)) / daysSeen >= threshold (equal matches; real division).
 */
export function duplicateDailyAvg(
  params: DuplicateDailyAvgParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const w = periodWindow(asOf, params.period);
  const out = new Set<string>();
  for (const [imei, ts] of data.triplets) {
    const perDay = identitiesPerDay(ts, w, params.useMsisdn);
    const daysSeen = perDay.size;
    if (daysSeen === 0 || daysSeen < params.minSeenDays) continue;
    let sum = 0;
    for (const e of perDay.values()) sum += e.ids.size;
    if (sum / daysSeen >= params.threshold) out.add(imei);
  }
  return out;
}
