/**
 * Conditions from their YAML/JSON form (snake_case keys, as DIRBS): a list of
 * `{label, reason, blocking, grace_period_days, sticky, max_allowed_matching_ratio,
 * amnesty_eligible, dimensions: [{module, parameters, invert}]}`. Every problem is reported at
 * once, each with its path (`conditions[1].dimensions[0].parameters.threshold`); unknown keys
 * are problems too (a typo must not silently drop a parameter). The result is deep-frozen.
 * {@link conditionToRaw} is the inverse, for storing conditions as versioned records.
 */
import type { CeirError, Result } from '../errors.js';
import { ok } from '../errors.js';
import type { Period } from './dates.js';
import {
  type Condition,
  DEFAULT_GRACE_DAYS,
  DEFAULT_MAX_MATCHING_RATIO,
  DEFAULT_RBI_DELAYS,
  deepFreeze,
  DIMENSION_MODULES,
  type DimensionModule,
  type DimensionSpec,
  FOREIGN_TRUSTS,
  type ForeignTrust,
} from './condition.js';
import { Checker, type ConditionIssue, describe, type Raw } from './condition-checker.js';

export type { ConditionIssue } from './condition-checker.js';

/** A `CEIR_ERR_CONFIG` error listing every problem found. */
export interface ConditionsError extends CeirError {
  readonly issues: readonly ConditionIssue[];
}

const CONDITION_KEYS = [
  'label',
  'reason',
  'blocking',
  'grace_period_days',
  'sticky',
  'max_allowed_matching_ratio',
  'amnesty_eligible',
  'dimensions',
] as const;

/** The parameter keys of each module. */
export const PARAMETER_KEYS: Readonly<Record<DimensionModule, readonly string[]>> = Object.freeze({
  gsma_not_found: ['ignore_rbi_delays', 'per_rbi_delays'],
  stolen_list: [],
  duplicate_threshold: ['threshold', 'period_days', 'period_months', 'use_msisdn'],
  duplicate_daily_avg: ['threshold', 'period_days', 'period_months', 'min_seen_days', 'use_msisdn'],
  malformed_imei: [],
  not_on_registration_list: ['exempted_device_types'],
  inconsistent_rat: [],
  rat_beyond_tac: [],
  is_test_tac: [],
  is_barred_tac: [],
  exists_in_barred_list: [],
  exists_in_monitoring_list: [],
  used_by_international_roamer: ['lookback_days'],
  used_by_local_roamer: ['lookback_days'],
  used_by_home_subscriber: ['lookback_days'],
  transient_imei: ['period', 'num_msisdns'],
  concurrent_use: ['threshold', 'min_days', 'period_days', 'across_operators'],
  realtime_clone: ['lookback_days'],
  foreign_block_list: ['trust'],
  implausible_imei: [],
  seen_before_allocation: ['tolerance_days'],
  attestation_mismatch: [],
});

/**
 * Parse and validate a list of conditions (the YAML/JSON form). Labels must be unique. Defaults:
 * blocking false, grace_period_days 30, sticky false, max_allowed_matching_ratio 0.1,
 * amnesty_eligible false, invert false; per-module defaults in {@link parseDimension}.
 */
export function parseConditions(raw: unknown): Result<Condition[], ConditionsError> {
  const c = new Checker();
  const out: Condition[] = [];
  if (!Array.isArray(raw)) {
    c.add('conditions', `must be a list, got ${describe(raw)}`);
  } else {
    const labels = new Map<string, number>();
    raw.forEach((item, i) => {
      const cond = parseCondition(c, item, `conditions[${i}]`);
      if (cond === undefined) return;
      const prev = labels.get(cond.label);
      if (prev !== undefined) {
        c.add(
          `conditions[${i}].label`,
          `duplicate label "${cond.label}" (also conditions[${prev}])`,
        );
      } else labels.set(cond.label, i);
      out.push(cond);
    });
  }
  if (c.issues.length > 0) {
    const list = c.issues.map((x) => `${x.path}: ${x.message}`).join('; ');
    const n = c.issues.length;
    return {
      kind: 'error',
      code: 'CEIR_ERR_CONFIG',
      message: `Cannot parse conditions: ${n} problem${n === 1 ? '' : 's'}: ${list}`,
      issues: c.issues,
    };
  }
  return ok(deepFreeze(out));
}

function parseCondition(c: Checker, raw: unknown, path: string): Condition | undefined {
  const o = c.object(raw, path, CONDITION_KEYS);
  if (o === undefined) return undefined;
  const label = c.string(o, 'label', path);
  const reason = c.string(o, 'reason', path);
  const blocking = c.boolean(o, 'blocking', path, false);
  const graceDays = c.integer(o, 'grace_period_days', path, 0, DEFAULT_GRACE_DAYS);
  const sticky = c.boolean(o, 'sticky', path, false);
  const maxMatchingRatio = c.number(
    o,
    'max_allowed_matching_ratio',
    path,
    0,
    1,
    true,
    DEFAULT_MAX_MATCHING_RATIO,
  );
  const amnestyEligible = c.boolean(o, 'amnesty_eligible', path, false);
  const dimensions: DimensionSpec[] = [];
  const rawDims = o.dimensions;
  if (!Array.isArray(rawDims) || rawDims.length === 0) {
    const why =
      rawDims === undefined ? 'is required' : `must be a non-empty list, got ${describe(rawDims)}`;
    c.add(`${path}.dimensions`, why);
  } else {
    rawDims.forEach((d, j) => {
      const spec = parseDimension(c, d, `${path}.dimensions[${j}]`);
      if (spec) dimensions.push(spec);
    });
  }
  return {
    label,
    reason,
    blocking,
    graceDays,
    sticky,
    maxMatchingRatio,
    amnestyEligible,
    dimensions,
  };
}

/**
 * One dimension. Parameter defaults: `use_msisdn` false; `ignore_rbi_delays` false with
 * `per_rbi_delays` merged over {@link DEFAULT_RBI_DELAYS}; `exempted_device_types` [];
 * concurrent_use `threshold` 2, `min_days` 3, `period_days` 30, `across_operators` false.
 * Required: duplicate thresholds and exactly one of `period_days`/`period_months`,
 * `min_seen_days`, `lookback_days` (roamer dimensions and `realtime_clone`), transient_imei `period` and `num_msisdns`.
 */
function parseDimension(c: Checker, raw: unknown, path: string): DimensionSpec | undefined {
  const o = c.object(raw, path, ['module', 'parameters', 'invert']);
  if (o === undefined) return undefined;
  const module = o.module;
  if (typeof module !== 'string' || !(DIMENSION_MODULES as readonly string[]).includes(module)) {
    c.add(
      `${path}.module`,
      module === undefined
        ? 'is required'
        : `unknown module ${describe(module)} (known: ${DIMENSION_MODULES.join(', ')})`,
    );
    return undefined;
  }
  const m = module as DimensionModule;
  const invert = c.boolean(o, 'invert', path, false);
  const pp = `${path}.parameters`;
  const p = o.parameters === undefined ? {} : c.object(o.parameters, pp, PARAMETER_KEYS[m]);
  if (p === undefined) return undefined;
  const lookback = () => ({ lookbackDays: c.integer(p, 'lookback_days', pp, 1) });
  switch (m) {
    case 'gsma_not_found': {
      const ignoreRbiDelays = c.boolean(p, 'ignore_rbi_delays', pp, false);
      const given = rbiDelays(c, p.per_rbi_delays, `${pp}.per_rbi_delays`);
      if (ignoreRbiDelays && p.per_rbi_delays !== undefined) {
        c.add(`${pp}.per_rbi_delays`, 'cannot be given with ignore_rbi_delays: true');
      }
      const delays = ignoreRbiDelays ? {} : { ...DEFAULT_RBI_DELAYS, ...given };
      return { module: m, invert, parameters: { ignoreRbiDelays, rbiDelays: delays } };
    }
    case 'duplicate_threshold':
      return {
        module: m,
        invert,
        parameters: {
          threshold: c.integer(p, 'threshold', pp, 1),
          period: period(c, p, pp),
          useMsisdn: c.boolean(p, 'use_msisdn', pp, false),
        },
      };
    case 'duplicate_daily_avg': {
      const per = period(c, p, pp);
      const minSeenDays = c.integer(p, 'min_seen_days', pp, 1);
      if (per.kind === 'days' && minSeenDays > per.days) {
        c.add(
          `${pp}.min_seen_days`,
          `must not exceed period_days (${per.days}), got ${minSeenDays}`,
        );
      }
      return {
        module: m,
        invert,
        parameters: {
          threshold: c.number(p, 'threshold', pp, 0, Infinity, true),
          period: per,
          minSeenDays,
          useMsisdn: c.boolean(p, 'use_msisdn', pp, false),
        },
      };
    }
    case 'not_on_registration_list': {
      const v = p.exempted_device_types ?? [];
      const valid = Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== '');
      if (!valid)
        c.add(
          `${pp}.exempted_device_types`,
          `must be a list of non-empty strings, got ${describe(v)}`,
        );
      const types = valid ? (v as string[]).map((x) => x.trim()) : [];
      return { module: m, invert, parameters: { exemptedDeviceTypes: types } };
    }
    case 'used_by_international_roamer':
    case 'used_by_local_roamer':
    case 'used_by_home_subscriber':
    case 'realtime_clone':
      return { module: m, invert, parameters: lookback() };
    case 'foreign_block_list':
      return { module: m, invert, parameters: { trust: foreignTrust(c, p.trust, `${pp}.trust`) } };
    case 'seen_before_allocation':
      return {
        module: m,
        invert,
        parameters: { toleranceDays: c.integer(p, 'tolerance_days', pp, 0, 0) },
      };
    case 'transient_imei':
      return {
        module: m,
        invert,
        parameters: {
          periodDays: c.integer(p, 'period', pp, 1),
          numMsisdns: c.integer(p, 'num_msisdns', pp, 1),
        },
      };
    case 'concurrent_use': {
      const periodDays = c.integer(p, 'period_days', pp, 1, 30);
      const minDays = c.integer(p, 'min_days', pp, 1, 3);
      if (minDays > periodDays) {
        c.add(`${pp}.min_days`, `must not exceed period_days (${periodDays}), got ${minDays}`);
      }
      return {
        module: m,
        invert,
        parameters: {
          threshold: c.integer(p, 'threshold', pp, 2, 2),
          minDays,
          periodDays,
          acrossOperators: c.boolean(p, 'across_operators', pp, false),
        },
      };
    }
    default:
      return { module: m, invert, parameters: {} } as DimensionSpec;
  }
}

/** `foreign_block_list` `trust`: a non-empty list of block | greylist | inform; default [block]. */
function foreignTrust(c: Checker, v: unknown, path: string): ForeignTrust[] {
  if (v === undefined) return ['block'];
  const ok =
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((x) => (FOREIGN_TRUSTS as readonly unknown[]).includes(x));
  if (!ok)
    c.add(path, `must be a non-empty list of ${FOREIGN_TRUSTS.join(', ')}, got ${describe(v)}`);
  return ok ? [...new Set(v as ForeignTrust[])].sort() : ['block'];
}

function period(c: Checker, p: Raw, path: string): Period {
  const hasDays = p.period_days !== undefined;
  const hasMonths = p.period_months !== undefined;
  if (hasDays === hasMonths) {
    c.add(
      path,
      `needs exactly one of period_days and period_months, got ${hasDays ? 'both' : 'neither'}`,
    );
    return { kind: 'days', days: 1 };
  }
  return hasDays
    ? { kind: 'days', days: c.integer(p, 'period_days', path, 1) }
    : { kind: 'months', months: c.integer(p, 'period_months', path, 1) };
}

function rbiDelays(c: Checker, v: unknown, path: string): Record<string, number> {
  if (v === undefined) return {};
  const o = c.object(v, path, Object.keys(v ?? {}));
  if (o === undefined) return {};
  const out: Record<string, number> = {};
  for (const [k, d] of Object.entries(o)) {
    if (!/^[0-9]{2}$/.test(k)) c.add(`${path}.${k}`, 'RBI must be a 2-digit string');
    else if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      c.add(`${path}.${k}`, `delay must be an integer >= 0, got ${describe(d)}`);
    } else out[k] = d;
  }
  return out;
}
