/**
 * The condition model (domain.md section 4): a named rule as frozen data. A condition
 * intersects one or more dimensions (each optionally inverted) and says what a match means:
 * blocking or informative, grace period, stickiness, reason, safety ratio, amnesty. Dimensions
 * are a `module`-tagged union (kysely style): each store compiles them to its own SQL, and the
 * pure evaluators of `dimensions/` are the oracle those compilations are tested against.
 */
import type { Period } from './dates.js';

/** Every dimension module, in the order of domain.md's table plus this project's additions. */
export const DIMENSION_MODULES = [
  'gsma_not_found',
  'stolen_list',
  'duplicate_threshold',
  'duplicate_daily_avg',
  'malformed_imei',
  'not_on_registration_list',
  'inconsistent_rat',
  'rat_beyond_tac',
  'is_test_tac',
  'is_barred_tac',
  'exists_in_barred_list',
  'exists_in_monitoring_list',
  'used_by_international_roamer',
  'used_by_local_roamer',
  'used_by_home_subscriber',
  'transient_imei',
  'concurrent_use',
  'realtime_clone',
  'foreign_block_list',
  'implausible_imei',
  'seen_before_allocation',
  'attestation_mismatch',
] as const;

export type DimensionModule = (typeof DIMENSION_MODULES)[number];

/** Delays (days) per Reporting Body Identifier for late GSMA allocations (DIRBS defaults). */
export const DEFAULT_RBI_DELAYS: Readonly<Record<string, number>> = Object.freeze({
  '00': 32,
  '01': 40,
  '35': 20,
  '86': 19,
  '91': 20,
  '99': 69,
});

/** A dimension without parameters. */
export type NoParams = Readonly<Record<string, never>>;

export interface GsmaNotFoundParams {
  readonly ignoreRbiDelays: boolean;
  /** Effective delays: the defaults overridden by `per_rbi_delays`; empty when ignored. */
  readonly rbiDelays: Readonly<Record<string, number>>;
}

export interface DuplicateThresholdParams {
  /** Distinct IMSIs (or MSISDNs) at or above which an IMEI matches; integer >= 1. */
  readonly threshold: number;
  readonly period: Period;
  readonly useMsisdn: boolean;
}

export interface DuplicateDailyAvgParams {
  /** Average daily distinct IMSIs (or MSISDNs) at or above which an IMEI matches; > 0. */
  readonly threshold: number;
  readonly period: Period;
  /** Days seen in the window at or above which the average is trusted; integer >= 1. */
  readonly minSeenDays: number;
  readonly useMsisdn: boolean;
}

export interface NotOnRegistrationListParams {
  /** GSMA device types (TAC DB `Device Type`, exact text) that need no registration. */
  readonly exemptedDeviceTypes: readonly string[];
}

export interface LookbackParams {
  /** Days up to and including the classification date; integer >= 1. */
  readonly lookbackDays: number;
}

export interface TransientImeiParams {
  /** Analysis period in days (YAML `period`); integer >= 1. */
  readonly periodDays: number;
  /** MSISDNs per day on average; integer >= 1. */
  readonly numMsisdns: number;
}

export interface ConcurrentUseParams {
  /** Distinct IMSIs on one day that make the day concurrent; integer >= 2. */
  readonly threshold: number;
  /** Concurrent days in the period at or above which the IMEI matches; integer >= 1. */
  readonly minDays: number;
  readonly periodDays: number;
  /** Count a day only when the IMEI was reported that day by two or more operators. */
  readonly acrossOperators: boolean;
}

/** Trust a regulator gives a peer CEIR's records (docs/exchange.md). */
export const FOREIGN_TRUSTS = ['block', 'greylist', 'inform'] as const;
export type ForeignTrust = (typeof FOREIGN_TRUSTS)[number];

export interface ForeignBlockListParams {
  /** The peer trusts whose active records match; non-empty, default `[block]`. */
  readonly trust: readonly ForeignTrust[];
}

export interface SeenBeforeAllocationParams {
  /** Days before the TAC's allocation date that are still tolerated; integer >= 0. */
  readonly toleranceDays: number;
}

/** The parameters of each module. */
export interface DimensionParamsByModule {
  gsma_not_found: GsmaNotFoundParams;
  stolen_list: NoParams;
  duplicate_threshold: DuplicateThresholdParams;
  duplicate_daily_avg: DuplicateDailyAvgParams;
  malformed_imei: NoParams;
  not_on_registration_list: NotOnRegistrationListParams;
  inconsistent_rat: NoParams;
  rat_beyond_tac: NoParams;
  is_test_tac: NoParams;
  is_barred_tac: NoParams;
  exists_in_barred_list: NoParams;
  exists_in_monitoring_list: NoParams;
  used_by_international_roamer: LookbackParams;
  used_by_local_roamer: LookbackParams;
  used_by_home_subscriber: LookbackParams;
  transient_imei: TransientImeiParams;
  concurrent_use: ConcurrentUseParams;
  realtime_clone: LookbackParams;
  foreign_block_list: ForeignBlockListParams;
  implausible_imei: NoParams;
  seen_before_allocation: SeenBeforeAllocationParams;
  attestation_mismatch: NoParams;
}

/** One dimension of a condition, tagged by `module`. */
export type DimensionSpec = {
  readonly [M in DimensionModule]: {
    readonly module: M;
    readonly parameters: DimensionParamsByModule[M];
    /** Match the SEEN IMEIs that the dimension does NOT match. */
    readonly invert: boolean;
  };
}[DimensionModule];

/** The spec of one module. */
export type DimensionSpecOf<M extends DimensionModule> = Extract<DimensionSpec, { module: M }>;

/** A classification rule, keyed by `label` (renaming it starts its history afresh). */
export interface Condition {
  readonly label: string;
  /** Human reason, shown on lists and to the public. */
  readonly reason: string;
  readonly blocking: boolean;
  /** Days from the first match to the block date (default 30). */
  readonly graceDays: number;
  /** Once matched, stays matched even when the data stop showing it. */
  readonly sticky: boolean;
  /** A run matching more than this fraction of SEEN IMEIs is refused (default 0.1). */
  readonly maxMatchingRatio: number;
  readonly amnestyEligible: boolean;
  /** Intersected; at least one. */
  readonly dimensions: readonly DimensionSpec[];
}

export const DEFAULT_GRACE_DAYS = 30;
export const DEFAULT_MAX_MATCHING_RATIO = 0.1;

/** Freeze a value and everything it holds (conditions are immutable data). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
