import type { LookbackParams } from '../condition.js';
import type { ClassificationData } from '../data-model.js';
import { usedBy } from './roamers.js';

/**
 * `used_by_international_roamer`: IMEIs with a triplet seen in the last `lookbackDays` days
 * (`asOf - lookbackDays + 1 ..= asOf`, by dayMask) whose IMSI starts with none of the country's MCCs (`deployment.country.mcc`). Null IMSIs never match. See `roamers.ts`.
 */
export function usedByInternationalRoamer(
  params: LookbackParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  return usedBy('international_roamer', params, data, asOf);
}
