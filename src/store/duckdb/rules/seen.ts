/**
 * The SEEN set of a classification as of a date (`core/rules/data-model.ts` `seenImeis`): every
 * IMEI with a triplet day on or before `asOf`. Every dimension's SQL returns a subset of it.
 */
import { dayNumber } from '../../../core/rules/dates.js';
import { inWindow, type SqlWindow } from './sql-window.js';

/** The window of every day up to and including `asOf`. */
export function seenWindow(asOf: string): SqlWindow {
  return { from: null, to: dayNumber(asOf) };
}

/** The triplet rows with a day on or before `asOf` (all columns). */
export function seenTriplets(asOf: string): string {
  return `(SELECT * FROM triplets WHERE ${inWindow(seenWindow(asOf))})`;
}

/** SQL of the SEEN IMEIs as of `asOf`: one column `imei` (the triplets encoding), distinct. */
export function seenSql(asOf: string): string {
  return `SELECT DISTINCT imei FROM triplets WHERE ${inWindow(seenWindow(asOf))}`;
}
