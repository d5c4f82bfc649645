/**
 * A condition as one query (oracle: `core/rules/evaluate-condition.ts`): the SEEN IMEIs in every
 * dimension's set, an inverted dimension's set being the SEEN IMEIs it does not match. As every
 * dimension matches a subset of SEEN, that is the intersection of the plain dimensions (SEEN
 * when there is none) minus the union of the inverted dimensions' matches.
 */
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { Condition } from '../../../core/rules/condition.js';
import { compileDimension } from './compile-dimension.js';
import { seenSql } from './seen.js';

/** The SQL of the IMEIs (`imei BIGINT`, distinct) a condition matches as of `asOf`. */
export function compileCondition(
  condition: Condition,
  asOf: string,
  deployment: DeploymentProfile,
): string {
  const sql = (inverted: boolean) =>
    condition.dimensions
      .filter((d) => d.invert === inverted)
      .map((d) => `SELECT imei FROM (${compileDimension(d, asOf, deployment)})`);
  const plain = sql(false);
  const inverted = sql(true);
  const kept = (plain.length > 0 ? plain : [seenSql(asOf)]).join('\nINTERSECT\n');
  if (inverted.length === 0)
    return plain.length === 1 ? `SELECT DISTINCT imei FROM (${kept})` : kept;
  return `(${kept})\nEXCEPT\n(${inverted.join('\nUNION ALL\n')})`;
}
