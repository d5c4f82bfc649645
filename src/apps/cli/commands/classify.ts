/**
 * `ceir classify [--as-of YYYY-MM-DD] [--accept-changes]`: evaluates every condition as of a date
 * (default: the last day of network data) and records the run with per-IMEI history. Refuses to
 * run when the conditions or operators changed since the last run, unless told to (a new
 * condition-set version is then recorded); refuses a condition above its matching ratio.
 * Once a regulator saved a rule version through the API, the latest stored version (and its
 * amnesty settings) is used and the config's conditions are ignored, unless `--accept-changes`
 * is given: that records the config's conditions as a new version (the config is back in force).
 */
import { ceirError, CeirFailure } from '../../../core/errors.js';
import type { ClassificationRun } from '../../../core/ports/classification-store.js';
import { conditionToRaw } from '../../../core/rules/condition-to-raw.js';
import type { CliContext } from '../cli-context.js';
import { formatCount, formatDuration } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { rulesInForce, savedRules, storedConditions } from './rules-in-force.js';

export interface ClassifyArgs {
  readonly asOf?: string;
  readonly acceptChanges?: boolean;
}

export function checkDate(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new UsageError(`--${name} must be YYYY-MM-DD`);
  return v;
}

/** The amnesty policy of the config, in the port's terms. */
export function amnestyOf(ctx: CliContext) {
  const a = ctx.config.amnesty;
  return {
    enabled: a.enabled,
    evaluationPeriodEnd: a.evaluation_period_end,
    amnestyPeriodEnd: a.amnesty_period_end,
  };
}

function describeChanges(
  before: readonly Record<string, unknown>[],
  after: readonly Record<string, unknown>[],
): string {
  const b = new Map(before.map((c) => [String(c.label), JSON.stringify(c)]));
  const a = new Map(after.map((c) => [String(c.label), JSON.stringify(c)]));
  const out: string[] = [];
  for (const [l, v] of a)
    if (!b.has(l)) out.push(`+${l}`);
    else if (b.get(l) !== v) out.push(`~${l}`);
  for (const l of b.keys()) if (!a.has(l)) out.push(`-${l}`);
  return out.join(', ');
}

export async function classifyNow(ctx: CliContext, a: ClassifyArgs): Promise<ClassificationRun> {
  const store = await ctx.openStore();
  const asOf = checkDate('as-of', a.asOf) ?? (await store.dataEnd());
  if (!asOf)
    throw new CeirFailure(
      ceirError('CEIR_ERR_NOT_FOUND', 'No network data yet: import operator dumps first'),
    );
  const raw = ctx.config.parsedConditions.map(conditionToRaw);
  const operators = ctx.config.operators.map((o) => ({
    id: o.id,
    name: o.name,
    mcc_mnc: [...o.mcc_mnc],
  }));
  const saved = await savedRules(store);
  if (saved && !a.acceptChanges) {
    // A regulator saved the latest version through the API: it wins over the config file.
    const outcome = await store.classify({
      asOf,
      conditionSetVersion: saved.set.version,
      conditions: storedConditions(saved.set),
      deployment: ctx.config,
      amnesty: saved.save.amnesty,
    });
    if (outcome.kind !== 'ok') throw new CeirFailure(outcome);
    return outcome.value;
  }
  const set = await store.latestConditionSet();
  let newConditionSet:
    { conditions: typeof raw; operators: typeof operators; note: string } | undefined;
  if (!set) newConditionSet = { conditions: raw, operators, note: 'seeded from the configuration' };
  else if (
    // --accept-changes over a regulator-saved version: the config's rules become a new version.
    saved ||
    JSON.stringify(set.conditions) !== JSON.stringify(raw) ||
    JSON.stringify(set.operators) !== JSON.stringify(operators)
  ) {
    const last = await store.lastClassificationRun();
    if (last && !a.acceptChanges)
      throw new CeirFailure(
        ceirError(
          'CEIR_ERR_RULES_CHANGED',
          `The configuration changed since the last classification (condition set v${set.version}: ${describeChanges(set.conditions, raw) || 'operators changed'}). Review the change and rerun with --accept-changes to record it as a new version.`,
        ),
      );
    newConditionSet = {
      conditions: raw,
      operators,
      note: a.acceptChanges ? 'accepted change' : 'changed before any run',
    };
  }
  // A new or changed set is recorded in the run's own transaction: a refused run records nothing.
  const outcome = await store.classify({
    asOf,
    conditionSetVersion: set?.version ?? 0,
    ...(newConditionSet ? { newConditionSet } : {}),
    conditions: ctx.config.parsedConditions,
    deployment: ctx.config,
    amnesty: amnestyOf(ctx),
  });
  if (outcome.kind !== 'ok') throw new CeirFailure(outcome);
  return outcome.value;
}

export async function runClassify(ctx: CliContext, a: ClassifyArgs): Promise<number> {
  const t0 = performance.now();
  const run = await classifyNow(ctx, a);
  const ms = performance.now() - t0;
  const rules = await rulesInForce(ctx, await ctx.openStore());
  const blocking = new Map(rules.conditions.map((c) => [c.label, c.blocking]));
  ctx.print({ ...run, durationMs: ms }, () => [
    `classification run ${run.id} as of ${run.asOf} (condition set v${run.conditionSetVersion}) in ${formatDuration(ms)}`,
    `  ${'condition'.padEnd(28)} ${'kind'.padEnd(11)} ${'matched'.padStart(10)} ${'new'.padStart(8)} ${'ended'.padStart(8)}  ratio`,
    ...run.results.map(
      (r) =>
        `  ${r.label.padEnd(28)} ${(blocking.get(r.label) ? 'blocking' : 'informative').padEnd(11)} ${formatCount(r.matched).padStart(10)} ${formatCount(r.started).padStart(8)} ${formatCount(r.ended).padStart(8)}  ${(r.ratio * 100).toFixed(3)}%`,
    ),
    `  of ${formatCount(run.results[0]?.seen ?? 0)} IMEIs seen`,
    ...(rules.save
      ? [
          `  rules saved by a regulator (${rules.save.savedBy}, ${rules.save.savedAt}): the config's conditions apply again with --accept-changes`,
        ]
      : []),
  ]);
  return 0;
}
