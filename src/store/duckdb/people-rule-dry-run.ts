/**
 * The regulator's rule dry run: a new or changed condition is compiled by the classification's own
 * SQL (`rules/compile-condition.ts`) and evaluated as of the last classification date (or the
 * last day of data), then compared with the IMEIs the condition of that label matches now
 * (open rows of `classification_state`). Nothing is written; the temp table is dropped.
 */
import type { DeploymentProfile } from '../../core/deployment.js';
import type { RuleDryRunResult } from '../../core/ports/people-services.js';
import type { Condition } from '../../core/rules/condition.js';
import { lit, type DuckDb } from './duckdb-database.js';
import { compileCondition, seenSql } from './rules/compile-dimension.js';

const T = 'people_dry_run';

export async function ruleDryRun(
  db: DuckDb,
  c: Condition,
  deployment: DeploymentProfile,
): Promise<RuleDryRunResult> {
  const last = await db.one(
    'SELECT as_of::VARCHAR AS d FROM classification_runs ORDER BY id DESC LIMIT 1',
  );
  const end = await db.one('SELECT max(last_seen)::VARCHAR AS d FROM network_imeis');
  const asOf = String(last?.d ?? end?.d ?? new Date().toISOString().slice(0, 10));
  const n = async (sql: string): Promise<number> => Number((await db.one(sql))?.n ?? 0);
  try {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${T} AS SELECT DISTINCT imei FROM (${compileCondition(c, asOf, deployment)})`,
    );
    const seen = await n(`SELECT count(*)::BIGINT AS n FROM (${seenSql(asOf)})`);
    const would = await n(`SELECT count(*)::BIGINT AS n FROM ${T}`);
    const open = `SELECT DISTINCT imei FROM classification_state WHERE condition = ${lit(c.label)} AND end_date IS NULL`;
    const current = await n(`SELECT count(*)::BIGINT AS n FROM (${open})`);
    const added = await n(
      `SELECT count(*)::BIGINT AS n FROM (SELECT imei FROM ${T} EXCEPT ${open})`,
    );
    const removed = await n(
      `SELECT count(*)::BIGINT AS n FROM (${open} EXCEPT SELECT imei FROM ${T})`,
    );
    const ratio = seen === 0 ? 0 : would / seen;
    return {
      label: c.label,
      asOf,
      seen,
      wouldMatch: would,
      currentlyMatched: current,
      added,
      removed,
      ratio,
      maxRatio: c.maxMatchingRatio,
      refused: ratio > c.maxMatchingRatio,
    };
  } finally {
    await db.run(`DROP TABLE IF EXISTS temp.${T}`);
  }
}
