/**
 * The report as JSON: the `MonthReport` value exactly (port types in `core/ports/report-store.ts`),
 * two-space indented, ending with a newline; `--json` prints the same text.
 */
import type { MonthReport } from '../../core/ports/report-store.js';

export function reportJson(r: MonthReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** Reads a report back (tests, later tooling). */
export function parseReportJson(text: string): MonthReport {
  return JSON.parse(text) as MonthReport;
}
