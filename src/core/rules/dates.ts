/**
 * Calendar arithmetic for classification windows, on `YYYY-MM-DD` strings in UTC (no time
 * zones: a network day is the day the operator reported). Days are also handled as day numbers
 * (days since 1970-01-01) so that windows compare as integers.
 */

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * The day number (days since 1970-01-01) of a `YYYY-MM-DD` date. Throws a RangeError for a
 * string that is not a real calendar date (a bug: dates reach the rules already validated).
 */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (m === null) throw new RangeError(`dayNumber needs YYYY-MM-DD, got "${date}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`dayNumber needs a calendar date, got "${date}"`);
  }
  return ms / MS_PER_DAY;
}

/** The `YYYY-MM-DD` date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/**
 * `date` plus `months`, the day clamped to the last day of the target month (as Python's
 * `relativedelta`, which DIRBS used): `2024-03-31` minus 1 month is `2024-02-29`.
 */
export function addMonths(date: string, months: number): string {
  const d = new Date(dayNumber(date) * MS_PER_DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const mo = total - y * 12;
  const last = daysInMonth(y, mo + 1);
  return dateOfDay(Date.UTC(y, mo, Math.min(d.getUTCDate(), last)) / MS_PER_DAY);
}

/** The number of days of month `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A look-back period: a number of days, or of calendar months. */
export type Period =
  | { readonly kind: 'days'; readonly days: number }
  | { readonly kind: 'months'; readonly months: number };

/** An inclusive range of days, as day numbers: `from <= day <= to`. */
export interface DayWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * The analysis window of a period ending on `asOf`, both ends INCLUSIVE. As DIRBS
 * (`compute_analysis_end_date`): the exclusive end is `asOf + 1 day` and the start is that end
 * minus the period. So `{days: N}` covers the N days `asOf - N + 1 ..= asOf`, and
 * `{months: M}` covers `addMonths(asOf + 1 day, -M) ..= asOf` (e.g. asOf 2024-03-31, 1 month:
 * 2024-03-01 ..= 2024-03-31; asOf 2024-03-30, 1 month: 2024-02-29 ..= 2024-03-30).
 */
export function periodWindow(asOf: string, period: Period): DayWindow {
  const endExclusive = addDays(asOf, 1);
  const start =
    period.kind === 'days'
      ? dayNumber(endExclusive) - period.days
      : dayNumber(addMonths(endExclusive, -period.months));
  return { from: start, to: dayNumber(asOf) };
}

/** The window of the last `days` days up to and including `asOf`. */
export function lastDays(asOf: string, days: number): DayWindow {
  return periodWindow(asOf, { kind: 'days', days });
}
