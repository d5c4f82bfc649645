import type { LookbackParams } from '../condition.js';
import type { ClassificationData } from '../data-model.js';
import { usedBy } from './roamers.js';

/**
 * `used_by_local_roamer`: IMEIs with a triplet seen in the last `lookbackDays` days
 * (`asOf - lookbackDays + 1 ..= asOf`, by dayMask) whose IMSI starts with a country MCC but with no configured operator MCC-MNC. Null IMSIs never match. See `roamers.ts`.
 */
export function usedByLocalRoamer(
  params: LookbackParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  return usedBy('local_roamer', params, data, asOf);
}
