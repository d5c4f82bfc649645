/** The RAT codes an IMEI was seen on, shared by `inconsistent_rat` and `rat_beyond_tac`. */
import { type ClassificationData, seenInWindow, tacOfNorm, upTo } from '../data-model.js';
import type { TacInfo } from '../data-model.js';

/**
 * For each SEEN IMEI whose TAC is in the TAC database with a non-zero capability: the OR of the
 * `ratMask` of its triplets that have a day on or before `asOf` (a month's mask is not split by
 * day), with the TAC's entry. IMEIs of unknown TACs, or TACs whose Bands gave no capability
 * (`caps` 0), are left out: nothing can be said of them.
 */
export function seenRatsWithTac(
  data: ClassificationData,
  asOf: string,
): Map<string, { ratMask: number; tac: TacInfo }> {
  const w = upTo(asOf);
  const out = new Map<string, { ratMask: number; tac: TacInfo }>();
  for (const [imei, ts] of data.triplets) {
    const tac = data.tacs.get(tacOfNorm(imei));
    if (!tac || tac.caps === 0) continue;
    let ratMask = 0;
    let seen = false;
    for (const t of ts) {
      if (!seenInWindow(t, w)) continue;
      seen = true;
      ratMask |= t.ratMask;
    }
    if (seen) out.set(imei, { ratMask, tac });
  }
  return out;
}
