/**
 * Quality gates on operator data (domain.md section 3): the pure gate functions, and the gates
 * as measured on real files by `importOperatorDump`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QualityGates } from '../../core/deployment.js';
import type { DailyCounts, GateResult } from '../../core/ports/store.js';
import { historyGates, rowGates } from './dump-gates.js';
import { DumpCounters } from './dump-parser.js';
import {
  alphaImsi,
  DEFAULT_GATES,
  dumpCsv,
  imei14,
  imported,
  importTacs,
  LAX_GATES,
  msisdn,
  rejected,
  withStore,
  type Row,
} from './test-fixtures.js';

function counters(c: Partial<DumpCounters>): DumpCounters {
  return Object.assign(new DumpCounters(), c);
}

function gate(gates: readonly GateResult[], name: string): GateResult {
  const g = gates.find((x) => x.gate === name);
  assert.ok(g, `gate ${name} in ${gates.map((x) => x.gate).join(',')}`);
  return g;
}

const RATIO_GATES: [keyof DumpCounters, string, keyof QualityGates][] = [
  ['nullImei', 'null_imei', 'null_imei_max'],
  ['nullImsi', 'null_imsi', 'null_imsi_max'],
  ['nullMsisdn', 'null_msisdn', 'null_msisdn_max'],
  ['nullRat', 'null_rat', 'null_rat_max'],
  ['uncleanImei', 'unclean_imei', 'unclean_imei_max'],
  ['imsiBadLength', 'imsi_length', 'imsi_length_max'],
  ['imsiOutsideCountry', 'imsi_outside_country', 'imsi_outside_country_max'],
  ['msisdnOutsideCountry', 'msisdn_outside_country', 'msisdn_outside_country_max'],
  ['imsiOutsideOperator', 'imsi_outside_operator', 'imsi_outside_operator_max'],
];

const ALL_GATES = [
  'null_imei',
  'null_imsi',
  'null_msisdn',
  'null_rat',
  'unclean_imei',
  'imsi_length',
  'imsi_outside_country',
  'msisdn_outside_country',
  'imsi_outside_operator',
  'leading_zero',
  'date_in_period',
  'history_imeis',
  'history_imsis',
  'history_msisdns',
];

// ---------------------------------------------------------------------------------------------
// Pure gate functions.

test('rowGates: default limits from domain.md section 3', () => {
  const limits = Object.fromEntries(RATIO_GATES.map(([, , k]) => [k, DEFAULT_GATES[k]]));
  assert.deepEqual(limits, {
    null_imei_max: 0.05,
    null_imsi_max: 0.05,
    null_msisdn_max: 0.05,
    null_rat_max: 0.05,
    unclean_imei_max: 0.05,
    imsi_length_max: 0.05,
    imsi_outside_country_max: 0.1,
    msisdn_outside_country_max: 0.1,
    imsi_outside_operator_max: 0.2,
  });
  assert.equal(DEFAULT_GATES.leading_zero_check, true);
  assert.equal(DEFAULT_GATES.date_in_period, true);
  assert.equal(DEFAULT_GATES.history_min_ratio, 0.9);
  assert.equal(DEFAULT_GATES.history_days, 30);
});

test('rowGates: each ratio gate passes at its limit and fails just over it', () => {
  for (const rows of [100, 1000, 140, 20]) {
    for (const [field, name, limitKey] of RATIO_GATES) {
      const limit = DEFAULT_GATES[limitKey] as number;
      const atLimit = Math.round(limit * rows);
      const pass = rowGates(counters({ rows, [field]: atLimit }), DEFAULT_GATES);
      assert.deepEqual(gate(pass, name), {
        gate: name,
        passed: true,
        value: atLimit / rows,
        limit,
        bound: 'max',
      });
      assert.ok(
        pass.every((g) => g.passed),
        `${name} ${atLimit}/${rows}`,
      );
      const fail = rowGates(counters({ rows, [field]: atLimit + 1 }), DEFAULT_GATES);
      assert.equal(gate(fail, name).passed, false, `${name} ${atLimit + 1}/${rows}`);
      assert.equal(gate(fail, name).value, (atLimit + 1) / rows);
      assert.deepEqual(
        fail.filter((g) => !g.passed).map((g) => g.gate),
        [name],
        'only that gate fails',
      );
    }
  }
});

test('rowGates: configured limits are used; the gate list and its order', () => {
  const g: QualityGates = { ...DEFAULT_GATES, null_imsi_max: 0.2, imsi_outside_operator_max: 0 };
  const r = rowGates(counters({ rows: 10, nullImsi: 2, imsiOutsideOperator: 1 }), g);
  assert.deepEqual(
    r.map((x) => x.gate),
    ALL_GATES.slice(0, 11),
  );
  assert.equal(gate(r, 'null_imsi').passed, true);
  assert.equal(gate(r, 'null_imsi').limit, 0.2);
  assert.equal(gate(r, 'imsi_outside_operator').passed, false);
  const off = rowGates(counters({ rows: 10 }), {
    ...DEFAULT_GATES,
    leading_zero_check: false,
    date_in_period: false,
  });
  assert.deepEqual(
    off.map((x) => x.gate),
    ALL_GATES.slice(0, 9),
  );
  // No rows: every ratio is 0.
  assert.ok(rowGates(counters({}), DEFAULT_GATES).every((x) => x.passed && x.value === 0));
});

test('rowGates: leading-zero loss', () => {
  const lz = (c: Partial<DumpCounters>) =>
    gate(rowGates(counters({ rows: 100, ...c }), DEFAULT_GATES), 'leading_zero');
  // More 1s than 0s and more than half of them match a TAC with a 0 prepended: fails.
  let g = lz({ imeiStarts0: 2, imeiStarts1: 10, imeiStarts1TacWith0: 6 });
  assert.equal(g.passed, false);
  assert.equal(g.value, 0.6);
  assert.equal(g.limit, 0.5);
  assert.match(g.detail ?? '', /2 IMEIs start with 0, 10 with 1, 6 of those match a TAC/);
  // Exactly half: passes (a figure equal to its limit passes).
  g = lz({ imeiStarts0: 2, imeiStarts1: 10, imeiStarts1TacWith0: 5 });
  assert.equal(g.passed, true);
  assert.equal(g.value, 0.5);
  // As many 0s as 1s: not suspicious, the figure is 0 whatever the matches.
  g = lz({ imeiStarts0: 10, imeiStarts1: 10, imeiStarts1TacWith0: 10 });
  assert.equal(g.passed, true);
  assert.equal(g.value, 0);
  g = lz({ imeiStarts0: 0, imeiStarts1: 1, imeiStarts1TacWith0: 1 });
  assert.equal(g.passed, false);
  assert.equal(g.value, 1);
});

test('rowGates: date in period', () => {
  let g = gate(rowGates(counters({ rows: 10 }), DEFAULT_GATES), 'date_in_period');
  assert.deepEqual(g, { gate: 'date_in_period', passed: true, value: 0, limit: 0, bound: 'max' });
  // The line of the first row outside the period comes as the third argument.
  g = gate(rowGates(counters({ rows: 10, outsidePeriod: 3 }), DEFAULT_GATES, 7), 'date_in_period');
  assert.equal(g.passed, false);
  assert.equal(g.value, 3);
  assert.match(g.detail ?? '', /line 7\b/);
});

function days(n: number, v: Partial<DailyCounts> = {}, from = 1): DailyCounts[] {
  return Array.from({ length: n }, (_, i) => ({
    day: `2026-01-${String(from + i).padStart(2, '0')}`,
    imeis: 100,
    imsis: 100,
    msisdns: 100,
    ...v,
  }));
}

test('historyGates: skipped while there are fewer days of history than history_days', () => {
  const r = historyGates(days(1, { imeis: 1 }), days(29), DEFAULT_GATES);
  assert.deepEqual(
    r.map((x) => x.gate),
    ['history_imeis', 'history_imsis', 'history_msisdns'],
  );
  for (const x of r) {
    assert.equal(x.passed, true);
    assert.equal(x.bound, 'min');
    assert.equal(x.limit, 0.9);
    assert.equal(x.skipped, '29 of 30 days of history');
  }
  const seven = historyGates(days(1, { imeis: 1 }), days(7), { ...DEFAULT_GATES, history_days: 7 });
  assert.equal(seven[0]!.skipped, undefined);
  assert.equal(seven[0]!.passed, false);
});

test('historyGates: file average over history average, at least history_min_ratio', () => {
  // History averages 100/day (mixed days), the file 90/day: exactly 0.9 passes.
  const history = [...days(15, { imeis: 80 }), ...days(15, { imeis: 120 }, 16)];
  let r = historyGates(
    [...days(1, { imeis: 85 }), ...days(1, { imeis: 95 }, 2)],
    history,
    DEFAULT_GATES,
  );
  assert.deepEqual(r[0], {
    gate: 'history_imeis',
    passed: true,
    value: 0.9,
    limit: 0.9,
    bound: 'min',
    detail: 'file 90/day vs history 100/day',
  });
  r = historyGates(days(2, { imeis: 89 }), history, DEFAULT_GATES);
  assert.equal(r[0]!.passed, false);
  assert.equal(r[0]!.value, 0.89);
  assert.equal(r[1]!.passed, true);
  assert.equal(r[2]!.passed, true);
  // Each count on its own.
  r = historyGates(days(3, { imsis: 50 }), days(30), DEFAULT_GATES);
  assert.deepEqual(
    r.map((x) => [x.gate, x.passed, x.value]),
    [
      ['history_imeis', true, 1],
      ['history_imsis', false, 0.5],
      ['history_msisdns', true, 1],
    ],
  );
  r = historyGates(days(3, { msisdns: 200 }), days(30), { ...DEFAULT_GATES, history_min_ratio: 2 });
  assert.deepEqual(
    r.map((x) => x.passed),
    [false, false, true],
  );
  // A file with no day at all measures 0.
  r = historyGates([], days(30), DEFAULT_GATES);
  assert.ok(r.every((x) => !x.passed && x.value === 0));
});

// ---------------------------------------------------------------------------------------------
// Gates measured on files.

/** The figure, bound and limit the error message states for a gate (`<gate> measured v (at most l)`). */
function measured(message: string, name: string) {
  const m = new RegExp(`\\b${name} measured ([0-9.]+) \\((at most|at least) ([0-9.]+)\\)`).exec(
    message,
  );
  assert.ok(m, `${name} in ${message}`);
  return { value: Number(m[1]), bound: m[2], limit: Number(m[3]) };
}

const JAN = 'alpha_20260101_20260131.csv';

/** 100 rows of alpha with `n` rows made bad by `bad`; the rest clean and distinct. */
function hundred(n: number, bad: (r: Row, i: number) => Row, total = 100): Row[] {
  return Array.from({ length: total }, (_, i) => {
    const r: Row = ['20260110', imei14(i), alphaImsi(i), msisdn(i), '006'];
    return i < n ? bad(r, i) : r;
  });
}

const MAKE_BAD: Record<string, (r: Row, i: number) => Row> = {
  null_imei: ([d, , s, m, t]) => [d, ' ', s, m, t],
  null_imsi: ([d, e, , m, t]) => [d, e, '', m, t],
  null_msisdn: ([d, e, s, , t]) => [d, e, s, '', t],
  null_rat: ([d, e, s, m]) => [d, e, s, m, ''],
  unclean_imei: ([d, , s, m, t], i) => [d, `35209900X${i}`, s, m, t],
  imsi_length: ([d, e, , m, t], i) => [d, e, `00101${String(i).padStart(8, '0')}`, m, t],
  imsi_outside_country: ([d, e, , m, t], i) => [d, e, `31015${String(i).padStart(10, '0')}`, m, t],
  msisdn_outside_country: ([d, e, s, , t], i) => [
    d,
    e,
    s,
    `4477009${String(i).padStart(5, '0')}`,
    t,
  ],
  imsi_outside_operator: ([d, e, , m, t], i) => [d, e, `00102${String(i).padStart(10, '0')}`, m, t],
};

test('each ratio gate on a file: at its limit imports, one row more rejects', async () => {
  await withStore(async (c) => {
    for (const [, name, limitKey] of RATIO_GATES) {
      const limit = DEFAULT_GATES[limitKey] as number;
      const n = Math.round(limit * 100);
      const okFile = dumpCsv(hundred(n, MAKE_BAD[name]!));
      const ok = imported(await c.importDump(JAN, okFile, { gates: DEFAULT_GATES }));
      assert.equal(gate(ok.record.gates, name).value, n / 100, name);
      assert.ok(
        ok.record.gates.every((g) => g.passed),
        name,
      );

      const before = await c.snapshot();
      const bad = rejected(
        await c.importDump(JAN, dumpCsv(hundred(n + 1, MAKE_BAD[name]!)), { gates: DEFAULT_GATES }),
      );
      assert.equal(bad.error.code, 'CEIR_ERR_GATE_FAILED', name);
      assert.equal(bad.error.rule, name);
      assert.equal(bad.rows, 100);
      assert.deepEqual(
        bad.gates.filter((g) => !g.passed).map((g) => g.gate),
        [name],
      );
      assert.equal(gate(bad.gates, name).value, (n + 1) / 100);
      assert.deepEqual(measured(bad.error.message, name), {
        value: (n + 1) / 100,
        bound: 'at most',
        limit,
      });
      assert.deepEqual(await c.snapshot(), before, `${name}: nothing changed`);

      // The same file with the gate's limit raised by an override imports.
      const over = imported(
        await c.importDump(JAN, dumpCsv(hundred(n + 1, MAKE_BAD[name]!)), {
          gates: { ...DEFAULT_GATES, [limitKey]: (n + 1) / 100 },
        }),
      );
      assert.equal(gate(over.record.gates, name).limit, (n + 1) / 100);
    }
  });
});

test('the parser measures every counter of the row gates', async () => {
  await withStore(async (c) => {
    // Disjoint groups of rows: 2 null IMEIs, 3 unclean, 4 null IMSIs, 5 bad-length IMSIs,
    // 6 foreign IMSIs, 7 IMSIs of another national operator, 8 null MSISDNs, 9 foreign
    // MSISDNs, 10 null RATs; the rest clean.
    const groups: [number, (r: Row, i: number) => Row][] = [
      [2, MAKE_BAD.null_imei!],
      [3, MAKE_BAD.unclean_imei!],
      [4, MAKE_BAD.null_imsi!],
      [5, ([d, e, , m, t], i) => [d, e, i % 2 ? '0010100000001' : '001010000001', m, t]],
      [6, MAKE_BAD.imsi_outside_country!],
      [7, MAKE_BAD.imsi_outside_operator!],
      [8, MAKE_BAD.null_msisdn!],
      [9, MAKE_BAD.msisdn_outside_country!],
      [10, MAKE_BAD.null_rat!],
    ];
    const rows = hundred(0, (r) => r);
    let at = 0;
    for (const [n, f] of groups) for (let j = 0; j < n; j++, at++) rows[at] = f(rows[at]!, at);
    // Clean variants that must not count: '+' MSISDNs, a 14-digit IMSI, IMEIs with a check
    // digit or SVN, padded fields.
    rows[90] = ['20260110', `${imei14(90)}5`, '00101123456789', `+${msisdn(90)}`, '001|006'];
    rows[91] = ['20260110', ` ${imei14(91)}12 `, ` ${alphaImsi(91)} `, ` ${msisdn(91)} `, ' 002'];
    const o = imported(
      await c.importDump(JAN, dumpCsv(rows), { gates: { ...LAX_GATES, leading_zero_check: true } }),
    );
    const values = Object.fromEntries(o.record.gates.map((g) => [g.gate, g.value]));
    assert.deepEqual(values, {
      null_imei: 0.02,
      unclean_imei: 0.03,
      null_imsi: 0.04,
      imsi_length: 0.05,
      imsi_outside_country: 0.06,
      imsi_outside_operator: 0.13,
      null_msisdn: 0.08,
      msisdn_outside_country: 0.09,
      null_rat: 0.1,
      leading_zero: 0,
      date_in_period: 0,
      history_imeis: 0,
      history_imsis: 0,
      history_msisdns: 0,
    });
    assert.equal(o.counts.skipped_null_imei, 2);
    assert.equal(o.counts.malformed_imei, 3);
    assert.equal(o.record.accepted, 98);
  });
});

test('leading-zero gate against the GSMA TAC database', async () => {
  await withStore(async (c) => {
    await importTacs(c, ['01234567', '01234568', '35209900']);
    assert.ok(await c.store.tac('01234567'));
    // 8 IMEIs start with 1, 1 with 0; `match` of the 1s are a known TAC once a 0 is prepended.
    const file = (match: number, zeros = 1, tag = 0) => {
      const rows: Row[] = [];
      for (let i = 0; i < 8; i++)
        rows.push([
          `2026010${1 + tag}`,
          i < match
            ? `1234567${String(i).padStart(7, '0')}`
            : `1999999${String(i).padStart(7, '0')}`,
          alphaImsi(i),
          msisdn(i),
          '006',
        ]);
      for (let i = 0; i < zeros; i++)
        rows.push([`2026010${1 + tag}`, `0123456800000${i}`, alphaImsi(50 + i), msisdn(50), '006']);
      return dumpCsv(rows);
    };
    const gates = DEFAULT_GATES;
    const before = await c.snapshot();
    const r = rejected(await c.importDump(JAN, file(6), { gates }));
    assert.equal(r.error.code, 'CEIR_ERR_GATE_FAILED');
    assert.equal(r.error.rule, 'leading_zero');
    const g = gate(r.gates, 'leading_zero');
    assert.equal(g.value, 6 / 8);
    assert.match(g.detail ?? '', /1 IMEIs start with 0, 8 with 1, 6 of those match a TAC/);
    assert.deepEqual(await c.snapshot(), before);
    // Exactly half match: passes.
    let ok = imported(await c.importDump(JAN, file(4, 1, 1), { gates }));
    assert.equal(gate(ok.record.gates, 'leading_zero').value, 0.5);
    // As many 0s as 1s: not suspicious.
    ok = imported(await c.importDump(JAN, file(8, 8, 2), { gates }));
    assert.equal(gate(ok.record.gates, 'leading_zero').value, 0);
    // The check switched off: no such gate, the suspicious file imports.
    ok = imported(
      await c.importDump(JAN, file(6), { gates: { ...gates, leading_zero_check: false } }),
    );
    assert.equal(
      ok.record.gates.find((x) => x.gate === 'leading_zero'),
      undefined,
    );
  });
});

test('a row dated outside the period rejects the file, naming its line', async () => {
  await withStore(async (c) => {
    const rows: Row[] = [
      ['20260101', imei14(1), alphaImsi(1), msisdn(1), '006'], // first day: inside
      ['20260131', imei14(2), alphaImsi(2), msisdn(2), '006'], // last day: inside
      ['20260115', imei14(3), alphaImsi(3), msisdn(3), '006'],
      ['20260201', imei14(4), alphaImsi(4), msisdn(4), '006'], // line 5
      ['20251231', imei14(5), alphaImsi(5), msisdn(5), '006'],
    ];
    const text = dumpCsv(rows);
    const r = rejected(await c.importDump(JAN, text, { gates: DEFAULT_GATES }));
    assert.equal(r.error.code, 'CEIR_ERR_GATE_FAILED');
    assert.equal(r.error.rule, 'date_in_period');
    const g = gate(r.gates, 'date_in_period');
    assert.equal(g.passed, false);
    assert.equal(g.value, 2);
    assert.match(g.detail ?? '', /line 5\b/);
    assert.match(r.error.message, /date_in_period measured 2 \(at most 0\); .*line 5/);
    assert.equal((await c.store.counts()).imports, 0);
    // A narrower period given as an option: the 1st and 31st are now outside, line 2 first.
    const narrow = rejected(
      await c.importDump(JAN, dumpCsv(rows.slice(0, 3)), {
        gates: DEFAULT_GATES,
        period: { start: 20260102, end: 20260130 },
      }),
    );
    assert.equal(gate(narrow.gates, 'date_in_period').value, 2);
    assert.match(gate(narrow.gates, 'date_in_period').detail ?? '', /line 2\b/);
    // Inside rows only: imports.
    imported(await c.importDump(JAN, dumpCsv(rows.slice(0, 3)), { gates: DEFAULT_GATES }));
    assert.equal((await c.store.counts()).triplets, 3);
  });
});

/** One day of `n` distinct devices for an operator's IMSI prefix. */
function day(ymd: string, n: number, prefix = '00101', offset = 0): Row[] {
  return Array.from({ length: n }, (_, i) => [
    ymd,
    imei14(offset + i),
    `${prefix}${String(offset + i).padStart(10, '0')}`,
    msisdn(offset + i),
    '006',
  ]);
}

function january(days: number, perDay: number, prefix = '00101', firstDay = 1): Row[] {
  const rows: Row[] = [];
  for (let d = firstDay; d < firstDay + days; d++)
    rows.push(...day(`202601${String(d).padStart(2, '0')}`, perDay, prefix, d * 7));
  return rows;
}

test('history gate: a file with half the usual daily volume is rejected', async () => {
  await withStore(async (c) => {
    const gates = DEFAULT_GATES;
    // 30 days of history (1..30 January), 40 devices a day, and before them a busy day
    // (31 December, 400 devices) that lies outside the 30-day window of a 31 January file.
    const h = imported(
      await c.importDump(
        'alpha_20251231_20260130.csv',
        dumpCsv([...day('20251231', 400, '00101', 10_000), ...january(30, 40)]),
        { gates },
      ),
    );
    assert.equal(h.counts.days, 31);
    assert.ok(gate(h.record.gates, 'history_imeis').skipped, 'no history yet');
    // The same volume on the 31st: passes, value about 1.
    const same = imported(
      await c.importDump('alpha_20260131_20260131.csv', dumpCsv(day('20260131', 40)), { gates }),
    );
    for (const name of ['history_imeis', 'history_imsis', 'history_msisdns']) {
      const g = gate(same.record.gates, name);
      assert.equal(g.skipped, undefined);
      assert.ok(g.passed && Math.abs(g.value - 1) < 0.05, `${name} ${g.value}`);
    }
    // Half the volume on the 31st: rejected by all three, first history_imeis.
    const before = await c.snapshot();
    const half = dumpCsv(day('20260131', 20, '00101', 500));
    const r = rejected(await c.importDump('alpha_20260131_20260131.csv', half, { gates }));
    assert.equal(r.error.code, 'CEIR_ERR_GATE_FAILED');
    assert.equal(r.error.rule, 'history_imeis');
    const m = measured(r.error.message, 'history_imeis');
    assert.equal(m.bound, 'at least');
    assert.equal(m.limit, 0.9);
    assert.ok(Math.abs(m.value - gate(r.gates, 'history_imeis').value) < 1e-4);
    assert.match(r.error.message, /history_imeis [^;]*; file 20\/day vs history 40\/day/);
    for (const name of ['history_imeis', 'history_imsis', 'history_msisdns']) {
      const g = gate(r.gates, name);
      assert.equal(g.passed, false, name);
      assert.equal(g.bound, 'min');
      assert.ok(Math.abs(g.value - 0.5) < 0.03, `${name} ${g.value}`);
    }
    // The rejected outcome lists every gate with its measured value.
    assert.deepEqual(
      r.gates.map((g) => g.gate),
      ALL_GATES,
    );
    assert.ok(r.gates.every((g) => typeof g.value === 'number' && Number.isFinite(g.value)));
    assert.deepEqual(
      r.gates.filter((g) => !g.passed).map((g) => g.gate),
      ['history_imeis', 'history_imsis', 'history_msisdns'],
    );
    assert.deepEqual(await c.snapshot(), before, 'nothing changed');
    // A lower ratio by override: imports.
    const over = imported(
      await c.importDump('alpha_20260131_20260131.csv', half, {
        gates: { ...gates, history_min_ratio: 0.4 },
      }),
    );
    assert.equal(gate(over.record.gates, 'history_imeis').limit, 0.4);
    // Another operator's history does not count: beta has 29 days (2..30), so it is skipped.
    imported(
      await c.importDump('beta_20260102_20260130.csv', dumpCsv(january(29, 40, '00102', 2)), {
        gates,
      }),
    );
    const beta = imported(
      await c.importDump('beta_20260131_20260131.csv', dumpCsv(day('20260131', 5, '00102')), {
        gates,
      }),
    );
    assert.equal(gate(beta.record.gates, 'history_imeis').skipped, '29 of 30 days of history');
  });
});
