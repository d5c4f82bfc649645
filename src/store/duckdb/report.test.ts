import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentProfile } from '../../core/deployment.js';
import type { MonthReport } from '../../core/ports/report-store.js';
import { monthBounds, monthReport } from './report.js';
import {
  commitTriplets,
  openTempStore,
  type RawTriplet,
  type TempStore,
} from './rules/test-support.js';

/**
 * A hand-made March 2026 on alpha and beta (gamma configured, silent). IMEIs:
 * A stolen since January, on both operators with the same triplet;
 * B three IMSIs, duplicate blocked 11 March, seen 10-12 March, also not registered;
 * C informative (not registered), its stolen and barred rows closed before/at month end;
 * D unknown TAC, no IMSI, a test TAC condition opened on 31 March, a duplicate opened in April;
 * X malformed, pending block in April; E stolen 10 March but seen only on 1 March;
 * G stolen 2025 but golden; H blocked since December 2025; K compliant; F February only.
 */
const IMEI = {
  A: '35000001000001',
  B: '35000001000002',
  C: '35000002000003',
  D: '99000000000004',
  X: 'ABC123',
  E: '35000002000005',
  F: '35000002000006',
  G: '35000002000007',
  H: '35000001000008',
  K: '35000002000009',
};
const imsi = (i: number) => `00101000000${String(i).padStart(4, '0')}`;
const msisdn = (i: number) => `9990000${String(i).padStart(4, '0')}`;
const day = (d: number) => 1 << (d - 1);
const t = (
  operator: string,
  imei: string,
  i: number | null,
  m: number,
  d: number,
  month = '2026-03-01',
): RawTriplet => ({
  operator,
  month,
  imei,
  imsi: i === null ? null : imsi(i),
  msisdn: msisdn(m),
  dayMask: day(d),
  ratMask: 1,
});

const deployment: DeploymentProfile = {
  country: { name: 'Testland', mcc: ['001'], msisdn_country_codes: ['999'] },
  operators: [
    { id: 'alpha', name: 'Alpha Mobile', mcc_mnc: ['00101'] },
    { id: 'beta', name: 'Beta Telecom', mcc_mnc: ['00102'] },
    { id: 'gamma', name: 'Gamma Wireless', mcc_mnc: ['00103'] },
  ],
};

let ts: TempStore;
let report: MonthReport;

before(async () => {
  ts = await openTempStore('ceir-report-');
  await commitTriplets(ts, [
    t('alpha', IMEI.A, 1, 1, 1),
    t('beta', IMEI.A, 1, 1, 2),
    t('alpha', IMEI.B, 2, 2, 10),
    t('alpha', IMEI.B, 3, 3, 11),
    t('alpha', IMEI.B, 4, 4, 12),
    t('beta', IMEI.C, 5, 5, 20),
    t('alpha', IMEI.C, 6, 6, 5),
    t('beta', IMEI.D, null, 7, 15),
    t('alpha', IMEI.X, 8, 8, 3),
    t('beta', IMEI.E, 9, 9, 1),
    t('alpha', IMEI.G, 10, 10, 4),
    t('beta', IMEI.H, 11, 11, 6),
    t('alpha', IMEI.K, 12, 12, 7),
    t('alpha', IMEI.F, 13, 13, 7, '2026-02-01'),
  ]);
  const db = ts.store.db;
  const x = Number((await db.one('SELECT id FROM id_texts WHERE value = ?', [IMEI.X]))!.id);
  const key = (k: keyof typeof IMEI) => (k === 'X' ? x : Number(IMEI[k]));
  const set = await ts.store.saveConditionSet(
    [
      { label: 'stolen', reason: 'Reported stolen', blocking: true },
      { label: 'duplicate', reason: 'Duplicated IMEI', blocking: true },
      { label: 'malformed', reason: 'Invalid IMEI', blocking: true },
      { label: 'barred', reason: 'Barred', blocking: true },
      { label: 'not_registered', reason: 'Device not registered', blocking: false },
      { label: 'test_tac', reason: 'Test IMEI', blocking: false },
    ],
    deployment.operators,
    'test',
  );
  await db.run(
    `INSERT INTO classification_runs VALUES (1, DATE '2026-03-31', ${set.version}, now(), now(), '[]')`,
  );
  const state: [keyof typeof IMEI, string, string, string | null, string | null][] = [
    ['A', 'stolen', '2026-01-10', null, '2026-01-10'],
    ['B', 'duplicate', '2026-03-05', null, '2026-03-11'],
    ['B', 'not_registered', '2026-02-01', null, null],
    ['C', 'not_registered', '2026-02-01', null, null],
    ['C', 'stolen', '2026-02-01', '2026-03-15', '2026-02-01'],
    ['C', 'barred', '2026-03-01', '2026-03-31', '2026-03-01'],
    ['D', 'test_tac', '2026-03-31', null, null],
    ['D', 'duplicate', '2026-04-02', null, '2026-05-02'],
    ['X', 'malformed', '2026-03-20', null, '2026-04-19'],
    ['E', 'stolen', '2026-03-10', null, '2026-03-10'],
    ['G', 'stolen', '2025-11-01', null, '2025-11-01'],
    ['H', 'duplicate', '2025-10-01', null, '2025-12-01'],
    ['F', 'stolen', '2026-02-01', null, '2026-02-01'],
  ];
  for (const [k, c, start, end, block] of state)
    await db.run(
      'INSERT INTO classification_state VALUES (?, ?, ?::DATE, ?::DATE, ?::DATE, false, 1, NULL)',
      [key(k), c, start, end, block],
    );
  const tac = (k: string, attrs: Record<string, string>) =>
    db.run(
      `INSERT INTO list_entries VALUES ('gsma_tac', ?, NULL, ?, NULL, NULL, NULL, 4, ?, TIMESTAMP '2026-01-01', NULL, 'tac')`,
      [k, k, JSON.stringify(attrs)],
    );
  await tac('35000001', {
    brand_name: 'Acme',
    model_name: '<script>alert(1)</script>',
    manufacturer: 'Acme, "Inc"',
  });
  await tac('35000002', { brand_name: 'Zed', model_name: 'Z1', manufacturer: 'Zed Ltd' });
  const golden = (imei: string, from: string, to: string | null) =>
    db.run(
      `INSERT INTO list_entries VALUES ('golden', ?, ?, ?, NULL, NULL, NULL, NULL, '{}', ?::TIMESTAMP, ?::TIMESTAMP, 'g')`,
      [imei, imei, imei.slice(0, 8), from, to],
    );
  await golden(IMEI.G, '2026-01-01', null);
  await golden(IMEI.A, '2026-01-01', '2026-02-01'); // golden no more by March
  report = await monthReport(db, '2026-03', deployment);
});

after(() => ts.cleanup());

const pick = <T extends { scope: string }>(
  rows: readonly T[],
  scope: string,
  f: (r: T) => [string, number],
) =>
  Object.fromEntries(
    rows
      .filter((r) => r.scope === scope)
      .map(f)
      .filter(([, n]) => n > 0),
  );

test('monthBounds: first and last day, leap Februaries', () => {
  assert.deepEqual(monthBounds('2026-03'), { start: '2026-03-01', end: '2026-03-31' });
  assert.deepEqual(monthBounds('2024-02'), { start: '2024-02-01', end: '2024-02-29' });
  assert.deepEqual(monthBounds('2025-12'), { start: '2025-12-01', end: '2025-12-31' });
  assert.throws(() => monthBounds('2026-13'), RangeError);
});

test('header: period, data days, classification, operators in configured order', () => {
  assert.equal(report.periodStart, '2026-03-01');
  assert.equal(report.periodEnd, '2026-03-31');
  assert.equal(report.dataFirstDay, '2026-03-01');
  assert.equal(report.dataLastDay, '2026-03-20');
  assert.equal(report.classificationAsOf, '2026-03-31');
  assert.equal(report.country, 'Testland');
  assert.deepEqual(
    report.operators.map((o) => o.id),
    ['alpha', 'beta', 'gamma'],
  );
  assert.deepEqual(
    report.conditions.map((c) => `${c.label}:${c.blocking}`),
    [
      'barred:true',
      'duplicate:true',
      'malformed:true',
      'stolen:true',
      'not_registered:false',
      'test_tac:false',
    ],
  );
});

test('figures per operator and for the country, distinct nationally', () => {
  const f = Object.fromEntries(report.figures.map((x) => [x.scope, x]));
  assert.deepEqual(
    report.figures.map((x) => x.scope),
    ['alpha', 'beta', 'gamma', '*'],
  );
  assert.deepEqual(f.alpha, {
    scope: 'alpha',
    imeis: 6,
    imsis: 8,
    msisdns: 8,
    triplets: 8,
    compliant: 1,
    blocking: 4,
    informative: 1,
    malformedImeis: 1,
    unknownTacImeis: 0,
  });
  assert.deepEqual(f.beta, {
    scope: 'beta',
    imeis: 5,
    imsis: 4,
    msisdns: 5,
    triplets: 5,
    compliant: 0,
    blocking: 3,
    informative: 2,
    malformedImeis: 0,
    unknownTacImeis: 1,
  });
  assert.deepEqual(f.gamma, {
    scope: 'gamma',
    imeis: 0,
    imsis: 0,
    msisdns: 0,
    triplets: 0,
    compliant: 0,
    blocking: 0,
    informative: 0,
    malformedImeis: 0,
    unknownTacImeis: 0,
  });
  assert.deepEqual(f['*'], {
    scope: '*',
    imeis: 9,
    imsis: 11,
    msisdns: 12,
    triplets: 12,
    compliant: 1,
    blocking: 6,
    informative: 2,
    malformedImeis: 1,
    unknownTacImeis: 1,
  });
});

test('conditions open at the month end, and their combinations', () => {
  const cond = (s: string) => pick(report.byCondition, s, (c) => [c.condition, c.imeis]);
  assert.deepEqual(cond('alpha'), { stolen: 2, duplicate: 1, malformed: 1, not_registered: 2 });
  assert.deepEqual(cond('beta'), { stolen: 2, duplicate: 1, not_registered: 1, test_tac: 1 });
  assert.deepEqual(cond('*'), {
    stolen: 3,
    duplicate: 2,
    malformed: 1,
    not_registered: 2,
    test_tac: 1,
  });
  assert.equal(report.byCondition.length, 4 * 6, 'dense: every condition for every scope');
  const combo = (s: string) =>
    pick(report.byCombination, s, (c) => [`${c.conditions.join('+')}:${c.blocking}`, c.imeis]);
  assert.deepEqual(combo('*'), {
    'stolen:true': 3,
    'duplicate+not_registered:true': 1,
    'not_registered:false': 1,
    'test_tac:false': 1,
    'malformed:true': 1,
    'duplicate:true': 1,
  });
  assert.deepEqual(combo('alpha'), {
    'stolen:true': 2,
    'duplicate+not_registered:true': 1,
    'not_registered:false': 1,
    'malformed:true': 1,
  });
  assert.deepEqual(combo('beta'), {
    'stolen:true': 2,
    'not_registered:false': 1,
    'test_tac:false': 1,
    'duplicate:true': 1,
  });
  assert.equal(report.byCombination.filter((c) => c.scope === '*')[0]!.imeis, 3, 'largest first');
});

test('top models by seen IMEIs, ties by name; unknown TACs apart', () => {
  const top = (s: string) =>
    report.topModels
      .filter((m) => m.scope === s)
      .map((m) => `${m.rank}:${m.brand}/${m.model}/${m.manufacturer}:${m.imeis}`);
  const acme = 'Acme/<script>alert(1)</script>/Acme, "Inc"';
  assert.deepEqual(top('alpha'), ['1:Zed/Z1/Zed Ltd:3', `2:${acme}:2`]);
  assert.deepEqual(top('beta'), [`1:${acme}:2`, '2:Zed/Z1/Zed Ltd:2']);
  assert.deepEqual(top('*'), ['1:Zed/Z1/Zed Ltd:4', `2:${acme}:3`]);
  assert.deepEqual(top('gamma'), []);
});

test('IMEI-to-IMSI distribution per scope', () => {
  const d = (s: string) => pick(report.imsiDistribution, s, (b) => [b.bucket, b.imeis]);
  assert.deepEqual(d('alpha'), { '1': 5, '3': 1 });
  assert.deepEqual(d('beta'), { '0': 1, '1': 4 });
  assert.deepEqual(d('*'), { '0': 1, '1': 6, '2': 1, '3': 1 });
  assert.equal(report.imsiDistribution.length, 4 * 7, 'dense: every bucket for every scope');
});

test('black-listed IMEIs seen on or after their block date, by age; golden aside', () => {
  const b = (s: string) => pick(report.blackListedSeen, s, (x) => [x.age, x.imeis]);
  assert.deepEqual(b('alpha'), { '0': 1, '2': 1 });
  assert.deepEqual(b('beta'), { '2': 1, '3+': 1 });
  assert.deepEqual(b('*'), { '0': 1, '2': 1, '3+': 1 });
  assert.deepEqual(b('gamma'), {});
});

test('another month, a smaller top, a month without data', async () => {
  const feb = await monthReport(ts.store.db, '2026-02', deployment, { topModels: 1 });
  const c = feb.figures.find((f) => f.scope === '*')!;
  assert.equal(c.imeis, 1);
  assert.equal(c.blocking, 1);
  assert.equal(feb.classificationAsOf, null);
  assert.deepEqual(
    feb.blackListedSeen.filter((x) => x.imeis > 0).map((x) => `${x.scope}:${x.age}`),
    ['alpha:0', '*:0'],
  );
  const mar = await monthReport(ts.store.db, '2026-03', deployment, { topModels: 1 });
  assert.equal(mar.topModels.filter((m) => m.scope === '*').length, 1);
  const empty = await monthReport(ts.store.db, '2025-01', deployment);
  assert.equal(empty.dataFirstDay, null);
  assert.ok(empty.figures.every((f) => f.imeis === 0 && f.triplets === 0));
  // No temp table is left behind.
  const temps = await ts.store.db.all(
    "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'rpt_%'",
  );
  assert.deepEqual(temps, []);
});
