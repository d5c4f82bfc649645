/**
 * What classification and list generation need from the store (domain.md sections 4 and 5).
 * Conditions are compiled by each adapter to its own SQL; `core/rules` holds the pure oracle.
 */
import type { CeirError } from '../errors.js';
import type { DeploymentProfile } from '../deployment.js';
import type { Condition, DimensionSpec } from '../rules/condition.js';
import type { ClassificationData } from '../rules/data-model.js';

/** A stored, versioned set of conditions (a regulator's change makes a new version). */
export interface ConditionSetRecord {
  readonly version: number;
  /** The conditions in their raw (config/YAML) form, as `conditionToRaw` writes them. */
  readonly conditions: readonly Record<string, unknown>[];
  /** The operators (id and MCC-MNCs) the set was made with. */
  readonly operators: DeploymentProfile['operators'];
  readonly createdAt: string;
  readonly note: string;
}

/** Amnesty (domain.md section 4): evaluation, then amnesty, then normal blocking. */
export interface AmnestyPolicy {
  readonly enabled: boolean;
  /** Last day of the evaluation period: matches recorded, not notified. */
  readonly evaluationPeriodEnd: string | null;
  /** Last day of the amnesty period: eligible matches notified with this as block date. */
  readonly amnestyPeriodEnd: string | null;
}

export interface ClassifyInput {
  readonly asOf: string; // YYYY-MM-DD
  /** The stored condition set the run uses; ignored when `newConditionSet` is given. */
  readonly conditionSetVersion: number;
  /** A changed set, recorded as a new version in the run's own transaction (so a refused run records nothing). */
  readonly newConditionSet?: {
    readonly conditions: readonly Record<string, unknown>[];
    readonly operators: DeploymentProfile['operators'];
    readonly note: string;
  };
  readonly conditions: readonly Condition[];
  readonly deployment: DeploymentProfile;
  readonly amnesty: AmnestyPolicy;
}

export interface ConditionRunResult {
  readonly label: string;
  readonly matched: number;
  readonly seen: number;
  readonly ratio: number;
  /** IMEIs that started matching in this run, and IMEIs whose match ended. */
  readonly started: number;
  readonly ended: number;
}

export interface ClassificationRun {
  readonly id: number;
  readonly asOf: string;
  readonly conditionSetVersion: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly results: readonly ConditionRunResult[];
}

export type ClassifyOutcome =
  | { readonly kind: 'ok'; readonly value: ClassificationRun }
  /** A condition matched more than its max ratio of seen IMEIs: nothing was written. */
  | CeirError;

/** One condition an IMEI meets or met (explanations, `ceir imei`). */
export interface ImeiConditionState {
  readonly condition: string;
  readonly reason: string;
  readonly blocking: boolean;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly blockDate: string | null;
  readonly amnesty: boolean;
}

export interface ClassificationStore {
  latestConditionSet(): Promise<ConditionSetRecord | undefined>;
  saveConditionSet(
    conditions: readonly Record<string, unknown>[],
    operators: DeploymentProfile['operators'],
    note: string,
  ): Promise<ConditionSetRecord>;
  lastClassificationRun(): Promise<ClassificationRun | undefined>;
  /** Evaluates conditions as of a date and records the run with history; see ClassifyOutcome. */
  classify(input: ClassifyInput): Promise<ClassifyOutcome>;
  /** The compiled (SQL) form of one dimension: matching imei_norms as of `asOf`, sorted. */
  evaluateDimension(
    spec: DimensionSpec,
    asOf: string,
    deployment: DeploymentProfile,
  ): Promise<string[]>;
  /** Everything the pure oracle needs, loaded into memory (tests and small stores only). */
  loadClassificationData(asOf: string, deployment: DeploymentProfile): Promise<ClassificationData>;
  imeiConditions(imeiNorm: string): Promise<ImeiConditionState[]>;
}

/** The lists an operator's EIR enforces (domain.md section 5). */
export type GeneratedListKind = 'black' | 'notification' | 'exception';

export interface ListGenInput {
  readonly asOf: string;
  readonly deployment: DeploymentProfile;
  /** The conditions of the last classification (reason texts for the lists). */
  readonly conditions: readonly Condition[];
  /** Notify triplets seen within this many days before `asOf`. */
  readonly lookbackDays: number;
  readonly amnesty: AmnestyPolicy;
}

export interface ListRun {
  readonly id: number;
  readonly asOf: string;
  readonly classificationRun: number | null;
  readonly createdAt: string;
  readonly counts: {
    readonly black: number;
    readonly notification: Readonly<Record<string, number>>;
    readonly exception: Readonly<Record<string, number>>;
  };
}

export interface ListRowsQuery {
  readonly run: number;
  readonly kind: GeneratedListKind;
  /** Per-operator lists; omitted for the black list. */
  readonly operator?: string;
  /** Delta from this earlier run to `run` (several runs collapse into one delta). */
  readonly baseRun?: number;
}

export interface ListStore {
  /** Derives the lists as of a date from the classification state and records them with history. */
  generateLists(input: ListGenInput): Promise<ListRun>;
  listRuns(): Promise<ListRun[]>;
  /**
   * Rows of one list, in batches, as strings. Full black: imei, block_date, reasons;
   * notification: imei, imsi, msisdn, block_date, reasons; exception: imei, imsi, msisdn.
   * A delta puts change_type first (black: blocked | unblocked | changed; notification: new |
   * resolved | blacklisted | no_longer_seen | changed; exception: added | removed).
   */
  listRows(q: ListRowsQuery): AsyncIterable<string[][]>;
}
