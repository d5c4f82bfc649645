/**
 * The report as CSV, one RFC 4180 file per table (`listgen/csv.ts` quoting), long format: every
 * row names its scope (an operator id, or `*` for the whole country), so a spreadsheet pivots it
 * as it likes. A combination of conditions is its labels joined with `|`.
 */
import { COUNTRY_SCOPE, type MonthReport } from '../../core/ports/report-store.js';
import { csvRecord } from '../../listgen/csv.js';

export interface CsvTable {
  /** File name stem, e.g. `figures`. */
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export const COMBINATION_SEPARATOR = '|';

/** Every table of the report, in page order. */
export function reportTables(r: MonthReport): CsvTable[] {
  const names = new Map(r.operators.map((o) => [o.id, o.name]));
  const nameOf = (scope: string) =>
    scope === COUNTRY_SCOPE ? r.country : (names.get(scope) ?? scope);
  const cond = new Map(r.conditions.map((c) => [c.label, c]));
  const s = String;
  return [
    {
      name: 'figures',
      header: [
        'scope',
        'name',
        'imeis',
        'imsis',
        'msisdns',
        'triplets',
        'compliant',
        'blocking',
        'informative',
        'malformed_imeis',
        'unknown_tac_imeis',
      ],
      rows: r.figures.map((f) => [
        f.scope,
        nameOf(f.scope),
        s(f.imeis),
        s(f.imsis),
        s(f.msisdns),
        s(f.triplets),
        s(f.compliant),
        s(f.blocking),
        s(f.informative),
        s(f.malformedImeis),
        s(f.unknownTacImeis),
      ]),
    },
    {
      name: 'conditions',
      header: ['scope', 'condition', 'blocking', 'reason', 'imeis'],
      rows: r.byCondition.map((c) => [
        c.scope,
        c.condition,
        s(cond.get(c.condition)?.blocking ?? false),
        cond.get(c.condition)?.reason ?? '',
        s(c.imeis),
      ]),
    },
    {
      name: 'combinations',
      header: ['scope', 'conditions', 'blocking', 'imeis'],
      rows: r.byCombination.map((c) => [
        c.scope,
        c.conditions.join(COMBINATION_SEPARATOR),
        s(c.blocking),
        s(c.imeis),
      ]),
    },
    {
      name: 'top_models',
      header: ['scope', 'rank', 'brand', 'model', 'manufacturer', 'imeis'],
      rows: r.topModels.map((m) => [
        m.scope,
        s(m.rank),
        m.brand,
        m.model,
        m.manufacturer,
        s(m.imeis),
      ]),
    },
    {
      name: 'imsi_distribution',
      header: ['scope', 'imsis', 'imeis'],
      rows: r.imsiDistribution.map((d) => [d.scope, d.bucket, s(d.imeis)]),
    },
    {
      name: 'blacklisted_seen',
      header: ['scope', 'months_since_block', 'imeis'],
      rows: r.blackListedSeen.map((b) => [b.scope, b.age, s(b.imeis)]),
    },
  ];
}

/** One table as CSV text: header, then rows, LF line ends. */
export function tableCsv(t: CsvTable): string {
  return [t.header, ...t.rows].map((row) => csvRecord(row)).join('');
}
