/**
 * `duplicate_threshold` and `duplicate_daily_avg`: distinct IMSIs (MSISDNs with `useMsisdn`)
 * an IMEI is seen with in a period, in total or per day on average.
 */
import type {
  DuplicateDailyAvgParams,
  DuplicateThresholdParams,
} from '../../../core/rules/condition.js';
import { periodWindow } from '../../../core/rules/dates.js';
import { inWindow, sqlWindow, windowMask, type SqlWindow } from './sql-window.js';

/** The identity column a duplicate dimension counts. */
export const identityColumn = (useMsisdn: boolean) => (useMsisdn ? 'msisdn' : 'imsi');

/** IMEIs with two distinct non-null identities in the window: a plain aggregate, no DISTINCT. */
function twoIdentities(w: SqlWindow, id: string): string {
  return `(SELECT imei FROM triplets WHERE ${id} IS NOT NULL AND ${inWindow(w)}
      GROUP BY imei HAVING min(${id}) < max(${id}))`;
}

/**
 * `duplicate_threshold`. Numbers encode identities one to one, so counting distinct keys counts
 * distinct texts. From a threshold of 2, `count(DISTINCT)` runs on the IMEIs with two
 * identities only (`twoIdentities`, a few percent of them).
 */
export function duplicateThresholdSql(asOf: string, p: DuplicateThresholdParams): string {
  const w = sqlWindow(periodWindow(asOf, p.period));
  const id = identityColumn(p.useMsisdn);
  const only = p.threshold >= 2 ? `AND imei IN (SELECT imei FROM ${twoIdentities(w, id)})` : '';
  return `SELECT imei FROM triplets WHERE ${inWindow(w)} ${only}
    GROUP BY imei HAVING count(DISTINCT ${id}) >= ${p.threshold}`;
}

/**
 * Per IMEI and month of the window: `ids` = the sum over days d of the distinct non-null
 * identities seen on d (over all operators), and `days` = the mask of days with at least one.
 * Without expanding days: the masks of one identity are ORed across operators, and a day of
 * that OR counts once for the identity, so the sum of popcounts of the per-identity ORs is the
 * sum over days of the distinct identities; the OR of those ORs is the days seen. `only`, when
 * given, is a relation of the only IMEIs to count.
 */
export function identityDaysPerMonth(w: SqlWindow, id: string, only?: string): string {
  const restrict = only === undefined ? '' : `AND imei IN (SELECT imei FROM ${only})`;
  return `(SELECT imei, month, sum(bit_count(m))::BIGINT AS ids, bit_or(m) AS days
      FROM (SELECT imei, month, bit_or(day_mask) & ${windowMask(w)} AS m
              FROM triplets WHERE ${id} IS NOT NULL AND ${inWindow(w)} ${restrict}
             GROUP BY imei, month, ${id})
     GROUP BY imei, month)`;
}

/**
 * `duplicate_daily_avg`: daysSeen = days of the window with a non-null identity; match iff
 * daysSeen >= minSeenDays and sum(n(d)) / daysSeen >= threshold, in DOUBLE as JavaScript does.
 * n(d) never exceeds the IMEI's distinct identities, so above a threshold of 1 only IMEIs with
 * two identities can match: a cheap aggregate (no DISTINCT) keeps just those for the counting.
 */
export function duplicateDailyAvgSql(asOf: string, p: DuplicateDailyAvgParams): string {
  const w = sqlWindow(periodWindow(asOf, p.period));
  const id = identityColumn(p.useMsisdn);
  const only = p.threshold > 1 ? twoIdentities(w, id) : undefined;
  const days = 'sum(bit_count(days))';
  return `SELECT imei FROM ${identityDaysPerMonth(w, id, only)}
    GROUP BY imei
    HAVING ${days} > 0 AND ${days} >= ${p.minSeenDays}
       AND sum(ids)::DOUBLE / ${days}::DOUBLE >= '${String(p.threshold)}'::DOUBLE`;
}
