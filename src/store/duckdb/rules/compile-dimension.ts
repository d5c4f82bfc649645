/**
 * Compiles a dimension (`core/rules/condition.ts`) as of a date into one DuckDB query over
 * `triplets`, `list_entries`, `id_texts` and `realtime_clone_flags`, set-based (no per-row JavaScript): one column
 * `imei BIGINT` (the triplets encoding, see migrations.ts) of the matching IMEIs, distinct or
 * not, IGNORING `invert` — exactly the set the pure evaluator of `core/rules/dimensions/` (the
 * oracle) returns. Every query returns a subset of the SEEN IMEIs (`seenSql`).
 *
 * Day logic works on the monthly `day_mask` with window masks (`sql-window.ts`); days are
 * expanded only for `concurrent_use`, and only for its few candidate IMEIs.
 */
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { DimensionSpec } from '../../../core/rules/condition.js';
import { dayNumber } from '../../../core/rules/dates.js';
import { concurrentUseSql } from './dimension-concurrent-use-sql.js';
import { duplicateDailyAvgSql, duplicateThresholdSql } from './dimension-duplicates-sql.js';
import { malformedImeiSql, testTacSql } from './dimension-imei-form-sql.js';
import {
  barredListSql,
  barredTacSql,
  monitoringListSql,
  notOnRegistrationListSql,
  stolenListSql,
} from './dimension-lists-sql.js';
import { usedBySql } from './dimension-roamers-sql.js';
import { gsmaNotFoundSql, inconsistentRatSql, ratBeyondTacSql } from './dimension-tac-db-sql.js';
import { realtimeCloneSql } from './dimension-realtime-clone-sql.js';
import { foreignBlockListSql } from './dimension-foreign-block-list-sql.js';
import {
  attestationMismatchSql,
  implausibleImeiSql,
  seenBeforeAllocationSql,
} from './dimension-tamper-sql.js';
import { transientImeiSql } from './dimension-transient-imei-sql.js';

export { seenSql } from './seen.js';
export { compileCondition } from './compile-condition.js';

/** The SQL of the IMEIs a dimension matches as of `asOf` (`YYYY-MM-DD`), `invert` ignored. */
export function compileDimension(
  spec: DimensionSpec,
  asOf: string,
  deployment: DeploymentProfile,
): string {
  dayNumber(asOf); // validates the date before it reaches SQL
  switch (spec.module) {
    case 'gsma_not_found':
      return gsmaNotFoundSql(asOf, spec.parameters);
    case 'stolen_list':
      return stolenListSql(asOf);
    case 'duplicate_threshold':
      return duplicateThresholdSql(asOf, spec.parameters);
    case 'duplicate_daily_avg':
      return duplicateDailyAvgSql(asOf, spec.parameters);
    case 'malformed_imei':
      return malformedImeiSql(asOf);
    case 'not_on_registration_list':
      return notOnRegistrationListSql(asOf, spec.parameters);
    case 'inconsistent_rat':
      return inconsistentRatSql(asOf);
    case 'rat_beyond_tac':
      return ratBeyondTacSql(asOf);
    case 'is_test_tac':
      return testTacSql(asOf);
    case 'is_barred_tac':
      return barredTacSql(asOf);
    case 'exists_in_barred_list':
      return barredListSql(asOf);
    case 'exists_in_monitoring_list':
      return monitoringListSql(asOf);
    case 'used_by_international_roamer':
      return usedBySql(asOf, 'international_roamer', spec.parameters, deployment);
    case 'used_by_local_roamer':
      return usedBySql(asOf, 'local_roamer', spec.parameters, deployment);
    case 'used_by_home_subscriber':
      return usedBySql(asOf, 'home', spec.parameters, deployment);
    case 'transient_imei':
      return transientImeiSql(asOf, spec.parameters);
    case 'concurrent_use':
      return concurrentUseSql(asOf, spec.parameters);
    case 'realtime_clone':
      return realtimeCloneSql(asOf, spec.parameters);
    case 'foreign_block_list':
      return foreignBlockListSql(asOf, spec.parameters);
    case 'implausible_imei':
      return implausibleImeiSql(asOf);
    case 'seen_before_allocation':
      return seenBeforeAllocationSql(asOf, spec.parameters);
    case 'attestation_mismatch':
      return attestationMismatchSql(asOf);
  }
}
