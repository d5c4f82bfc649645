/**
 * A sensible national default rule set, in the YAML/JSON form a deployment's config file
 * seeds the store with. Blocking: stolen (no grace), clones (IMSI counts), concurrent use,
 * malformed IMEIs, unallocated TACs, barred IMEIs and TACs. Informative (recorded, never
 * blocking): capability mismatches, unregistered devices, test TACs, SIM-box suspects.
 *
 * Not in the defaults, to be added by a deployment that runs `ceir serve`: `realtime_clone`
 * (`lookback_days`, required), the IMEIs the EIR's streaming clone detector flagged (more
 * distinct IMSIs than its threshold within its sliding window, from several peers) on a day of
 * the look-back, e.g. `{ label: 'realtime_clone', reason: 'Clone in use (real-time checks)',
 * blocking: true, dimensions: [{ module: 'realtime_clone', parameters: { lookback_days: 7 } }] }`.
 */
import { type Condition, deepFreeze } from './condition.js';
import { parseConditions } from './parse-conditions.js';

/** The default conditions in their raw (config file) form. */
export const DEFAULT_CONDITIONS_RAW: readonly Record<string, unknown>[] = deepFreeze([
  {
    label: 'stolen',
    reason: 'Reported stolen',
    blocking: true,
    grace_period_days: 0,
    sticky: false,
    dimensions: [{ module: 'stolen_list' }],
  },
  {
    label: 'duplicate',
    reason: 'Duplicated IMEI (used with many SIMs)',
    blocking: true,
    sticky: true,
    amnesty_eligible: true,
    dimensions: [
      { module: 'duplicate_threshold', parameters: { threshold: 10, period_days: 120 } },
    ],
  },
  {
    label: 'duplicate_daily_avg',
    reason: 'Duplicated IMEI (many SIMs a day)',
    blocking: true,
    sticky: true,
    amnesty_eligible: true,
    dimensions: [
      {
        module: 'duplicate_daily_avg',
        parameters: { threshold: 4, period_days: 30, min_seen_days: 5 },
      },
    ],
  },
  {
    label: 'concurrent_use',
    reason: 'Cloned IMEI (in use with several SIMs at once)',
    blocking: true,
    sticky: true,
    amnesty_eligible: true,
    dimensions: [
      {
        module: 'concurrent_use',
        parameters: { threshold: 2, min_days: 5, period_days: 30, across_operators: true },
      },
    ],
  },
  {
    label: 'malformed',
    reason: 'Invalid IMEI',
    blocking: true,
    amnesty_eligible: true,
    dimensions: [{ module: 'malformed_imei' }],
  },
  {
    label: 'gsma_not_found',
    reason: 'TAC not allocated by the GSMA',
    blocking: true,
    amnesty_eligible: true,
    dimensions: [{ module: 'gsma_not_found' }],
  },
  {
    label: 'barred',
    reason: 'IMEI barred by the regulator',
    blocking: true,
    grace_period_days: 0,
    dimensions: [{ module: 'exists_in_barred_list' }],
  },
  {
    label: 'barred_tac',
    reason: 'Device model barred by the regulator',
    blocking: true,
    dimensions: [{ module: 'is_barred_tac' }],
  },
  {
    label: 'inconsistent_rat',
    reason: 'Used on a radio technology its model does not support',
    blocking: false,
    dimensions: [{ module: 'inconsistent_rat' }],
  },
  {
    label: 'rat_beyond_tac',
    reason: 'Used on 5G NR by a model without NR bands',
    blocking: false,
    dimensions: [{ module: 'rat_beyond_tac' }],
  },
  {
    label: 'not_on_registration_list',
    reason: 'Device not registered',
    blocking: false,
    max_allowed_matching_ratio: 1,
    dimensions: [{ module: 'not_on_registration_list' }],
  },
  {
    label: 'test_tac',
    reason: 'Test IMEI used on a live network',
    blocking: false,
    dimensions: [{ module: 'is_test_tac' }],
  },
  {
    label: 'transient_imei',
    reason: 'Suspected SIM box (one IMEI cycling through numbers)',
    blocking: false,
    dimensions: [{ module: 'transient_imei', parameters: { period: 30, num_msisdns: 5 } }],
  },
]);

function build(): readonly Condition[] {
  const r = parseConditions(DEFAULT_CONDITIONS_RAW);
  if (r.kind !== 'ok') throw new Error(`DEFAULT_CONDITIONS are invalid: ${r.message}`);
  return r.value;
}

/** The default conditions, parsed and frozen. */
export const DEFAULT_CONDITIONS: readonly Condition[] = build();
