/**
 * Runs compiled dimensions and conditions (`compile-dimension.ts`) and decodes the matching
 * IMEIs back to `imei_norm`s, sorted (JavaScript string order), as the store port returns them.
 */
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { Condition, DimensionSpec } from '../../../core/rules/condition.js';
import type { SqlSession as DuckDb } from '../../sql-session.js';
import { compileCondition, compileDimension } from './compile-dimension.js';
import { imeiNormExpr } from './sql-identifiers.js';

/** The sorted, distinct `imei_norm`s of a query returning a column `imei` (triplets encoding). */
export async function decodedImeis(db: DuckDb, sql: string): Promise<string[]> {
  const rows = await db.all(`SELECT ${imeiNormExpr('m.imei', 'x.value')} AS imei_norm
    FROM (SELECT DISTINCT imei FROM (${sql})) m
    LEFT JOIN id_texts x ON x.id = m.imei`);
  return rows.map((r) => String(r.imei_norm)).sort();
}

/** The `imei_norm`s a dimension matches as of `asOf` (`invert` ignored, as the oracle's). */
export function evaluateDimension(
  db: DuckDb,
  spec: DimensionSpec,
  asOf: string,
  deployment: DeploymentProfile,
): Promise<string[]> {
  return decodedImeis(db, compileDimension(spec, asOf, deployment));
}

/** The `imei_norm`s a condition matches as of `asOf` (inverted dimensions applied). */
export function evaluateConditionImeis(
  db: DuckDb,
  condition: Condition,
  asOf: string,
  deployment: DeploymentProfile,
): Promise<string[]> {
  return decodedImeis(db, compileCondition(condition, asOf, deployment));
}
