/** One pure evaluator per dimension module, and the dispatch over a `DimensionSpec`. */
import type { DimensionSpec } from '../condition.js';
import type { ClassificationData } from '../data-model.js';
import { concurrentUse } from './concurrent-use.js';
import { duplicateDailyAvg } from './duplicate-daily-avg.js';
import { duplicateThreshold } from './duplicate-threshold.js';
import { existsInBarredList } from './exists-in-barred-list.js';
import { existsInMonitoringList } from './exists-in-monitoring-list.js';
import { foreignBlockList } from './foreign-block-list.js';
import { attestationMismatch } from './attestation-mismatch.js';
import { implausibleImei } from './implausible-imei.js';
import { seenBeforeAllocation } from './seen-before-allocation.js';
import { gsmaNotFound } from './gsma-not-found.js';
import { inconsistentRat } from './inconsistent-rat.js';
import { isBarredTac } from './is-barred-tac.js';
import { isTestTac } from './is-test-tac.js';
import { malformedImei } from './malformed-imei.js';
import { notOnRegistrationList } from './not-on-registration-list.js';
import { ratBeyondTac } from './rat-beyond-tac.js';
import { realtimeClone } from './realtime-clone.js';
import { stolenList } from './stolen-list.js';
import { transientImei } from './transient-imei.js';
import { usedByHomeSubscriber } from './used-by-home-subscriber.js';
import { usedByInternationalRoamer } from './used-by-international-roamer.js';
import { usedByLocalRoamer } from './used-by-local-roamer.js';

export {
  concurrentUse,
  foreignBlockList,
  attestationMismatch,
  implausibleImei,
  seenBeforeAllocation,
  duplicateDailyAvg,
  duplicateThreshold,
  existsInBarredList,
  existsInMonitoringList,
  gsmaNotFound,
  inconsistentRat,
  isBarredTac,
  isTestTac,
  malformedImei,
  notOnRegistrationList,
  ratBeyondTac,
  realtimeClone,
  stolenList,
  transientImei,
  usedByHomeSubscriber,
  usedByInternationalRoamer,
  usedByLocalRoamer,
};
export { imsiHome, type ImsiHome } from './roamers.js';
export { isArithmeticProgression } from './transient-imei.js';
export { INCONSISTENT_RAT_GENERATIONS } from './inconsistent-rat.js';

/**
 * The IMEIs a dimension matches as of `asOf`, IGNORING `invert` (see `evaluate-condition.ts`).
 * Always a subset of the SEEN IMEIs (`seenImeis`).
 */
export function evaluateDimension(
  spec: DimensionSpec,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  switch (spec.module) {
    case 'gsma_not_found':
      return gsmaNotFound(spec.parameters, data, asOf);
    case 'stolen_list':
      return stolenList(spec.parameters, data, asOf);
    case 'duplicate_threshold':
      return duplicateThreshold(spec.parameters, data, asOf);
    case 'duplicate_daily_avg':
      return duplicateDailyAvg(spec.parameters, data, asOf);
    case 'malformed_imei':
      return malformedImei(spec.parameters, data, asOf);
    case 'not_on_registration_list':
      return notOnRegistrationList(spec.parameters, data, asOf);
    case 'inconsistent_rat':
      return inconsistentRat(spec.parameters, data, asOf);
    case 'rat_beyond_tac':
      return ratBeyondTac(spec.parameters, data, asOf);
    case 'is_test_tac':
      return isTestTac(spec.parameters, data, asOf);
    case 'is_barred_tac':
      return isBarredTac(spec.parameters, data, asOf);
    case 'exists_in_barred_list':
      return existsInBarredList(spec.parameters, data, asOf);
    case 'exists_in_monitoring_list':
      return existsInMonitoringList(spec.parameters, data, asOf);
    case 'used_by_international_roamer':
      return usedByInternationalRoamer(spec.parameters, data, asOf);
    case 'used_by_local_roamer':
      return usedByLocalRoamer(spec.parameters, data, asOf);
    case 'used_by_home_subscriber':
      return usedByHomeSubscriber(spec.parameters, data, asOf);
    case 'transient_imei':
      return transientImei(spec.parameters, data, asOf);
    case 'concurrent_use':
      return concurrentUse(spec.parameters, data, asOf);
    case 'realtime_clone':
      return realtimeClone(spec.parameters, data, asOf);
    case 'foreign_block_list':
      return foreignBlockList(spec.parameters, data, asOf);
    case 'implausible_imei':
      return implausibleImei(spec.parameters, data, asOf);
    case 'seen_before_allocation':
      return seenBeforeAllocation(spec.parameters, data, asOf);
    case 'attestation_mismatch':
      return attestationMismatch(spec.parameters, data, asOf);
  }
}
