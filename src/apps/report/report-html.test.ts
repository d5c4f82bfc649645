import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE_REPORT as R } from './report-fixture.js';
import { reportHtml } from './report-html.js';

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'wbr']);

/** Checks that tags nest properly (void and self-closed SVG tags aside); returns the tag names. */
function assertBalanced(html: string): string[] {
  const body = html
    .replace(/<!DOCTYPE html>/i, '')
    .replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  const stack: string[] = [];
  const seen: string[] = [];
  let rest = body;
  for (const m of body.matchAll(
    /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z:-]+="[^"<>]*")*)\s*(\/?)>/g,
  )) {
    const [, close, name, , self] = m;
    rest = rest.replace(m[0], '');
    const tag = name!.toLowerCase();
    if (close) {
      assert.equal(stack.pop(), tag, `</${tag}> closes ${stack.join('>')}`);
    } else if (!self && !VOID.has(tag)) {
      stack.push(tag);
      seen.push(tag);
    } else seen.push(tag);
  }
  assert.deepEqual(stack, [], 'every tag is closed');
  // Whatever is left is text: a '<' there is a tag the pattern did not accept (bad attribute
  // quoting) or unescaped text.
  assert.ok(
    !rest.includes('<'),
    `stray "<" in text: ${rest.slice(rest.indexOf('<') - 40, rest.indexOf('<') + 40)}`,
  );
  assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(rest), 'every & is an entity');
  return seen;
}

const html = reportHtml(R, { generatedAt: '2026-04-01T03:00:00.000Z' });

test('the page is well-formed: balanced html, tables and svg', () => {
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  const tags = assertBalanced(html);
  assert.ok(tags.filter((t) => t === 'svg').length >= 6, 'a chart per section');
  assert.ok(tags.filter((t) => t === 'table').length >= 7);
});

test('self-contained: no script, no external asset', () => {
  assert.ok(!/<script/i.test(html));
  assert.ok(
    !/\b(src|href)="(?!#)/.test(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')),
    'only in-page links',
  );
  assert.ok(!/url\(|@import/.test(html));
  assert.match(html, /<meta charset="utf-8">/);
});

test('escapes every store text: model names, operator and country names, reasons', () => {
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /Alpha &lt;Mobile&gt;/);
  assert.match(html, /Test &amp; &quot;land&quot;: CEIR monthly report, 2026-03/);
  assert.match(html, /Device &lt;not&gt; registered/);
  assert.match(html, /Acme, &quot;Inc&quot;/);
});

test('accessible: headed sections, contents, titled charts, table captions and header cells', () => {
  for (const id of [
    'summary',
    'conditions',
    'combinations',
    'models',
    'imsis',
    'blacklisted',
    'definitions',
  ]) {
    assert.match(
      html,
      new RegExp(`<section id="${id}" aria-labelledby="${id}-h">\\n<h2 id="${id}-h">`),
    );
    assert.match(html, new RegExp(`<a href="#${id}">`));
  }
  const svgs = [...html.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
  for (const s of svgs)
    assert.match(s, /role="img"[^>]*aria-labelledby="chart-[a-z]+-title chart-[a-z]+-desc"/);
  assert.equal([...html.matchAll(/<caption>/g)].length, [...html.matchAll(/<table>/g)].length);
  assert.match(html, /<th scope="col"/);
  assert.match(html, /<th scope="row"/);
});

test('the page shows the figures', () => {
  for (const n of [
    '1,234,567',
    '1,100,000',
    '1,500,000',
    '1,200,000',
    '30,000',
    '4,567',
    '1,240,000',
    '29,500',
    '3,977',
    '501,000',
  ])
    assert.ok(html.includes(`>${n}<`), n);
  assert.match(html, /<th scope="row">Alpha &lt;Mobile&gt;<\/th><td class="num">1,234,567<\/td>/);
  assert.match(
    html,
    /<th scope="row">not_registered \+ stolen<\/th><td>blocking<\/td><td class="num">1,000<\/td><td class="num">0<\/td><td class="num">1,000<\/td>/,
  );
  // IMSI buckets: country row 5-9 = 3005; black-listed ages: beta, 3+ = 23, totals.
  assert.match(
    html,
    /<th scope="row">5-9<\/th><td class="num">1,005<\/td><td class="num">2,005<\/td><td class="num">3,005<\/td>/,
  );
  assert.match(
    html,
    /<th scope="row">3\+ months ago<\/th><td class="num">13<\/td><td class="num">23<\/td><td class="num">33<\/td>/,
  );
  assert.match(
    html,
    /<th scope="row">total<\/th><td class="num">46<\/td><td class="num">86<\/td><td class="num">126<\/td>/,
  );
  assert.match(html, /Generated<\/dt><dd>2026-04-01T03:00:00.000Z/);
  assert.ok(
    !html.includes('role="note"'),
    'no warning when data and classification cover the month',
  );
});

test('warns when the month has no data or no classification', () => {
  const bare = reportHtml({
    ...R,
    dataFirstDay: null,
    dataLastDay: null,
    classificationAsOf: null,
  });
  assert.match(bare, /No network data was imported for 2026-03/);
  assert.match(bare, /No classification ran on or before 2026-03-31/);
  assertBalanced(bare);
  const early = reportHtml({ ...R, classificationAsOf: '2026-03-20' });
  assert.match(early, /ran as of 2026-03-20/);
});
