/**
 * Rule versions a regulator saves at run time (architecture.md "Stores": rules and other settings a
 * regulator changes are versioned records in the store, seeded from the config file on first
 * start). A save makes a new condition-set version (`condition_sets`) and this sibling record:
 * who saved it, when, why, and the amnesty settings that go with it.
 */
import type { DeploymentProfile } from '../deployment.js';
import type { AmnestyPolicy, ConditionSetRecord } from './classification-store.js';

/** Who saved a condition-set version through the API, and the amnesty settings saved with it. */
export interface RuleSave {
  readonly conditionSetVersion: number;
  /** The saving user's id (the audit log's actor). */
  readonly savedBy: string;
  /** ISO 8601 instant. */
  readonly savedAt: string;
  readonly note: string;
  readonly amnesty: AmnestyPolicy;
}

export interface NewRuleSave {
  /** The conditions in their raw (config/YAML) form, already validated. */
  readonly conditions: readonly Record<string, unknown>[];
  readonly operators: DeploymentProfile['operators'];
  readonly savedBy: string;
  readonly savedAt: string;
  readonly note: string;
  readonly amnesty: AmnestyPolicy;
}

export interface RuleVersionsStore {
  /** The save record of a condition-set version, or undefined when it did not come from a save. */
  saveOf(conditionSetVersion: number): Promise<RuleSave | undefined>;
  /** Records a new condition-set version and its save record in one transaction. */
  save(s: NewRuleSave): Promise<{ readonly set: ConditionSetRecord; readonly save: RuleSave }>;
}
