/**
 * Day windows over the monthly `day_mask` of `triplets`, as set-based SQL (no day expansion).
 * A window is inclusive at both ends, in day numbers (`core/rules/dates.ts`); its lower end may be
 * open (every day up to `to`). For a triplet row of month `m`, the window's days inside `m` are a
 * bitmask with bit d-1 for day d, limited to the length of `m` (mask bits past the month's end
 * are ignored, as the oracle's `tripletDays` does), and the row is in the window iff
 * `day_mask & mask <> 0`.
 */
import { dateOfDay, type DayWindow } from '../../../core/rules/dates.js';
import { lit } from '../duckdb-database.js';

/** A day window whose lower end may be open (`from` null: every day up to `to`). */
export interface SqlWindow {
  readonly from: number | null;
  readonly to: number;
}

/** A `DATE` literal of a day number. */
export function dateSql(day: number): string {
  return `DATE ${lit(dateOfDay(day))}`;
}

/** A `DATE` literal of the first day of the month holding a day number. */
export function monthSql(day: number): string {
  return `DATE ${lit(`${dateOfDay(day).slice(0, 7)}-01`)}`;
}

/** The window of a `DayWindow` (an unbounded `from`, as `upTo` makes, becomes open). */
export function sqlWindow(w: DayWindow): SqlWindow {
  return { from: Number.isSafeInteger(w.from) && w.from > -1e8 ? w.from : null, to: w.to };
}

/**
 * The BIGINT mask of the days of `[fromSql, toSql]` (SQL DATE expressions, `fromSql` null for an
 * open start) inside the month of the row's `month` column (`alias.month`), 0 when disjoint.
 * Shift amounts are clamped to 0..32 so that no branch can fail.
 */
export function windowMaskExpr(fromSql: string | null, toSql: string, alias = ''): string {
  const month = `${alias}month`;
  const len = `dayofmonth(last_day(${month}))`;
  const hi = `greatest(0, least(${len}, (${toSql}) - ${month} + 1))`;
  const lo = fromSql === null ? '1' : `least(32, greatest(1, (${fromSql}) - ${month} + 1))`;
  return `greatest(0, (1::BIGINT << ${hi}) - (1::BIGINT << (${lo} - 1)))`;
}

/** The BIGINT window mask of a compile-time window for the row's month. */
export function windowMask(w: SqlWindow, alias = ''): string {
  return windowMaskExpr(w.from === null ? null : dateSql(w.from), dateSql(w.to), alias);
}

/**
 * Whether a triplet row has a day in the window: a month-range predicate (so that DuckDB prunes
 * row groups by their `month` zone maps) and the mask test.
 */
export function inWindow(w: SqlWindow, alias = ''): string {
  const month = `${alias}month`;
  const range =
    w.from === null
      ? `${month} <= ${monthSql(w.to)}`
      : `${month} BETWEEN ${monthSql(w.from)} AND ${monthSql(w.to)}`;
  return `(${range} AND ${alias}day_mask & ${windowMask(w, alias)} <> 0)`;
}
