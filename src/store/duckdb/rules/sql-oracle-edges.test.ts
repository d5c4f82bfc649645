/**
 * Hand-made edge cases of the SQL forms, each checked against the oracle AND against the
 * expected IMEIs: boundaries that random data reaches rarely (window ends, month lengths, RBI
 * delays met exactly, MSISDNs equal as numbers, malformed IMEIs with a known TAC prefix).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { DimensionSpec } from '../../../core/rules/condition.js';
import { evaluateDimension as oracleDimension } from '../../../core/rules/dimensions/index.js';
import { lit } from '../duckdb-database.js';
import { evaluateDimension } from './evaluate-dimension.js';
import { compileCondition, compileDimension, seenSql } from './compile-dimension.js';
import {
  assertSameImeis,
  commitTriplets,
  openTempStore,
  type RawTriplet,
  type TempStore,
} from './test-support.js';

const DEPLOYMENT: DeploymentProfile = {
  country: { name: 'Demoland', mcc: ['001'], msisdn_country_codes: ['999'] },
  operators: [{ id: 'alpha', name: 'Alpha', mcc_mnc: ['00101'] }],
};

const day = (d: number) => 1 << (d - 1);
const T = (
  over: Partial<RawTriplet> & Pick<RawTriplet, 'imei' | 'month' | 'dayMask'>,
): RawTriplet => ({
  operator: 'alpha',
  imsi: '001010000000001',
  msisdn: null,
  ratMask: 1 << 5,
  ...over,
});

const TRIPLETS: RawTriplet[] = [
  // Seen on 2024-02-29 (leap day) only; bit 30 (day 31) is past February's end: ignored.
  T({ imei: '35209900000001', month: '2024-02-01', dayMask: day(29) | day(31) }),
  // Only a bit past February's end (2023 has no Feb 29): never seen.
  T({ imei: '35209900000002', month: '2023-02-01', dayMask: day(29) }),
  // Unknown TAC 12345678, RBI 12, first seen 2024-03-10.
  T({ imei: '12345678000001', month: '2024-03-01', dayMask: day(10) | day(20) }),
  // Malformed, with a known TAC prefix (35209900) and with a test-TAC prefix.
  T({ imei: '35209900AB', month: '2024-03-01', dayMask: day(1) }),
  T({ imei: '0044ZZ', month: '2024-03-01', dayMask: day(1) }),
  // Transient: MSISDNs 99960 and 099960 are one number (no common difference) ...
  T({ imei: '86000000000001', month: '2024-03-01', dayMask: day(1), msisdn: '99960' }),
  T({ imei: '86000000000001', month: '2024-03-01', dayMask: day(2), msisdn: '099960' }),
  // ... while a 16-digit MSISDN (stored as a text) is still a number in a progression.
  T({ imei: '86000000000002', month: '2024-03-01', dayMask: day(1), msisdn: '1234567890123456' }),
  T({ imei: '86000000000002', month: '2024-03-01', dayMask: day(2), msisdn: '1234567890123457' }),
  // Two IMSIs on one day (concurrent), then one IMSI on two operators the same day (not).
  T({ imei: '86000000000003', month: '2024-03-01', dayMask: day(5) }),
  T({ imei: '86000000000003', month: '2024-03-01', dayMask: day(5), imsi: '001010000000002' }),
  T({ imei: '86000000000004', month: '2024-03-01', dayMask: day(5), operator: 'beta' }),
  T({ imei: '86000000000004', month: '2024-03-01', dayMask: day(5) }),
];

const spec = (s: unknown) => s as DimensionSpec;

let ts: TempStore;
before(async () => {
  ts = await openTempStore('ceir-rules-edges-');
  await commitTriplets(ts, TRIPLETS);
  const tac = (key: string, caps: number, deviceType: string) =>
    `('gsma_tac', ${lit(key)}, NULL, ${lit(key)}, NULL, NULL, NULL, ${caps}, ` +
    `${lit(JSON.stringify({ device_type: deviceType }))}, TIMESTAMP '2024-01-01', NULL, 't')`;
  await ts.store.db.run(
    `INSERT INTO list_entries VALUES ${tac('35209900', 7, 'Modem')}, ${tac('86000000', 7, 'Smartphone')}`,
  );
});
after(async () => {
  await ts?.cleanup();
});

async function check(s: DimensionSpec, asOf: string, expected: string[]): Promise<void> {
  const data = await ts.store.loadClassificationData(asOf, DEPLOYMENT);
  const sql = await evaluateDimension(ts.store.db, s, asOf, DEPLOYMENT);
  assertSameImeis(`${s.module} as of ${asOf}`, sql, oracleDimension(s, data, asOf));
  assert.deepEqual(sql, [...expected].sort(), `${s.module} as of ${asOf}`);
}

const dup1 = (period: unknown) =>
  spec({
    module: 'duplicate_threshold',
    invert: false,
    parameters: { threshold: 1, period, useMsisdn: false },
  });

test('windows: leap day, bits past the month end, inclusive ends, month clamping', async () => {
  await check(dup1({ kind: 'days', days: 1 }), '2024-02-29', ['35209900000001']);
  await check(dup1({ kind: 'days', days: 1 }), '2024-02-28', []);
  // 2024-03-30 minus one month starts on 2024-02-29 (clamped): the leap-day sighting is in.
  await check(dup1({ kind: 'months', months: 1 }), '2024-03-30', [
    '0044ZZ',
    '12345678000001',
    '35209900000001',
    '35209900AB',
    '86000000000001',
    '86000000000002',
    '86000000000003',
    '86000000000004',
  ]);
  // 2024-03-31 minus one month: 2024-03-01 ..= 2024-03-31, the leap day is out.
  const march = await evaluateDimension(
    ts.store.db,
    dup1({ kind: 'months', months: 1 }),
    '2024-03-31',
    DEPLOYMENT,
  );
  assert.ok(!march.includes('35209900000001'));
  // The 2023 triplet's only bit is past February's end: that IMEI is never SEEN.
  const seen = await ts.store.db.all(seenSql('2030-01-01'));
  assert.ok(!seen.some((r) => Number(r.imei) === 35209900000002));
});

test('gsma_not_found: the delay met exactly, malformed IMEIs by their first 8 characters', async () => {
  const s = spec({
    module: 'gsma_not_found',
    invert: false,
    parameters: { ignoreRbiDelays: false, rbiDelays: { '12': 5 } },
  });
  // First seen 2024-03-10, delay 5: matches from 2024-03-15 on; 0044ZZ (no delay) from 03-01.
  await check(s, '2024-03-14', ['0044ZZ']);
  await check(s, '2024-03-15', ['0044ZZ', '12345678000001']);
});

test('not_on_registration_list: a malformed IMEI with an exempt TAC prefix is exempt (as the oracle)', async () => {
  const s = spec({
    module: 'not_on_registration_list',
    invert: false,
    parameters: { exemptedDeviceTypes: ['Modem'] },
  });
  const sql = await evaluateDimension(ts.store.db, s, '2024-03-31', DEPLOYMENT);
  assert.ok(!sql.includes('35209900AB') && sql.includes('0044ZZ'));
  await check(s, '2024-03-31', sql);
});

test('transient_imei: numbers equal as values break the progression; long digit texts do not', async () => {
  const s = spec({
    module: 'transient_imei',
    invert: false,
    parameters: { periodDays: 2, numMsisdns: 1 },
  });
  await check(s, '2024-03-02', ['86000000000002']);
});

test('concurrent_use: two IMSIs the same day; one IMSI on two operators is not concurrent', async () => {
  const s = spec({
    module: 'concurrent_use',
    invert: false,
    parameters: { threshold: 2, minDays: 1, periodDays: 1, acrossOperators: false },
  });
  await check(s, '2024-03-05', ['86000000000003']);
  await check(s, '2024-03-06', []);
});

test('test TACs and malformed IMEIs by their text', async () => {
  await check(spec({ module: 'is_test_tac', invert: false, parameters: {} }), '2024-03-31', [
    '0044ZZ',
  ]);
  await check(spec({ module: 'malformed_imei', invert: false, parameters: {} }), '2024-03-31', [
    '0044ZZ',
    '35209900AB',
  ]);
  await check(spec({ module: 'malformed_imei', invert: false, parameters: {} }), '2024-02-29', []);
});

test('the compiled forms are single queries with one column imei', async () => {
  const s = spec({ module: 'stolen_list', invert: true, parameters: {} });
  const c = {
    label: 'x',
    reason: 'r',
    blocking: false,
    graceDays: 0,
    sticky: false,
    maxMatchingRatio: 1,
    amnestyEligible: false,
    dimensions: [s],
  };
  for (const sql of [
    compileDimension(s, '2024-03-31', DEPLOYMENT),
    compileCondition(c, '2024-03-31', DEPLOYMENT),
  ]) {
    const cols = await ts.store.db.all(`DESCRIBE ${sql}`);
    assert.deepEqual(
      cols.map((r) => [r.column_name, r.column_type]),
      [['imei', 'BIGINT']],
    );
  }
  assert.throws(() => compileDimension(s, '2024-02-30', DEPLOYMENT), RangeError);
});
