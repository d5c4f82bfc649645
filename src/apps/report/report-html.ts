/**
 * The report as one self-contained HTML page for a regulator who opens it from disk: inline CSS,
 * charts as inline SVG (`svg-bars.ts`), no script, no external asset. Every chart has a title and
 * a description and sits beside a table of the same figures (the accessible fallback); sections
 * are headed and listed in a table of contents. Every text from the store is escaped.
 */
import {
  BLACK_AGES,
  COUNTRY_SCOPE,
  IMSI_BUCKETS,
  type MonthReport,
} from '../../core/ports/report-store.js';
import { barChart, escapeHtml as e, formatNumber, stackedBarChart } from './svg-bars.js';

export interface HtmlOptions {
  /** When the page was made (ISO); omitted from the page when absent. */
  readonly generatedAt?: string;
}

const COLORS = { compliant: '#009E73', informative: '#E69F00', blocking: '#D55E00' };
const AGE_COLORS = ['#F0E442', '#E69F00', '#D55E00', '#7F2704'];

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{margin-top:2.5rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}thead th{background:#eef3f8}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tbody th{text-align:left;font-weight:normal}
.note{background:#fff4e5;border-left:4px solid #E69F00;padding:.5rem 1rem}.muted{color:#555}
svg.chart{display:block;margin:1rem 0;max-width:100%;height:auto;font-size:12px;font-family:inherit}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.meta dt{font-weight:600}
nav ol{columns:2}@media print{nav{display:none}h2{break-before:auto}svg.chart,table{break-inside:avoid}}
`;

type Cell = string | number;

/** A table: first column as row headers, numbers right-aligned and grouped. */
function table(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const cell = (c: Cell, i: number) => {
    if (i === 0) return `<th scope="row">${e(String(c))}</th>`;
    return typeof c === 'number' ? `<td class="num">${formatNumber(c)}</td>` : `<td>${e(c)}</td>`;
  };
  const th = head.map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${e(h)}</th>`);
  const body = rows.length
    ? rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${head.length}">None.</td></tr>`;
  return `<table><caption>${e(caption)}</caption><thead><tr>${th.join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const pct = (n: number, of: number) => (of > 0 ? `${((n / of) * 100).toFixed(1)}%` : '–');

export function reportHtml(r: MonthReport, o: HtmlOptions = {}): string {
  const scopes = [...r.operators.map((x) => x.id), COUNTRY_SCOPE];
  const names = new Map(r.operators.map((x) => [x.id, x.name]));
  const nameOf = (s: string) =>
    s === COUNTRY_SCOPE ? `${r.country} (all operators)` : (names.get(s) ?? s);
  const scopeNames = scopes.map(nameOf);
  const fig = new Map(r.figures.map((f) => [f.scope, f]));
  const country = fig.get(COUNTRY_SCOPE);
  const seen = country?.imeis ?? 0;
  const sections: { id: string; title: string; html: string }[] = [];

  // Summary.
  sections.push({
    id: 'summary',
    title: 'Devices seen and their status',
    html:
      stackedBarChart({
        id: 'chart-status',
        title: `Status of the IMEIs seen in ${r.month}, by operator`,
        description:
          'Share of compliant, informative and blocking IMEIs per operator and nationally.',
        series: [
          { name: 'compliant', color: COLORS.compliant },
          { name: 'informative', color: COLORS.informative },
          { name: 'blocking', color: COLORS.blocking },
        ],
        rows: r.figures.map((f) => ({
          label: nameOf(f.scope),
          values: [f.compliant, f.informative, f.blocking],
        })),
      }) +
      table(
        `Figures of ${r.month} per operator and for the country`,
        [
          'Scope',
          'IMEIs',
          'IMSIs',
          'MSISDNs',
          'Triplets',
          'Compliant',
          'Informative',
          'Blocking',
          'Blocking %',
          'Malformed IMEIs',
          'Unknown TAC',
        ],
        r.figures.map((f) => [
          nameOf(f.scope),
          f.imeis,
          f.imsis,
          f.msisdns,
          f.triplets,
          f.compliant,
          f.informative,
          f.blocking,
          pct(f.blocking, f.imeis),
          f.malformedImeis,
          f.unknownTacImeis,
        ]),
      ),
  });

  // Conditions.
  const byCond = new Map(r.byCondition.map((c) => [`${c.scope}\n${c.condition}`, c.imeis]));
  sections.push({
    id: 'conditions',
    title: 'Conditions',
    html:
      barChart({
        id: 'chart-conditions',
        title: `IMEIs per open condition, ${r.country}, end of ${r.month}`,
        description: 'Seen IMEIs for which each condition was open on the last day of the month.',
        bars: r.conditions.map((c) => ({
          label: c.label,
          value: byCond.get(`${COUNTRY_SCOPE}\n${c.label}`) ?? 0,
        })),
      }) +
      table(
        'Seen IMEIs per condition open at the end of the month',
        ['Condition', 'Kind', 'Reason', ...scopeNames],
        r.conditions.map((c) => [
          c.label,
          c.blocking ? 'blocking' : 'informative',
          c.reason,
          ...scopes.map((s) => byCond.get(`${s}\n${c.label}`) ?? 0),
        ]),
      ),
  });

  // Combinations.
  const combos = new Map<
    string,
    { conditions: readonly string[]; blocking: boolean; n: Map<string, number> }
  >();
  for (const c of r.byCombination) {
    const k = c.conditions.join('\n');
    if (!combos.has(k))
      combos.set(k, { conditions: c.conditions, blocking: c.blocking, n: new Map() });
    combos.get(k)!.n.set(c.scope, c.imeis);
  }
  const comboRows = [...combos.values()].sort(
    (a, b) => (b.n.get(COUNTRY_SCOPE) ?? 0) - (a.n.get(COUNTRY_SCOPE) ?? 0),
  );
  sections.push({
    id: 'combinations',
    title: 'Combinations of conditions',
    html:
      barChart({
        id: 'chart-combinations',
        title: `IMEIs per combination of open conditions, ${r.country} (15 largest)`,
        description:
          'Each seen IMEI with open conditions counts once, under the exact set of its conditions.',
        bars: comboRows
          .slice(0, 15)
          .map((c) => ({ label: c.conditions.join(' + '), value: c.n.get(COUNTRY_SCOPE) ?? 0 })),
      }) +
      table(
        'Seen IMEIs per combination of conditions open at the end of the month',
        ['Conditions', 'Kind', ...scopeNames],
        comboRows.map((c) => [
          c.conditions.join(' + '),
          c.blocking ? 'blocking' : 'informative',
          ...scopes.map((s) => c.n.get(s) ?? 0),
        ]),
      ),
  });

  // Models.
  const modelName = (m: { brand: string; model: string }) =>
    [m.brand, m.model].filter(Boolean).join(' ') || '(unnamed)';
  const modelTable = (scope: string) => {
    const of = fig.get(scope)?.imeis ?? 0;
    return table(
      `Top models, ${nameOf(scope)}`,
      ['Rank', 'Brand', 'Model', 'Manufacturer', 'IMEIs', 'Share of seen IMEIs'],
      r.topModels
        .filter((m) => m.scope === scope)
        .map((m) => [String(m.rank), m.brand, m.model, m.manufacturer, m.imeis, pct(m.imeis, of)]),
    );
  };
  sections.push({
    id: 'models',
    title: 'Top models',
    html:
      barChart({
        id: 'chart-models',
        title: `Models seen on the most IMEIs, ${r.country}`,
        description: 'Seen IMEIs per model (brand, model name) of the GSMA TAC database.',
        bars: r.topModels
          .filter((m) => m.scope === COUNTRY_SCOPE)
          .map((m) => ({ label: modelName(m), value: m.imeis })),
      }) +
      modelTable(COUNTRY_SCOPE) +
      r.operators.map((x) => `<h3>${e(x.name)}</h3>${modelTable(x.id)}`).join('\n') +
      `<p class="muted">IMEIs whose TAC is not in the GSMA TAC database: ${formatNumber(country?.unknownTacImeis ?? 0)}; malformed IMEIs: ${formatNumber(country?.malformedImeis ?? 0)}.</p>`,
  });

  // IMSI distribution.
  const dist = new Map(r.imsiDistribution.map((d) => [`${d.scope}\n${d.bucket}`, d.imeis]));
  sections.push({
    id: 'imsis',
    title: 'IMEIs by number of IMSIs',
    html:
      barChart({
        id: 'chart-imsis',
        title: `IMEIs by number of distinct IMSIs in ${r.month}, ${r.country}`,
        description:
          'How many IMEIs were used with 1, 2, 3, 4, 5 to 9 and 10 or more SIMs (IMSIs) during the month.',
        bars: IMSI_BUCKETS.map((b) => ({
          label: `${b} IMSI${b === '1' ? '' : 's'}`,
          value: dist.get(`${COUNTRY_SCOPE}\n${b}`) ?? 0,
        })),
      }) +
      table(
        'IMEIs by number of distinct IMSIs seen with them in the month',
        ['IMSIs', ...scopeNames],
        IMSI_BUCKETS.map((b) => [b, ...scopes.map((s) => dist.get(`${s}\n${b}`) ?? 0)]),
      ),
  });

  // Black-listed IMEIs still seen.
  const black = new Map(r.blackListedSeen.map((b) => [`${b.scope}\n${b.age}`, b.imeis]));
  const ageLabel = (a: string) =>
    a === '0' ? 'blocked this month' : `${a} month${a === '1' ? '' : 's'} ago`;
  sections.push({
    id: 'blacklisted',
    title: 'Black-listed IMEIs still seen',
    html:
      stackedBarChart({
        id: 'chart-black',
        title: `Black-listed IMEIs seen on or after their block date in ${r.month}, by time since blocking`,
        description:
          'Per operator and nationally, split by whole months between the block date and this month.',
        series: BLACK_AGES.map((a, i) => ({ name: ageLabel(a), color: AGE_COLORS[i]! })),
        rows: scopes.map((s) => ({
          label: nameOf(s),
          values: BLACK_AGES.map((a) => black.get(`${s}\n${a}`) ?? 0),
        })),
      }) +
      table(
        'Black-listed IMEIs still seen, by months since their block date',
        ['Blocked', ...scopeNames],
        [
          ...BLACK_AGES.map((a) => [
            ageLabel(a),
            ...scopes.map((s) => black.get(`${s}\n${a}`) ?? 0),
          ]),
          [
            'total',
            ...scopes.map((s) =>
              BLACK_AGES.reduce((t, a) => t + (black.get(`${s}\n${a}`) ?? 0), 0),
            ),
          ],
        ],
      ),
  });

  const warnings = [
    r.dataFirstDay === null ? `No network data was imported for ${r.month}.` : '',
    r.classificationAsOf === null
      ? `No classification ran on or before ${r.periodEnd}: every IMEI counts as compliant.`
      : r.classificationAsOf < r.periodEnd
        ? `The last classification on or before the month's end ran as of ${r.classificationAsOf}; statuses are as of that run.`
        : '',
  ].filter(Boolean);

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${r.country}: CEIR monthly report ${r.month}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${e(`${r.country}: CEIR monthly report, ${r.month}`)}</h1>
<dl class="meta">
<dt>Period</dt><dd>${e(r.periodStart)} to ${e(r.periodEnd)}</dd>
<dt>Network data</dt><dd>${r.dataFirstDay ? `${e(r.dataFirstDay)} to ${e(r.dataLastDay ?? '')}` : 'none'}</dd>
<dt>Classification as of</dt><dd>${e(r.classificationAsOf ?? 'none')}</dd>
<dt>IMEIs seen</dt><dd>${formatNumber(seen)}</dd>
${o.generatedAt ? `<dt>Generated</dt><dd>${e(o.generatedAt)}</dd>\n` : ''}</dl>
${warnings.map((w) => `<p class="note" role="note">${e(w)}</p>`).join('\n')}
</header>
<nav aria-label="Contents"><h2>Contents</h2><ol>
${sections.map((s) => `<li><a href="#${s.id}">${e(s.title)}</a></li>`).join('\n')}
<li><a href="#definitions">Definitions</a></li>
</ol></nav>
<main>
${sections.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-h">\n<h2 id="${s.id}-h">${e(s.title)}</h2>\n${s.html}\n</section>`).join('\n')}
<section id="definitions" aria-labelledby="definitions-h">
<h2 id="definitions-h">Definitions</h2>
<dl>
<dt>Seen</dt><dd>Reported by an operator on at least one day of the month. National figures count an identifier seen on several operators once.</dd>
<dt>Status</dt><dd>As of the month's last day: <em>blocking</em> if the IMEI has an open condition with a block date, <em>informative</em> if it has only open conditions without one, else <em>compliant</em>.</dd>
<dt>Black-listed, still seen</dt><dd>An open blocking condition whose block date is on or before the month's end (golden IMEIs aside), and a sighting on or after the block date; age in whole calendar months from the block date.</dd>
<dt>Models</dt><dd>From the current GSMA TAC database (Brand Name, Model Name, Manufacturer), by the IMEI's first 8 digits.</dd>
</dl>
</section>
</main>
</body>
</html>
`;
}
