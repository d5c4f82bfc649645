import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, escapeHtml, formatNumber, stackedBarChart } from './svg-bars.js';

test('escapeHtml escapes the five characters', () => {
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
  );
  assert.equal(formatNumber(1234567), '1,234,567');
});

test('barChart: titled, described, bars proportional, texts escaped', () => {
  const svg = barChart({
    id: 'c1',
    title: 'IMEIs <per> model',
    description: 'desc & more',
    bars: [
      { label: '<script>alert(1)</script>', value: 200 },
      { label: 'half', value: 100 },
      { label: 'none', value: 0 },
    ],
  });
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/);
  assert.match(svg, /<title id="c1-title">IMEIs &lt;per&gt; model<\/title>/);
  assert.match(svg, /<desc id="c1-desc">desc &amp; more<\/desc>/);
  assert.ok(!svg.includes('<script'));
  assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;: 200/);
  const widths = [...svg.matchAll(/<rect [^>]*width="([0-9.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(widths.length, 3);
  assert.ok(Math.abs(widths[0]! - 2 * widths[1]!) < 0.2, `${widths}`);
  assert.equal(widths[2], 0);
  assert.ok(svg.endsWith('</svg>'));
});

test('stackedBarChart: legend, shares in the bar titles, empty rows outlined', () => {
  const svg = stackedBarChart({
    id: 'c2',
    title: 'Status',
    series: [
      { name: 'ok', color: '#009E73' },
      { name: 'bad', color: '#D55E00' },
    ],
    rows: [
      { label: 'alpha', values: [3, 1] },
      { label: 'empty', values: [0, 0] },
    ],
  });
  assert.match(svg, /<title>alpha, ok: 3 \(75\.0%\)<\/title>/);
  assert.match(svg, /<title>alpha, bad: 1 \(25\.0%\)<\/title>/);
  assert.match(svg, /<text[^>]*>empty<\/text><rect [^>]*fill="none"/);
  assert.ok(!svg.includes('empty, ok'));
});

test('stackedBarChart: a long legend wraps inside the width', () => {
  const series = ['blocked this month', '1 month ago', '2 months ago', '3+ months ago'].map(
    (name) => ({
      name,
      color: '#000',
    }),
  );
  const svg = stackedBarChart({
    id: 'c3',
    title: 't',
    width: 300,
    series,
    rows: [{ label: 'x', values: [1, 1, 1, 1] }],
  });
  const xs = [
    ...svg.matchAll(
      /<text x="([0-9.]+)" y="[0-9.]+">[^<]*ago|<text x="([0-9.]+)" y="[0-9.]+">blocked/g,
    ),
  ];
  assert.equal(xs.length, 4);
  for (const m of svg.matchAll(/<rect x="([0-9.]+)" y="[0-9.]+" width="10"/g))
    assert.ok(Number(m[1]) < 300);
  assert.ok(
    Number(/height="([0-9]+)"/.exec(svg)![1]) > 3 * 24,
    'taller for the extra legend lines',
  );
});
