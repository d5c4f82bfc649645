/**
 * Which rules are in force (architecture.md "Stores"): the config file's `conditions` and
 * `amnesty` seed the first condition-set version; once a regulator saves a rule version through
 * the API, the latest stored version wins over the config. `ceir classify --accept-changes`
 * records the config's conditions as a new version, which puts the config back in force.
 */
import { ceirError, CeirFailure } from '../../../core/errors.js';
import type {
  AmnestyPolicy,
  ConditionSetRecord,
} from '../../../core/ports/classification-store.js';
import type { RuleSave, RuleVersionsStore } from '../../../core/ports/rule-versions-store.js';
import type { Store } from '../../../core/ports/store.js';
import type { Condition } from '../../../core/rules/condition.js';
import { conditionToRaw } from '../../../core/rules/condition-to-raw.js';
import { parseConditions } from '../../../core/rules/parse-conditions.js';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { DuckDbRuleVersions } from '../../../store/duckdb/rule-versions.js';
import type { CliContext } from '../cli-context.js';

export interface RulesInForceNow {
  /** `regulator`: the latest stored version was saved through the API; else the config file. */
  readonly source: 'configuration' | 'regulator';
  /** The latest stored condition-set version (null: none yet). */
  readonly version: number | null;
  readonly conditions: readonly Condition[];
  readonly raw: readonly Record<string, unknown>[];
  readonly amnesty: AmnestyPolicy;
  readonly save?: RuleSave;
}

/** The store's rule-version records (the DuckDB store only; other stores have no saved rules). */
export function ruleVersionsOf(store: Store): RuleVersionsStore | undefined {
  return store instanceof DuckDbStore ? new DuckDbRuleVersions(store.db) : undefined;
}

/** The config file's amnesty settings, in the port's terms. */
export function configAmnesty(ctx: CliContext): AmnestyPolicy {
  const a = ctx.config.amnesty;
  return {
    enabled: a.enabled,
    evaluationPeriodEnd: a.evaluation_period_end,
    amnestyPeriodEnd: a.amnesty_period_end,
  };
}

/** Parses a stored set's conditions (validated when saved; a failure means a damaged store). */
export function storedConditions(set: ConditionSetRecord): Condition[] {
  const p = parseConditions(set.conditions);
  if (p.kind !== 'ok')
    throw new CeirFailure(
      ceirError('CEIR_ERR_CONFIG', `Stored condition set v${set.version}: ${p.message}`),
    );
  return p.value;
}

/** The regulator-saved version in force, or undefined when the config's rules apply. */
export async function savedRules(
  store: Store,
): Promise<{ set: ConditionSetRecord; save: RuleSave } | undefined> {
  const set = await store.latestConditionSet();
  const save = set ? await ruleVersionsOf(store)?.saveOf(set.version) : undefined;
  return set && save ? { set, save } : undefined;
}

export async function rulesInForce(ctx: CliContext, store: Store): Promise<RulesInForceNow> {
  const saved = await savedRules(store);
  if (saved)
    return {
      source: 'regulator',
      version: saved.set.version,
      conditions: storedConditions(saved.set),
      raw: saved.set.conditions,
      amnesty: saved.save.amnesty,
      save: saved.save,
    };
  return {
    source: 'configuration',
    version: (await store.latestConditionSet())?.version ?? null,
    conditions: ctx.config.parsedConditions,
    raw: ctx.config.parsedConditions.map(conditionToRaw),
    amnesty: configAmnesty(ctx),
  };
}
