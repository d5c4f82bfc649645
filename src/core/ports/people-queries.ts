/**
 * Read queries over network data and lists that the people-facing services need (trace, seen
 * checks, list membership, dashboard, the public check's block dates and TAC data, the rule dry
 * run). Adapter: `store/duckdb/people-queries.ts`.
 */
import type { DeploymentProfile } from '../deployment.js';
import type { Condition } from '../rules/condition.js';
import type { DashboardFigures, RuleDryRunResult, Sighting } from './people-services.js';

export interface TacDevice {
  readonly tac: string;
  readonly brand: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly deviceType: string;
}

/** What the public check keeps in memory besides the check snapshot. */
export interface PublicCheckData {
  /** IMEI numbers (14-digit values) on the current black or notification lists, ascending. */
  readonly imeis: Float64Array;
  /** Their earliest block date, as days since 1970-01-01. */
  readonly blockDays: Float64Array;
  readonly tacs: readonly TacDevice[];
  /**
   * IMEI numbers (14 digits) a valid Android key attestation names as the hardware's
   * (`AttestationStore.attestedImeis`), ascending; absent when the store keeps none.
   */
  readonly attestedImeis?: Float64Array;
}

export interface PeopleQueries {
  trace(imei: string): Promise<Sighting[]>;
  seenOnNetwork(imeis: readonly string[]): Promise<Set<string>>;
  /** Whether `key` (list key: 14-digit IMEI, or `imei:imsi` for pairing) is on the list now. */
  onList(list: string, key: string): Promise<boolean>;
  dashboard(): Promise<DashboardFigures>;
  publicCheckData(): Promise<PublicCheckData>;
  /** Evaluates a condition without writing (as of the last classification, or the data end). */
  ruleDryRun(condition: Condition, deployment: DeploymentProfile): Promise<RuleDryRunResult>;
}
