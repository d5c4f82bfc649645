/**
 * The delta files a person's action makes (domain.md section 3 formats, with `change_type` and a
 * `case_number`/`request` column that keeps the origin in the entry's attributes and makes every
 * delta's content unique). They go through the same import path as a file: row checks, conflict
 * checks, one transaction.
 */
import { CeirFailure, ceirError } from '../core/errors.js';
import type { ListSubmission, PeopleListKind } from '../core/ports/people-services.js';
import type { ApiDeps } from './api-deps.js';

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function deltaCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return [columns.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

/** Submits a delta; a refusal becomes a thrown CeirFailure (the handler's error response). */
export async function submitDelta(
  deps: ApiDeps,
  list: PeopleListKind,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): Promise<ListSubmission> {
  if (rows.length === 0) return { kind: 'duplicate', importId: '' };
  const r = await deps.services.submitListDelta(list, deltaCsv(columns, rows));
  if (r.kind === 'rejected') throw new CeirFailure(r.error);
  return r;
}

export const STOLEN_DELTA_COLUMNS = [
  'imei',
  'reporting_date',
  'status',
  'change_type',
  'case_number',
];
export const PAIRING_DELTA_COLUMNS = ['imei', 'imsi', 'msisdn', 'change_type', 'request'];

export function conflict(message: string): CeirFailure {
  return new CeirFailure(ceirError('CEIR_ERR_CONFLICT', message));
}
export function notFound(message: string): CeirFailure {
  return new CeirFailure(ceirError('CEIR_ERR_NOT_FOUND', message));
}
export function badRequest(message: string): CeirFailure {
  return new CeirFailure(ceirError('CEIR_ERR_USAGE', message));
}
