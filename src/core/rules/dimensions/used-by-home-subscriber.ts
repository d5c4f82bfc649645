import type { LookbackParams } from '../condition.js';
import type { ClassificationData } from '../data-model.js';
import { usedBy } from './roamers.js';

/**
 * `used_by_home_subscriber`: IMEIs with a triplet seen in the last `lookbackDays` days
 * (`asOf - lookbackDays + 1 ..= asOf`, by dayMask) whose IMSI starts with a configured operator MCC-MNC (DIRBS `used_by_dirbs_subscriber`). Null IMSIs never match. See `roamers.ts`.
 */
export function usedByHomeSubscriber(
  params: LookbackParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  return usedBy('home', params, data, asOf);
}
