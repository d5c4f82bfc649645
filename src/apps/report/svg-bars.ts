/**
 * Small horizontal bar charts as inline SVG strings, for a report opened from disk: no script, no
 * external asset. Each chart is an `<svg role="img">` named by its `<title>` and `<desc>`
 * (`aria-labelledby`), and each bar carries its own `<title>` (label and value), so screen
 * readers and tooltips get the figures; the page shows the same figures in a table beside it.
 * Every text is escaped.
 */

/** Text for an HTML text node or a quoted attribute (also valid inside inline SVG). */
export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** 1234567 -> "1,234,567". */
export function formatNumber(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface Series {
  readonly name: string;
  readonly color: string;
}

export interface StackedRow {
  readonly label: string;
  /** One value per series, in the series' order. */
  readonly values: readonly number[];
}

export interface ChartOptions {
  /** Accessible name of the chart (its `<title>`). */
  readonly title: string;
  /** Longer description (its `<desc>`). */
  readonly description?: string;
  /** Unique within the page: the ids of title and desc derive from it. */
  readonly id: string;
  readonly width?: number;
}

const ROW = 24;
const BAR = 16;
const PAD = 8;
const CHAR = 7; // average glyph width at 12px, for the label column
const MAX_LABEL = 36;

function clip(s: string): string {
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

function frame(o: ChartOptions, height: number, body: string): string {
  const width = o.width ?? 640;
  const t = `${o.id}-title`;
  const d = `${o.id}-desc`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" aria-labelledby="${escapeHtml(t)} ${escapeHtml(d)}">` +
    `<title id="${escapeHtml(t)}">${escapeHtml(o.title)}</title>` +
    `<desc id="${escapeHtml(d)}">${escapeHtml(o.description ?? o.title)}</desc>${body}</svg>`
  );
}

function labelWidth(labels: readonly string[]): number {
  return Math.min(MAX_LABEL, Math.max(4, ...labels.map((l) => clip(l).length))) * CHAR + PAD;
}

/** One bar per item, lengths proportional to the largest value (all zero: no bars drawn). */
export function barChart(
  o: ChartOptions & { readonly bars: readonly Bar[]; readonly color?: string },
): string {
  const width = o.width ?? 640;
  const lw = labelWidth(o.bars.map((b) => b.label));
  const vw = 12 * CHAR;
  const span = Math.max(10, width - lw - vw - 2 * PAD);
  const max = Math.max(0, ...o.bars.map((b) => b.value));
  const color = o.color ?? '#0072B2';
  const rows = o.bars.map((b, i) => {
    const y = PAD + i * ROW;
    const w = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * span) : 0;
    return (
      `<g><title>${escapeHtml(`${b.label}: ${formatNumber(b.value)}`)}</title>` +
      `<text x="${lw - PAD}" y="${y + BAR - 3}" text-anchor="end">${escapeHtml(clip(b.label))}</text>` +
      `<rect x="${lw}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${escapeHtml(color)}"/>` +
      `<text x="${(lw + w + 4).toFixed(1)}" y="${y + BAR - 3}">${escapeHtml(formatNumber(b.value))}</text></g>`
    );
  });
  return frame(o, Math.max(ROW, o.bars.length * ROW) + 2 * PAD, rows.join(''));
}

/**
 * One 100% bar per row, split into its series' shares, with a legend on top. A row whose values
 * are all zero is drawn as an empty outline.
 */
export function stackedBarChart(
  o: ChartOptions & { readonly series: readonly Series[]; readonly rows: readonly StackedRow[] },
): string {
  const width = o.width ?? 640;
  const lw = labelWidth(o.rows.map((r) => r.label));
  const span = Math.max(10, width - lw - 2 * PAD);
  // Legend items left to right, wrapping to a new line when the width runs out.
  let x = PAD;
  let ly = PAD;
  const legend = o.series.map((s) => {
    const w = 14 + s.name.length * CHAR + 16;
    if (x > PAD && x + w > width) {
      x = PAD;
      ly += ROW;
    }
    const g =
      `<rect x="${x}" y="${ly}" width="10" height="10" fill="${escapeHtml(s.color)}"/>` +
      `<text x="${x + 14}" y="${ly + 9}">${escapeHtml(s.name)}</text>`;
    x += w;
    return g;
  });
  const top = ly + ROW;
  const rows = o.rows.map((r, i) => {
    const y = top + i * ROW;
    const total = r.values.reduce((a, v) => a + v, 0);
    let at = lw;
    const parts = o.series.map((s, k) => {
      const v = r.values[k] ?? 0;
      const w = total > 0 ? (v / total) * span : 0;
      const share = total > 0 ? ((v / total) * 100).toFixed(1) : '0.0';
      const rect =
        w > 0
          ? `<rect x="${at.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${escapeHtml(s.color)}">` +
            `<title>${escapeHtml(`${r.label}, ${s.name}: ${formatNumber(v)} (${share}%)`)}</title></rect>`
          : '';
      at += w;
      return rect;
    });
    return (
      `<g><text x="${lw - PAD}" y="${y + BAR - 3}" text-anchor="end">${escapeHtml(clip(r.label))}</text>` +
      `<rect x="${lw}" y="${y}" width="${span}" height="${BAR}" fill="none" stroke="#999"/>${parts.join('')}</g>`
    );
  });
  return frame(
    o,
    top + Math.max(1, o.rows.length) * ROW + PAD,
    `<g class="legend">${legend.join('')}</g>${rows.join('')}`,
  );
}
