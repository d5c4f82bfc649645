import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidYmd, parseDumpName, parseYmd, ymdToIso } from './dump-name.js';
import { HyperLogLog, hashNumber } from './hll.js';

test('parseDumpName: DIRBS names <operator>_<YYYYMMDD>_<YYYYMMDD>.csv[.gz|.zip]', () => {
  const jan = { operator: 'alpha', start: 20260101, end: 20260131 };
  assert.deepEqual(parseDumpName('alpha_20260101_20260131.csv'), jan);
  assert.deepEqual(parseDumpName('alpha_20260101_20260131.csv.gz'), jan);
  assert.deepEqual(parseDumpName('alpha_20260101_20260131.csv.zip'), jan);
  // Extensions are case-insensitive; the operator keeps its case.
  assert.deepEqual(parseDumpName('alpha_20260101_20260131.CSV'), jan);
  assert.deepEqual(parseDumpName('alpha_20260101_20260131.Csv.GZ'), jan);
  assert.deepEqual(parseDumpName('alpha_20260101_20260131.csv.ZIP'), jan);
  assert.deepEqual(parseDumpName('Operator1_20160701_20160731.csv'), {
    operator: 'Operator1',
    start: 20160701,
    end: 20160731,
  });
  // A one-day period; a period across a year end.
  assert.deepEqual(parseDumpName('beta_20260215_20260215.csv'), {
    operator: 'beta',
    start: 20260215,
    end: 20260215,
  });
  assert.deepEqual(parseDumpName('gamma_20251215_20260114.csv.gz'), {
    operator: 'gamma',
    start: 20251215,
    end: 20260114,
  });
});

test('parseDumpName: operator names holding underscores, hyphens and digits', () => {
  assert.deepEqual(parseDumpName('my_op_20260101_20260131.csv'), {
    operator: 'my_op',
    start: 20260101,
    end: 20260131,
  });
  assert.deepEqual(parseDumpName('a_b_c_20260101_20260102.csv.gz'), {
    operator: 'a_b_c',
    start: 20260101,
    end: 20260102,
  });
  assert.deepEqual(parseDumpName('op-2_20260101_20260131.csv')?.operator, 'op-2');
  assert.deepEqual(parseDumpName('20260101_20260101_20260131.csv')?.operator, '20260101');
});

test('parseDumpName: names that do not follow the convention', () => {
  for (const name of [
    'alpha.csv',
    'alpha_20260101.csv',
    '_20260101_20260131.csv', // no operator
    'alpha_20260101_20260131', // no extension
    'alpha_20260101_20260131.txt',
    'alpha_20260101_20260131.csv.bz2',
    'alpha_20260101_20260131.gz', // .gz without .csv
    'alpha_20260101_20260131.csv.gz.bak',
    'alpha_2026011_20260131.csv', // 7 digits
    'alpha_202601011_20260131.csv', // 9 digits
    'alpha_2026-01-01_2026-01-31.csv',
    'alpha_20260101-20260131.csv',
    ' alpha_20260101_20260131.csv.zip ',
  ])
    assert.equal(parseDumpName(name), undefined, name);
});

test('parseDumpName: invalid dates and an end before the start', () => {
  for (const name of [
    'alpha_20260132_20260201.csv', // day 32
    'alpha_20260100_20260131.csv', // day 0
    'alpha_20261301_20261331.csv', // month 13
    'alpha_20260001_20260131.csv', // month 0
    'alpha_20260229_20260301.csv', // 2026 is not a leap year
    'alpha_20260101_20260431.csv', // 31 April
    'alpha_19691201_19691231.csv', // before 1970
    'alpha_20260131_20260101.csv', // end < start
    'alpha_20260201_20260131.csv',
  ])
    assert.equal(parseDumpName(name), undefined, name);
  assert.deepEqual(parseDumpName('alpha_20240229_20240229.csv')?.start, 20240229, 'leap day');
});

test('parseYmd: YYYYMMDD and YYYY-MM-DD, real days only', () => {
  assert.equal(parseYmd('20260101'), 20260101);
  assert.equal(parseYmd('2026-01-31'), 20260131);
  assert.equal(parseYmd(' 20261231 '), 20261231);
  assert.equal(parseYmd('20240229'), 20240229);
  assert.equal(parseYmd('20000229'), 20000229, '2000 is a leap year');
  for (const s of [
    '',
    '2026',
    '2026011',
    '202601011',
    '20260230',
    '21000229', // 2100 is not a leap year
    '20260431',
    '20261301',
    '20260100',
    '2026/01/01',
    '2026-1-01',
    'abcdefgh',
    '19691231',
    '30000101',
  ])
    assert.equal(parseYmd(s), undefined, JSON.stringify(s));
});

test('parseYmd agrees with the calendar for every day 1970..2999 (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 376_000 }), (n) => {
      const d = new Date(Date.UTC(1970, 0, 1) + n * 86_400_000);
      const iso = d.toISOString().slice(0, 10);
      const ymd = Number(iso.replaceAll('-', ''));
      assert.equal(parseYmd(iso), ymd);
      assert.equal(parseYmd(iso.replaceAll('-', '')), ymd);
      assert.equal(ymdToIso(ymd), iso);
      assert.equal(isValidYmd(ymd), true);
    }),
    { numRuns: 500 },
  );
});

test('HyperLogLog: empty, small sets counted (almost) exactly, duplicates ignored', () => {
  assert.equal(new HyperLogLog().count(), 0);
  for (const n of [1, 2, 10, 50, 100]) {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) h.add(35209900000000 + i);
    for (let i = 0; i < n; i++) h.add(35209900000000 + i); // again: no change
    assert.ok(Math.abs(h.count() - n) <= Math.max(1, n * 0.02), `n=${n}: ${h.count()}`);
  }
});

test('HyperLogLog: large sets within 5% (IMEIs, 1<digits> IMSI keys, negative ids)', () => {
  const cases: [string, (i: number) => number][] = [
    ['sequential', (i) => i + 1],
    ['imei', (i) => 35209900000000 + i * 7919],
    ['imsi key', (i) => 1e15 + 1010000000000 + i],
    ['msisdn key', (i) => 1e11 + 99900000000 + i * 3],
    ['intern id', (i) => -(i + 1)],
  ];
  for (const [name, f] of cases)
    for (const n of [1000, 20_000, 200_000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.add(f(i));
      const c = h.count();
      assert.ok(Math.abs(c - n) / n < 0.05, `${name} n=${n}: counted ${c}`);
    }
});

test('HyperLogLog: half the distinct values counts about half', () => {
  const a = new HyperLogLog();
  const b = new HyperLogLog();
  for (let i = 0; i < 40_000; i++) {
    a.add(1e14 + i);
    if (i % 2 === 0) b.add(1e14 + i);
  }
  const r = b.count() / a.count();
  assert.ok(r > 0.45 && r < 0.55, `ratio ${r}`);
});

test('hashNumber: 32-bit unsigned, deterministic, spreads near keys', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const h = hashNumber(35209900000000 + i);
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
    assert.equal(hashNumber(35209900000000 + i), h);
    seen.add(h);
  }
  assert.ok(seen.size > 9_990, `collisions: ${10_000 - seen.size}`);
});
