/**
 * The regulator's rule change (issues #5/#6): the conditions are checked by the config's own
 * parser (every problem reported, by path), the amnesty settings by the config's rules (an enabled
 * amnesty needs both dates, the amnesty period ends after the evaluation period); the change is
 * then recorded as a new condition-set version with who, when and why (`rule_saves`), and
 * classification uses it from then on (`commands/rules-in-force.ts`).
 */
import { ceirError, CeirFailure } from '../../core/errors.js';
import type {
  RuleSaveRefused,
  RuleSaveRequest,
  RulesInForce,
} from '../../core/ports/people-services.js';
import type { Store } from '../../core/ports/store.js';
import { conditionToRaw } from '../../core/rules/condition-to-raw.js';
import { parseConditions } from '../../core/rules/parse-conditions.js';
import type { CliContext } from '../cli/cli-context.js';
import { ruleVersionsOf, rulesInForce } from '../cli/commands/rules-in-force.js';

type Issue = { path: string; message: string };

/** The problems of amnesty settings (the config schema's own checks). */
export function amnestyIssues(a: RulesInForce['amnesty']): Issue[] {
  const out: Issue[] = [];
  if (a.enabled && !a.evaluationPeriodEnd)
    out.push({ path: 'amnesty.evaluation_period_end', message: 'an enabled amnesty needs it' });
  if (a.enabled && !a.amnestyPeriodEnd)
    out.push({ path: 'amnesty.amnesty_period_end', message: 'an enabled amnesty needs it' });
  if (a.evaluationPeriodEnd && a.amnestyPeriodEnd && a.amnestyPeriodEnd < a.evaluationPeriodEnd)
    out.push({
      path: 'amnesty.amnesty_period_end',
      message: 'must not be before evaluation_period_end',
    });
  return out;
}

/** The rules in force, as the API shows them. */
export async function rulesView(ctx: CliContext, store: Store): Promise<RulesInForce> {
  const r = await rulesInForce(ctx, store);
  return {
    version: r.version,
    source: r.source,
    ...(r.save ? { saved: { by: r.save.savedBy, at: r.save.savedAt, note: r.save.note } } : {}),
    conditions: r.raw,
    amnesty: r.amnesty,
  };
}

export async function saveRules(
  ctx: CliContext,
  store: Store,
  req: RuleSaveRequest,
  now: Date,
): Promise<RulesInForce | RuleSaveRefused> {
  const parsed = parseConditions(req.conditions);
  const issues: Issue[] = parsed.kind === 'ok' ? [] : [...parsed.issues];
  const current = await rulesInForce(ctx, store);
  const amnesty = req.amnesty ?? current.amnesty;
  issues.push(...amnestyIssues(amnesty));
  if (parsed.kind !== 'ok' || issues.length > 0) {
    const n = issues.length;
    return {
      kind: 'invalid',
      message: `The rule change has ${n} problem${n === 1 ? '' : 's'}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    };
  }
  const versions = ruleVersionsOf(store);
  if (!versions)
    throw new CeirFailure(
      ceirError(
        'CEIR_ERR_CONFIG',
        'Saving rules needs the DuckDB store (the people API runs on it)',
      ),
    );
  await versions.save({
    conditions: parsed.value.map(conditionToRaw),
    operators: ctx.config.operators.map((o) => ({
      id: o.id,
      name: o.name,
      mcc_mnc: [...o.mcc_mnc],
    })),
    savedBy: req.savedBy,
    savedAt: now.toISOString(),
    note: req.note,
    amnesty: {
      enabled: amnesty.enabled,
      evaluationPeriodEnd: amnesty.evaluationPeriodEnd,
      amnestyPeriodEnd: amnesty.amnestyPeriodEnd,
    },
  });
  return rulesView(ctx, store);
}
