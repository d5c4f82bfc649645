/** The YAML/JSON (snake_case) form of a condition, for storing conditions as versioned records. */
import type { Condition, DimensionSpec } from './condition.js';
import type { Period } from './dates.js';

/** The YAML/JSON form of a condition: `parseConditions([conditionToRaw(c)])` gives `c` back. */
export function conditionToRaw(cond: Condition): Record<string, unknown> {
  return {
    label: cond.label,
    reason: cond.reason,
    blocking: cond.blocking,
    grace_period_days: cond.graceDays,
    sticky: cond.sticky,
    max_allowed_matching_ratio: cond.maxMatchingRatio,
    amnesty_eligible: cond.amnestyEligible,
    dimensions: cond.dimensions.map((d) => ({
      module: d.module,
      parameters: parametersToRaw(d),
      invert: d.invert,
    })),
  };
}

function parametersToRaw(d: DimensionSpec): Record<string, unknown> {
  const per = (p: Period) =>
    p.kind === 'days' ? { period_days: p.days } : { period_months: p.months };
  switch (d.module) {
    case 'gsma_not_found':
      return d.parameters.ignoreRbiDelays
        ? { ignore_rbi_delays: true }
        : { ignore_rbi_delays: false, per_rbi_delays: { ...d.parameters.rbiDelays } };
    case 'duplicate_threshold':
      return {
        threshold: d.parameters.threshold,
        ...per(d.parameters.period),
        use_msisdn: d.parameters.useMsisdn,
      };
    case 'duplicate_daily_avg':
      return {
        threshold: d.parameters.threshold,
        ...per(d.parameters.period),
        min_seen_days: d.parameters.minSeenDays,
        use_msisdn: d.parameters.useMsisdn,
      };
    case 'not_on_registration_list':
      return { exempted_device_types: [...d.parameters.exemptedDeviceTypes] };
    case 'used_by_international_roamer':
    case 'used_by_local_roamer':
    case 'used_by_home_subscriber':
    case 'realtime_clone':
      return { lookback_days: d.parameters.lookbackDays };
    case 'foreign_block_list':
      return { trust: [...d.parameters.trust] };
    case 'seen_before_allocation':
      return { tolerance_days: d.parameters.toleranceDays };
    case 'transient_imei':
      return { period: d.parameters.periodDays, num_msisdns: d.parameters.numMsisdns };
    case 'concurrent_use':
      return {
        threshold: d.parameters.threshold,
        min_days: d.parameters.minDays,
        period_days: d.parameters.periodDays,
        across_operators: d.parameters.acrossOperators,
      };
    default:
      return {};
  }
}
