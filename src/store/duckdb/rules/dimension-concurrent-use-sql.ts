/**
 * `concurrent_use`: days on which an IMEI was seen with `threshold` or more distinct IMSIs (and
 * with `acrossOperators`, reported by two or more operators), at least `minDays` of them.
 */
import type { ConcurrentUseParams } from '../../../core/rules/condition.js';
import { lastDays } from '../../../core/rules/dates.js';
import { inWindow, sqlWindow, windowMask } from './sql-window.js';

/**
 * Per-day counting needs the days themselves, so they are expanded (bit by bit), but only for
 * the few candidate IMEIs: from a threshold of 2, those with two IMSIs in the window, a
 * necessary condition for a concurrent day, tested with a plain integer aggregate (DISTINCT
 * counts, or min/max of the operator text, cost more than they save over every IMEI).
 */
export function concurrentUseSql(asOf: string, p: ConcurrentUseParams): string {
  const w = sqlWindow(lastDays(asOf, p.periodDays));
  const across = p.acrossOperators ? 'AND count(DISTINCT operator) >= 2' : '';
  const twoImsis = p.threshold >= 2 ? 'min(imsi) < max(imsi)' : 'TRUE';
  const rows = `(SELECT * FROM triplets WHERE imsi IS NOT NULL AND ${inWindow(w)})`;
  const candidates = `(SELECT imei FROM ${rows} GROUP BY imei HAVING ${twoImsis})`;
  const days = `(SELECT t.imei, t.month, b.bit, t.imsi, t.operator
      FROM (SELECT r.imei, r.month, r.imsi, r.operator, r.day_mask & ${windowMask(w, 'r.')} AS m
              FROM ${rows} r SEMI JOIN ${candidates} c ON c.imei = r.imei) t
      JOIN (SELECT range AS bit FROM range(0, 31)) b ON (t.m >> b.bit) & 1 = 1)`;
  return `SELECT imei FROM (
      SELECT imei FROM ${days} GROUP BY imei, month, bit
      HAVING count(DISTINCT imsi) >= ${p.threshold} ${across})
    GROUP BY imei HAVING count(*) >= ${p.minDays}`;
}
