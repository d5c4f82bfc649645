/**
 * Inline SVG charts for the regulator's dashboard (no script, no image request): horizontal bars,
 * 100% stacked bars and monthly columns. Each is an `<svg role="img">` named by its `<title>` and
 * `<desc>`; each bar has its own `<title>` with label and value; the page shows the same figures
 * in a table. Built with `html`, so every label is escaped. (The same drawing as the monthly
 * report's `apps/report/svg-bars.ts`, which the web layer may not import.)
 */
import { html, type SafeHtml } from './html.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
}
export interface Series {
  readonly name: string;
  readonly color: string;
}
export interface ChartOptions {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly width?: number;
}

const ROW = 24;
const BAR = 16;
const PAD = 8;
const CHAR = 7;
const MAX_LABEL = 30;

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const clip = (s: string): string => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);
const f1 = (n: number): string => n.toFixed(1);

function frame(o: ChartOptions, height: number, body: SafeHtml): SafeHtml {
  const w = o.width ?? 640;
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    role="img"
    class="chart"
    width="${w}"
    height="${height}"
    viewBox="0 0 ${w} ${height}"
    aria-labelledby="${o.id}-t ${o.id}-d"
  >
    <title id="${o.id}-t">${o.title}</title>
    <desc id="${o.id}-d">${o.description ?? o.title}</desc>
    ${body}
  </svg>`;
}

const labelWidth = (labels: readonly string[]): number =>
  Math.min(MAX_LABEL, Math.max(4, ...labels.map((l) => clip(l).length))) * CHAR + PAD;

/** One horizontal bar per item, proportional to the largest value. */
export function barChart(o: ChartOptions & { bars: readonly Bar[]; color?: string }): SafeHtml {
  const width = o.width ?? 640;
  const lw = labelWidth(o.bars.map((b) => b.label));
  const span = Math.max(10, width - lw - 12 * CHAR - 2 * PAD);
  const max = Math.max(0, ...o.bars.map((b) => b.value));
  const rows = o.bars.map((b, i) => {
    const y = PAD + i * ROW;
    const w = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * span) : 0;
    return html`<g
      ><title>${b.label}: ${fmt(b.value)}</title
      ><text x="${lw - PAD}" y="${y + BAR - 3}" text-anchor="end">${clip(b.label)}</text
      ><rect
        class="bar"
        x="${lw}"
        y="${y}"
        width="${f1(w)}"
        height="${BAR}"
        fill="${o.color ?? '#0072B2'}"
      /><text x="${f1(lw + w + 4)}" y="${y + BAR - 3}">${fmt(b.value)}</text></g
    >`;
  });
  return frame(o, Math.max(ROW, o.bars.length * ROW) + 2 * PAD, html`${rows}`);
}

/** One 100% bar per row split into its series' shares, with a legend on top. */
export function stackedBarChart(
  o: ChartOptions & {
    series: readonly Series[];
    rows: readonly { label: string; values: readonly number[] }[];
  },
): SafeHtml {
  const width = o.width ?? 640;
  const lw = labelWidth(o.rows.map((r) => r.label));
  const span = Math.max(10, width - lw - 2 * PAD);
  let x = PAD;
  const legend = o.series.map((s) => {
    const g = html`<rect x="${x}" y="${PAD}" width="10" height="10" fill="${s.color}" /><text
        x="${x + 14}"
        y="${PAD + 9}"
        >${s.name}</text
      >`;
    x += 14 + s.name.length * CHAR + 16;
    return g;
  });
  const top = PAD + ROW;
  const rows = o.rows.map((r, i) => {
    const y = top + i * ROW;
    const total = r.values.reduce((a, v) => a + v, 0);
    let at = lw;
    const parts = o.series.map((s, k) => {
      const v = r.values[k] ?? 0;
      const w = total > 0 ? (v / total) * span : 0;
      const rect =
        w > 0
          ? html`<rect
              class="bar"
              x="${f1(at)}"
              y="${y}"
              width="${f1(w)}"
              height="${BAR}"
              fill="${s.color}"
              ><title>${r.label}, ${s.name}: ${fmt(v)}</title></rect
            >`
          : null;
      at += w;
      return rect;
    });
    return html`<g
      ><text x="${lw - PAD}" y="${y + BAR - 3}" text-anchor="end">${clip(r.label)}</text
      ><rect
        x="${lw}"
        y="${y}"
        width="${span}"
        height="${BAR}"
        fill="none"
        stroke="#999"
      />${parts}</g
    >`;
  });
  return frame(
    o,
    top + Math.max(1, o.rows.length) * ROW + PAD,
    html`<g class="legend">${legend}</g>${rows}`,
  );
}

/** Vertical columns over time (months), heights proportional to the largest value. */
export function columnChart(o: ChartOptions & { bars: readonly Bar[]; color?: string }): SafeHtml {
  const width = o.width ?? 640;
  const height = 200;
  const base = height - 2 * ROW;
  const n = Math.max(1, o.bars.length);
  const slot = (width - 2 * PAD) / n;
  const cw = Math.max(4, Math.min(60, slot * 0.7));
  const max = Math.max(0, ...o.bars.map((b) => b.value));
  const cols = o.bars.map((b, i) => {
    const h = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * (base - ROW)) : 0;
    const cx = PAD + i * slot + slot / 2;
    return html`<g
      ><title>${b.label}: ${fmt(b.value)}</title
      ><rect
        class="bar"
        x="${f1(cx - cw / 2)}"
        y="${f1(base - h)}"
        width="${f1(cw)}"
        height="${f1(h)}"
        fill="${o.color ?? '#009E73'}"
      /><text x="${f1(cx)}" y="${f1(base - h - 4)}" text-anchor="middle">${fmt(b.value)}</text
      ><text x="${f1(cx)}" y="${base + 16}" text-anchor="middle">${clip(b.label)}</text></g
    >`;
  });
  return frame(
    o,
    height,
    html`<line x1="${PAD}" y1="${base}" x2="${width - PAD}" y2="${base}" stroke="#999" />${cols}`,
  );
}
