import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChart, columnChart, stackedBarChart } from './chart.js';

const widths = (svg: string): number[] =>
  [...svg.matchAll(/class="bar"[^>]*width="([0-9.]+)"/g)].map((m) => Number(m[1]));

test('bars are proportional to their values and labels are escaped', () => {
  const svg = barChart({
    id: 'c',
    title: 'T <x>',
    bars: [
      { label: '<script>', value: 100 },
      { label: 'b', value: 50 },
      { label: 'c', value: 0 },
    ],
  }).text;
  const [a, b, c] = widths(svg);
  assert.ok(Math.abs(a! / b! - 2) < 0.01, `${a} ${b}`);
  assert.equal(c, 0);
  assert.ok(!svg.includes('<script>'));
  assert.ok(svg.includes('&lt;script&gt;'));
  assert.ok(svg.includes('<title id="c-t">T &lt;x&gt;</title>'));
});

test('stacked shares fill the row in proportion; columns have one bar per month', () => {
  const svg = stackedBarChart({
    id: 's',
    title: 'S',
    series: [
      { name: 'x', color: '#000' },
      { name: 'y', color: '#111' },
    ],
    rows: [{ label: 'op', values: [1, 3] }],
  }).text;
  const [x, y] = widths(svg);
  assert.ok(Math.abs(y! / x! - 3) < 0.01);
  const cols = columnChart({
    id: 'm',
    title: 'M',
    bars: [
      { label: '2026-01', value: 5 },
      { label: '2026-02', value: 10 },
    ],
  }).text;
  assert.equal((cols.match(/class="bar"/g) ?? []).length, 2);
});
