import type { SeenBeforeAllocationParams } from '../condition.js';
import { dayNumber } from '../dates.js';
import { type ClassificationData, isCleanImeiNorm, tacOfNorm, tripletDays } from '../data-model.js';

/** The day number of a calendar `YYYY-MM-DD`, or undefined for any other text. */
function calendarDay(s: string | null): number | undefined {
  if (s === null || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return undefined;
  try {
    return dayNumber(s);
  } catch {
    return undefined;
  }
}

/**
 * `seen_before_allocation`: a clean IMEI on a network before the GSMA allocated its TAC: a
 * device cannot exist before its TAC, so the IMEI was written by someone else (reprogrammed or
 * invented).
 *
 * Exact rule, for each clean IMEI: its TAC is in `data.tacs` with an `allocationDate` that is a
 * calendar date A; cut-off C = min(asOf, A - toleranceDays - 1); match iff some triplet day is
 * on or before C.
 */
export function seenBeforeAllocation(
  params: SeenBeforeAllocationParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  const end = dayNumber(asOf);
  for (const [imei, ts] of data.triplets) {
    if (!isCleanImeiNorm(imei)) continue;
    const alloc = calendarDay(data.tacs.get(tacOfNorm(imei))?.allocationDate ?? null);
    if (alloc === undefined) continue;
    const to = Math.min(end, alloc - params.toleranceDays - 1);
    if (ts.some((t) => tripletDays(t, { from: Number.MIN_SAFE_INTEGER, to }).length > 0))
      out.add(imei);
  }
  return out;
}
