/**
 * `ceir report <YYYY-MM> [--out <dir>] [--json]`: the regulator's monthly report, written as JSON,
 * one CSV per table and one self-contained HTML page into `--out` (default
 * `<data>/reports/<YYYY-MM>/`); `--json` also prints the JSON.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MonthReport } from '../../../core/ports/report-store.js';
import { COUNTRY_SCOPE } from '../../../core/ports/report-store.js';
import { reportTables, tableCsv } from '../../report/report-csv.js';
import { reportHtml } from '../../report/report-html.js';
import { reportJson } from '../../report/report-json.js';
import { formatNumber } from '../../report/svg-bars.js';
import type { CliContext } from '../cli-context.js';
import { formatDuration } from '../progress.js';
import { UsageError } from '../usage-error.js';

export interface ReportArgs {
  readonly out?: string;
}

export function checkMonth(v: string | undefined): string {
  if (v === undefined || !/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(v))
    throw new UsageError('ceir report <YYYY-MM> [--out <dir>]');
  return v;
}

/** Base name of the report's files: `ceir-report-<YYYY-MM>`. */
export const reportBase = (month: string) => `ceir-report-${month}`;

/** Writes every file of the report into `dir`; returns their paths. */
export function writeReport(dir: string, r: MonthReport, generatedAt: string): string[] {
  mkdirSync(dir, { recursive: true });
  const base = reportBase(r.month);
  const files: [string, string][] = [
    [`${base}.json`, reportJson(r)],
    ...reportTables(r).map((t): [string, string] => [`${base}-${t.name}.csv`, tableCsv(t)]),
    [`${base}.html`, reportHtml(r, { generatedAt })],
  ];
  return files.map(([name, text]) => {
    const path = join(dir, name);
    // Written aside and renamed, so that a reader never sees half a file.
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    return path;
  });
}

export async function runReport(ctx: CliContext, month: string, a: ReportArgs): Promise<number> {
  const m = checkMonth(month);
  const t0 = performance.now();
  const store = await ctx.openStore();
  const report = await store.monthReport(m, ctx.config);
  const dir = resolve(a.out ?? join(ctx.dataDir, 'reports', m));
  const files = writeReport(dir, report, new Date().toISOString());
  const ms = performance.now() - t0;
  if (ctx.json) {
    ctx.io.out(reportJson(report).trimEnd());
    return 0;
  }
  const c = report.figures.find((f) => f.scope === COUNTRY_SCOPE);
  ctx.io.out(`report ${m} (${report.country}) in ${formatDuration(ms)}`);
  ctx.io.out(
    `  ${formatNumber(c?.imeis ?? 0)} IMEIs seen: ${formatNumber(c?.compliant ?? 0)} compliant, ` +
      `${formatNumber(c?.informative ?? 0)} informative, ${formatNumber(c?.blocking ?? 0)} blocking`,
  );
  if (report.classificationAsOf === null)
    ctx.io.out(`  no classification on or before ${report.periodEnd}: run \`ceir classify\``);
  ctx.io.out(`  written to ${dir}:`);
  for (const f of files) ctx.io.out(`    ${f.slice(dir.length + 1)}`);
  return 0;
}
