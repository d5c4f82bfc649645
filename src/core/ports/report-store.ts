/**
 * The monthly regulator report (`ceir report <YYYY-MM>`): per-operator and national figures of one
 * calendar month of network data, its classification as of the month's last day, models, clone
 * indicators and black-listed IMEIs still in use. Every table is "long": one row per scope (an
 * operator id, or `COUNTRY_SCOPE` for the whole country) and key, so that each one is a CSV file
 * as it is and a renderer pivots it as it likes.
 */
import type { DeploymentProfile } from '../deployment.js';

/** The scope of national figures (an IMEI seen on two operators counts once). */
export const COUNTRY_SCOPE = '*';

/** Buckets of distinct IMSIs an IMEI was seen with in the month ("0": only empty IMSIs). */
export const IMSI_BUCKETS = ['0', '1', '2', '3', '4', '5-9', '10+'] as const;
export type ImsiBucket = (typeof IMSI_BUCKETS)[number];

/** Whole calendar months from a black-listed IMEI's block date to the report month. */
export const BLACK_AGES = ['0', '1', '2', '3+'] as const;
export type BlackAge = (typeof BLACK_AGES)[number];

/** Models listed per scope unless the caller asks otherwise. */
export const DEFAULT_TOP_MODELS = 20;

/** What was seen, and how it is classified, in one scope. */
export interface ScopeFigures {
  readonly scope: string;
  readonly imeis: number;
  readonly imsis: number;
  readonly msisdns: number;
  /** Distinct IMEI-IMSI-MSISDN combinations. */
  readonly triplets: number;
  /** Seen IMEIs with no open condition at the month's end. */
  readonly compliant: number;
  /** Seen IMEIs with an open blocking condition (a block date) at the month's end. */
  readonly blocking: number;
  /** Seen IMEIs whose open conditions at the month's end are all informative. */
  readonly informative: number;
  /** Seen IMEIs that are not 14 leading digits. */
  readonly malformedImeis: number;
  /** Seen well-formed IMEIs whose TAC is not in the current GSMA TAC database. */
  readonly unknownTacImeis: number;
}

/** A condition of the report: its label, reason and kind (from the condition set in force). */
export interface ReportCondition {
  readonly label: string;
  readonly reason: string;
  readonly blocking: boolean;
}

export interface ConditionCount {
  readonly scope: string;
  readonly condition: string;
  /** Seen IMEIs for which the condition was open at the month's end. */
  readonly imeis: number;
}

export interface CombinationCount {
  readonly scope: string;
  /** The open conditions of the IMEIs, sorted by label. */
  readonly conditions: readonly string[];
  readonly blocking: boolean;
  readonly imeis: number;
}

export interface ModelCount {
  readonly scope: string;
  /** 1 = the model seen on most IMEIs in the scope. */
  readonly rank: number;
  readonly brand: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly imeis: number;
}

export interface ImsiBucketCount {
  readonly scope: string;
  readonly bucket: ImsiBucket;
  readonly imeis: number;
}

export interface BlackAgeCount {
  readonly scope: string;
  readonly age: BlackAge;
  /** Black-listed IMEIs seen in the scope on or after their block date in the month. */
  readonly imeis: number;
}

export interface MonthReport {
  /** `YYYY-MM`. */
  readonly month: string;
  /** First and last day of the month, `YYYY-MM-DD`. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly country: string;
  /** The scopes in order: the configured operators, then any other operator found in the data. */
  readonly operators: readonly { readonly id: string; readonly name: string }[];
  /** First and last day of network data in the month (null: no data). */
  readonly dataFirstDay: string | null;
  readonly dataLastDay: string | null;
  /** The last classification run on or before the month's end (null: none). */
  readonly classificationAsOf: string | null;
  readonly conditions: readonly ReportCondition[];
  /** Every operator of `operators`, then the country. */
  readonly figures: readonly ScopeFigures[];
  /** Dense: every condition for every scope. */
  readonly byCondition: readonly ConditionCount[];
  /** Observed combinations only, largest first. */
  readonly byCombination: readonly CombinationCount[];
  readonly topModels: readonly ModelCount[];
  /** Dense: every bucket for every scope. */
  readonly imsiDistribution: readonly ImsiBucketCount[];
  /** Dense: every age for every scope. */
  readonly blackListedSeen: readonly BlackAgeCount[];
}

export interface MonthReportOptions {
  /** Models per scope (default `DEFAULT_TOP_MODELS`). */
  readonly topModels?: number;
}

export interface ReportStore {
  /**
   * The report of `month` (`YYYY-MM`). An IMEI's status is read from the classification history
   * as of the month's last day: blocking with an open condition carrying a block date, else
   * informative with any open condition, else compliant. Black-listed: an open blocking condition
   * whose (earliest) block date is on or before the month's end, golden IMEIs aside; it counts as
   * seen when seen on or after its block date. Models come from the current GSMA TAC database.
   */
  monthReport(
    month: string,
    deployment: DeploymentProfile,
    options?: MonthReportOptions,
  ): Promise<MonthReport>;
}
