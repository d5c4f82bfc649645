/**
 * Classification in the store (domain.md section 4): every condition is evaluated as of a date by
 * its compiled SQL; a condition matching more than its maximum ratio of seen IMEIs refuses the
 * whole run (nothing written); otherwise the per-IMEI history is updated in one transaction:
 * a new match opens a row (block date = first match + grace, or the amnesty end, fixed for
 * good), a match that stopped closes its row unless the condition is sticky.
 */
import { CeirFailure, ceirError } from '../../core/errors.js';
import type {
  ClassificationRun,
  ClassifyInput,
  ClassifyOutcome,
  ConditionRunResult,
} from '../../core/ports/classification-store.js';
import type { Condition } from '../../core/rules/condition.js';
import { addDays } from '../../core/rules/dates.js';
import { lit } from './duckdb-database.js';
import type { SqlSession } from '../sql-session.js';
import { compileCondition, seenSql } from './rules/compile-dimension.js';
import { insertConditionSet } from './classification-records.js';

/** Whether a new match of `c` as of `asOf` is granted amnesty (domain.md section 4). */
export function amnestyApplies(c: Condition, input: ClassifyInput): boolean {
  const a = input.amnesty;
  return (
    a.enabled &&
    c.blocking &&
    c.amnestyEligible &&
    a.amnestyPeriodEnd !== null &&
    input.asOf <= a.amnestyPeriodEnd
  );
}

function blockDateSql(c: Condition, input: ClassifyInput): string {
  if (!c.blocking) return 'NULL';
  if (amnestyApplies(c, input)) return `${lit(input.amnesty.amnestyPeriodEnd!)}::DATE`;
  return `${lit(addDays(input.asOf, c.graceDays))}::DATE`;
}

export async function classify(db: SqlSession, input: ClassifyInput): Promise<ClassifyOutcome> {
  const startedAt = new Date().toISOString();
  const asOf = `${lit(input.asOf)}::DATE`;
  const tables = input.conditions.map((_, i) => `classify_match_${i}`);
  for (const t of tables) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  try {
    return await db.transaction(async () => {
      const seenRow = await db.one(`SELECT count(*)::BIGINT AS n FROM (${seenSql(input.asOf)})`);
      const seen = Number(seenRow?.n ?? 0);
      const counts: number[] = [];
      for (const [i, c] of input.conditions.entries()) {
        await db.run(
          `CREATE TEMP TABLE ${tables[i]} AS SELECT DISTINCT imei FROM (${compileCondition(c, input.asOf, input.deployment)})`,
        );
        const n = Number((await db.one(`SELECT count(*)::BIGINT AS n FROM ${tables[i]}`))?.n ?? 0);
        const ratio = seen === 0 ? 0 : n / seen;
        if (ratio > c.maxMatchingRatio)
          throw new CeirFailure(
            ceirError(
              'CEIR_ERR_RATIO_EXCEEDED',
              `Condition "${c.label}" matches ${n} of ${seen} seen IMEIs (${(ratio * 100).toFixed(2)}%), more than its max_allowed_matching_ratio ${c.maxMatchingRatio}: nothing was written. Check the input data, or raise the ratio if this is intended.`,
              undefined,
              c.label,
            ),
          );
        counts.push(n);
      }
      const run = Number(
        (await db.one('SELECT coalesce(max(id), 0) + 1 AS id FROM classification_runs'))?.id,
      );
      const version = input.newConditionSet
        ? (await insertConditionSet(db, input.newConditionSet)).version
        : input.conditionSetVersion;
      const results: ConditionRunResult[] = [];
      for (const [i, c] of input.conditions.entries()) {
        const label = lit(c.label);
        const open = `condition = ${label} AND end_date IS NULL`;
        const ended = c.sticky
          ? 0
          : await db.run(
              `UPDATE classification_state s SET end_date = ${asOf}, end_run = ${run}
                WHERE ${open} AND NOT EXISTS (SELECT 1 FROM ${tables[i]} m WHERE m.imei = s.imei)`,
            );
        const started = await db.run(
          `INSERT INTO classification_state
           SELECT m.imei, ${label}, ${asOf}, NULL, ${blockDateSql(c, input)}, ${amnestyApplies(c, input)}, ${run}, NULL
             FROM ${tables[i]} m
            WHERE NOT EXISTS (SELECT 1 FROM classification_state s WHERE s.imei = m.imei AND s.${open})`,
        );
        const matched = c.sticky
          ? Number(
              (await db.one(`SELECT count(*)::BIGINT AS n FROM classification_state WHERE ${open}`))
                ?.n,
            )
          : counts[i]!;
        results.push({
          label: c.label,
          matched,
          seen,
          ratio: seen === 0 ? 0 : counts[i]! / seen,
          started,
          ended,
        });
      }
      const finishedAt = new Date().toISOString();
      await db.run(
        'INSERT INTO classification_runs VALUES (?, ?::DATE, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?)',
        [run, input.asOf, version, startedAt, finishedAt, JSON.stringify(results)],
      );
      const value: ClassificationRun = {
        id: run,
        asOf: input.asOf,
        conditionSetVersion: version,
        startedAt,
        finishedAt,
        results,
      };
      return { kind: 'ok' as const, value };
    });
  } catch (e) {
    if (e instanceof CeirFailure) return e.error;
    throw e;
  } finally {
    for (const t of tables) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}
