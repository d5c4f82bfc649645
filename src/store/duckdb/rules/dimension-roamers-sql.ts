/**
 * `used_by_home_subscriber`, `used_by_local_roamer`, `used_by_international_roamer`: a triplet
 * with a day in the look-back window and a non-null IMSI of the class, by configured prefixes
 * (oracle: `core/rules/dimensions/roamers.ts`).
 */
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { ImsiHome } from '../../../core/rules/dimensions/index.js';
import type { LookbackParams } from '../../../core/rules/condition.js';
import { lastDays } from '../../../core/rules/dates.js';
import { lit } from '../duckdb-database.js';
import { digitsExpr } from './sql-identifiers.js';
import { inWindow, sqlWindow } from './sql-window.js';

/** Whether the text `s` starts with one of the (non-empty) prefixes. */
function startsWithAny(s: string, prefixes: readonly string[]): string {
  const ps = prefixes.filter((p) => p.length > 0);
  return ps.length === 0
    ? 'FALSE'
    : `(${ps.map((p) => `starts_with(${s}, ${lit(p)})`).join(' OR ')})`;
}

/** The SQL test of an IMSI text's class: home first, then local roamer, else international. */
export function imsiHomeSql(s: string, home: ImsiHome, d: DeploymentProfile): string {
  const isHome = startsWithAny(
    s,
    d.operators.flatMap((o) => o.mcc_mnc),
  );
  const national = startsWithAny(s, d.country.mcc);
  if (home === 'home') return isHome;
  if (home === 'local_roamer') return `(NOT ${isHome} AND ${national})`;
  return `(NOT ${isHome} AND NOT ${national})`;
}

export function usedBySql(
  asOf: string,
  home: ImsiHome,
  p: LookbackParams,
  d: DeploymentProfile,
): string {
  const w = sqlWindow(lastDays(asOf, p.lookbackDays));
  return `SELECT DISTINCT imei FROM (
      SELECT t.imei, ${digitsExpr('t.imsi', 'x.value')} AS s
        FROM triplets t LEFT JOIN id_texts x ON x.id = t.imsi
       WHERE t.imsi IS NOT NULL AND ${inWindow(w, 't.')})
    WHERE ${imsiHomeSql('s', home, d)}`;
}
