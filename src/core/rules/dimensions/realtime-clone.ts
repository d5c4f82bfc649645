import type { LookbackParams } from '../condition.js';
import { dayNumber, lastDays } from '../dates.js';
import { type ClassificationData, seenImeis } from '../data-model.js';

/**
 * `realtime_clone`: IMEIs the EIR's streaming clone detector (`eir/clone-detector.ts`) flagged
 * recently: presented with more distinct IMSIs than its threshold within its sliding window,
 * from several peers (clones in use right now, seen by the real-time checks rather than by the
 * operators' dumps).
 *
 * Exact rule: window W = `asOf - lookbackDays + 1 ..= asOf`. Match iff the IMEI has a flag
 * (`data.realtimeCloneFlags`, UTC date of `flagged_at`) on a day of W and is SEEN as of `asOf`
 * (a flag alone, for an IMEI in no operator dump, does not match: every dimension matches a
 * subset of the SEEN set).
 */
export function realtimeClone(
  params: LookbackParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  const flags = data.realtimeCloneFlags;
  if (flags === undefined || flags.size === 0) return out;
  const w = lastDays(asOf, params.lookbackDays);
  const seen = seenImeis(data, asOf);
  for (const [imei, dates] of flags) {
    if (!seen.has(imei)) continue;
    if (
      dates.some((d) => {
        const n = dayNumber(d);
        return n >= w.from && n <= w.to;
      })
    )
      out.add(imei);
  }
  return out;
}
