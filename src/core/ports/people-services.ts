/**
 * What the people-facing API (issue #5) needs from the rest of the system besides its own store,
 * wired by `apps/server/api-*.ts`: the in-memory check data for the public, list changes through
 * the same import path as files, the operators' signed list files, dump uploads, network queries
 * (trace, dashboard), the regulator's rule dry run, reports and jobs.
 */
import type { CeirError } from '../errors.js';
import type { GateResult, ImportRecord } from './store.js';

/** The public status of an IMEI, from memory. */
export interface PublicStatus {
  /** allowed; pending = will be blocked on `blockDate`; blocked; unknown = not a known device. */
  readonly status: 'allowed' | 'pending' | 'blocked' | 'unknown';
  /** Reason texts (condition reasons, or policy names of the check engine). */
  readonly reasons: readonly string[];
  readonly blockDate: string | null;
}

export interface DeviceInfo {
  readonly brand: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly deviceType: string;
}

/** The check snapshot and TAC data, loaded in memory; never a database query per call. */
export interface PublicCheckSource {
  /** `imei`: the 14-digit key (TAC + SNR). */
  status(imei: string): PublicStatus;
  device(tac: string): DeviceInfo | undefined;
  /** `imei`: the 14-digit key; whether a valid Android key attestation names it (issue 8). */
  hardwareAttested(imei: string): boolean;
  /** The snapshot version the answers come from. */
  readonly version: string;
}

/** The lists a person's action changes (theft, recovery, pairing, registration). */
export type PeopleListKind = 'stolen' | 'pairing' | 'registration';

export type ListSubmission =
  | {
      readonly kind: 'imported';
      readonly importId: string;
      readonly counts: Readonly<Record<string, number>>;
    }
  | { readonly kind: 'duplicate'; readonly importId: string }
  | { readonly kind: 'rejected'; readonly error: CeirError };

/** One sighting of an IMEI on a network (personal data: IMSI, MSISDN). */
export interface Sighting {
  readonly operator: string;
  readonly month: string;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export interface DashboardFigures {
  readonly devicesSeen: number;
  readonly blocked: number;
  readonly pending: number;
  readonly listRun: number | null;
  readonly asOf: string | null;
  readonly byCondition: readonly { condition: string; imeis: number; blocking: boolean }[];
  readonly byOperator: readonly {
    operator: string;
    imeis: number;
    blocked: number;
    pending: number;
  }[];
  readonly byMonth: readonly { month: string; imeis: number; newImeis: number }[];
}

/** How many IMEIs a changed or new condition would match, against what it matches now. */
export interface RuleDryRunResult {
  readonly label: string;
  readonly asOf: string;
  readonly seen: number;
  readonly wouldMatch: number;
  readonly currentlyMatched: number;
  readonly added: number;
  readonly removed: number;
  readonly ratio: number;
  readonly maxRatio: number;
  /** The run would be refused (ratio above the condition's maximum). */
  readonly refused: boolean;
}

export interface RulesInForce {
  /** The latest stored condition set version (null: none yet). */
  readonly version: number | null;
  /** `regulator`: saved through the API (wins over the config file); else the config file's. */
  readonly source?: 'configuration' | 'regulator';
  /** Who saved it, when and why (regulator-saved versions only). */
  readonly saved?: { readonly by: string; readonly at: string; readonly note: string };
  readonly conditions: readonly Record<string, unknown>[];
  readonly amnesty: {
    readonly enabled: boolean;
    readonly evaluationPeriodEnd: string | null;
    readonly amnestyPeriodEnd: string | null;
  };
}

/** A regulator's new rule version: conditions in the config's form, amnesty (default: unchanged). */
export interface RuleSaveRequest {
  readonly conditions: unknown;
  readonly amnesty?: RulesInForce['amnesty'];
  readonly savedBy: string;
  readonly note: string;
}

/** A refused save: every problem, by path (e.g. `conditions[1].dimensions[0].module`). */
export interface RuleSaveRefused {
  readonly kind: 'invalid';
  readonly message: string;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

export interface OperatorListDelivery {
  readonly run: number;
  readonly asOf: string;
  /** The signed manifest, byte for byte, and its Ed25519 signature (base64). */
  readonly manifest: string;
  readonly signature: string;
  readonly publicKeyPem: string;
  /** The files this operator may fetch (its own and the national black list). */
  readonly files: readonly {
    name: string;
    kind: string;
    form: string;
    operator: string | null;
    rows: number;
    sha256: string;
    bytes: number;
  }[];
}

export type DumpUpload =
  | { readonly kind: 'imported'; readonly record: ImportRecord }
  | { readonly kind: 'duplicate'; readonly previous: ImportRecord }
  | {
      readonly kind: 'rejected';
      readonly error: CeirError;
      readonly gates: readonly GateResult[];
      readonly rows: number;
    };

export interface PeopleServices {
  /** Applies rows to a list as one delta file (`change_type` column), the same path as a file import. */
  submitListDelta(list: PeopleListKind, csv: string): Promise<ListSubmission>;
  /** Every sighting of the IMEI (14-digit key). */
  trace(imei: string): Promise<Sighting[]>;
  /** Which of these 14-digit IMEIs were seen on a network. */
  seenOnNetwork(imeis: readonly string[]): Promise<Set<string>>;
  /** Current list membership of an IMEI, e.g. whether it is on the stolen list. */
  onList(list: PeopleListKind, key: string): Promise<boolean>;
  dashboard(): Promise<DashboardFigures>;
  /** The monthly report (`ceir report`), JSON. Undefined when no data. */
  report(month: string): Promise<unknown>;
  ruleDryRun(rawCondition: Record<string, unknown>): Promise<RuleDryRunResult | CeirError>;
  /** The latest signed list delivery for an operator, or undefined when none was generated. */
  operatorLists(operator: string): Promise<OperatorListDelivery | undefined>;
  /** A list file of the latest delivery (undefined when not this operator's or missing). */
  operatorListFile(operator: string, name: string): Promise<Uint8Array | undefined>;
  uploadDump(
    operator: string,
    content: Uint8Array,
    fileName: string,
    period?: string,
  ): Promise<DumpUpload>;
  imports(operator: string | undefined, limit: number): Promise<ImportRecord[]>;
  /** The conditions in force (raw form, as in the config) and the amnesty settings. */
  rules(): Promise<RulesInForce>;
  /** Records a regulator's rule change as a new rule version; every problem is reported. */
  saveRules(s: RuleSaveRequest): Promise<RulesInForce | RuleSaveRefused>;
  /** Runs classification and list generation, then reloads the check data. */
  classifyAndPublish(): Promise<{ classificationRun: number; listRun: number } | CeirError>;
}
