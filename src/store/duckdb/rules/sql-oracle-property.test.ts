/**
 * THE EQUIVALENCE TEST on random small stores (fast-check): random triplets (masks with bits past
 * the month's end, February of leap and common years, a year change, null and text IMSIs and
 * MSISDNs, malformed IMEIs, several operators) written through `commitOperatorDump`, random
 * current and closed list rows, random parameters and dates: for every dimension, inverted and
 * in conditions, the compiled SQL returns what the pure evaluator returns.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { DeploymentProfile } from '../../../core/deployment.js';
import {
  DEFAULT_RBI_DELAYS,
  type Condition,
  type DimensionSpec,
} from '../../../core/rules/condition.js';
import { addDays } from '../../../core/rules/dates.js';
import type { Period } from '../../../core/rules/dates.js';
import { evaluateDimension as oracleDimension } from '../../../core/rules/dimensions/index.js';
import { evaluateCondition as oracleCondition } from '../../../core/rules/evaluate-condition.js';
import { lit } from '../duckdb-database.js';
import { FOREIGN_TRUSTS } from '../../../core/rules/condition.js';
import { evaluateConditionImeis, evaluateDimension } from './evaluate-dimension.js';
import {
  assertSameImeis,
  commitTriplets,
  openTempStore,
  type RawTriplet,
  type TempStore,
} from './test-support.js';

const DEPLOYMENT: DeploymentProfile = {
  country: { name: 'Demoland', mcc: ['001'], msisdn_country_codes: ['999'] },
  operators: [
    { id: 'alpha', name: 'Alpha', mcc_mnc: ['00101'] },
    { id: 'beta', name: 'Beta', mcc_mnc: ['00102', '00103'] },
  ],
};

const IMEIS = [
  '35209900000001',
  '35209900000002',
  '86000000000001',
  '00440000000001',
  '00101500000001',
  '01234567000001',
  '99000000000001',
  '35000000000001',
  '12AB',
  '35209900ABC',
  '0044XY',
  'X',
];
const IMSIS = [
  '001010000000001',
  '001020000000002',
  '001030000000003',
  '001990000000004',
  '208010000000005',
  '00101',
  '0010400000000070000', // 19 digits: stored as a text
  '00101ABC',
  'Z208',
];
const MSISDNS = [
  '99910',
  '99920',
  '99930',
  '99940',
  '99955',
  '99960',
  '099960', // the same number as 99960: no common difference
  '1234567890123456', // 16 digits: stored as a text, still a number to the progression test
  'ABC',
];
const MONTHS = ['2023-02-01', '2023-12-01', '2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];
const TACS = ['35209900', '86000000', '00440000', '01234567', '99000000', '35000000'];
const DEVICE_TYPES = ['Smartphone', 'Modem', 'Tablet', ''];
const STATUSES = [
  null,
  '',
  'blacklist',
  'BlackList ',
  'whitelist',
  ' WHITELIST',
  'recovered',
  'pending',
];

interface ListRow {
  readonly list: string;
  readonly key: string;
  readonly imeiNorm: string | null;
  readonly status: string | null;
  readonly caps: number | null;
  readonly attrs: Record<string, string>;
  readonly current: boolean;
}

/** A day bit, often at a month's start or end (where windows and month lengths cut). */
const bit = fc
  .oneof(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 26, max: 30 }),
    fc.integer({ min: 0, max: 30 }),
  )
  .map((b) => 1 << b);

/** Most triplets on two IMEIs and two months, so that per-day counts reach their thresholds. */
const triplet: fc.Arbitrary<RawTriplet> = fc.record({
  operator: fc.constantFrom('alpha', 'beta', 'gamma'),
  month: fc.oneof(fc.constantFrom('2024-01-01', '2024-02-01'), fc.constantFrom(...MONTHS)),
  imei: fc.oneof(fc.constantFrom(...IMEIS.slice(0, 2)), fc.constantFrom(...IMEIS)),
  imsi: fc.option(fc.constantFrom(...IMSIS), { freq: 6 }),
  msisdn: fc.option(fc.constantFrom(...MSISDNS), { freq: 3 }),
  // Dense masks, sparse ones, and ones with bits past the end of short months.
  dayMask: fc.oneof(
    fc.integer({ min: 0, max: 0x7fffffff }),
    bit,
    fc.tuple(bit, bit, bit).map(([a, b, c]) => a | b | c),
    fc.constantFrom(0x10000000, 0x60000000, 0x40000000, 0x7fffffff),
  ),
  ratMask: fc.integer({ min: 0, max: 0x7fff }),
});

const imeiListRow = (list: string) =>
  fc
    .record({
      list: fc.constant(list),
      imei: fc.constantFrom(...IMEIS.filter((i) => /^[0-9]{14}$/.test(i))),
      status: fc.constantFrom(...STATUSES),
      deviceType: fc.constantFrom(...DEVICE_TYPES),
      current: fc.constantFrom(true, true, true, false),
    })
    .map((r): ListRow => ({
      list: r.list,
      key: r.imei,
      imeiNorm: r.imei,
      status: r.status,
      caps: null,
      attrs: { device_type: r.deviceType },
      current: r.current,
    }));

const tacRow = (list: 'gsma_tac' | 'barred_tac') =>
  fc
    .record({
      tac: fc.constantFrom(...TACS),
      caps: fc.option(fc.integer({ min: 0, max: 15 }), { freq: 6 }),
      deviceType: fc.option(fc.constantFrom(...DEVICE_TYPES), { freq: 4 }),
      current: fc.constantFrom(true, true, true, false),
    })
    .map((r): ListRow => ({
      list,
      key: r.tac,
      imeiNorm: null,
      status: null,
      caps: list === 'gsma_tac' ? r.caps : null,
      attrs:
        r.deviceType === null ? {} : { device_type: r.deviceType, allocation_date: '01-Feb-2024' },
      current: r.current,
    }));

/** Current rows keep one row per (list, key), as the store does; closed rows are free. */
function lists(rows: readonly ListRow[]): ListRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    if (!r.current) return true;
    const k = `${r.list}:${r.key}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const listRows = fc
  .tuple(
    fc.array(imeiListRow('stolen'), { maxLength: 6 }),
    fc.array(imeiListRow('registration'), { maxLength: 6 }),
    fc.array(imeiListRow('barred'), { maxLength: 3 }),
    fc.array(imeiListRow('monitoring'), { maxLength: 3 }),
    fc.array(tacRow('gsma_tac'), { maxLength: 8, size: 'max' }),
    fc.array(tacRow('barred_tac'), { maxLength: 3 }),
  )
  .map((xs) => lists(xs.flat()));

/** Real-time clone flags: clean IMEIs, at a day's first or last second or in between. */
const cloneFlags = fc.array(
  fc.record({
    imei: fc.constantFrom(...IMEIS.filter((i) => /^[0-9]{14}$/.test(i)).slice(0, 5)),
    day: fc.oneof(
      fc.integer({ min: 0, max: 170 }).map((d) => addDays('2023-11-25', d)),
      fc.integer({ min: 0, max: 65 }).map((d) => addDays('2024-01-01', d)),
    ),
    time: fc.constantFrom('00:00:00', '12:34:56', '23:59:59.999'),
  }),
  { maxLength: 6 },
);

/** Records received from peers: clean IMEIs, from peers trusted block (pa), greylist (pb), inform (pc). */
const foreignRecords = fc.array(
  fc.record({
    imei: fc.constantFrom(...IMEIS.filter((i) => /^[0-9]{14}$/.test(i)).slice(0, 5)),
    peer: fc.constantFrom('pa', 'pb', 'pc'),
    active: fc.boolean(),
  }),
  { maxLength: 6 },
);

async function insertForeign(records: readonly { imei: string; peer: string; active: boolean }[]) {
  const db = ts.store.db;
  await db.run('DELETE FROM exchange_foreign');
  await db.run('DELETE FROM exchange_peers');
  await db.run(`INSERT INTO exchange_peers VALUES ('pa', 'PA', 'block', 0, NULL, NULL),
    ('pb', 'PB', 'greylist', 0, NULL, NULL), ('pc', 'PC', 'inform', 0, NULL, NULL)`);
  for (const [i, r] of records.entries())
    await db.run(`INSERT INTO exchange_foreign VALUES ('${r.peer}-stolen-${i}', ${Number(r.imei)},
      'stolen', NULL, '${r.active ? 'active' : 'removed'}', upper('${r.peer}'), ${i + 1}, '${r.peer}',
      'k', 'h', TIMESTAMP '2024-01-01 00:00:00')`);
}

const period: fc.Arbitrary<Period> = fc.oneof(
  fc.integer({ min: 1, max: 70 }).map((days) => ({ kind: 'days' as const, days })),
  fc.integer({ min: 1, max: 4 }).map((months) => ({ kind: 'months' as const, months })),
);
const lookback = fc.record({ lookbackDays: fc.integer({ min: 1, max: 80 }) });
const invert = fc.boolean();

/** Random specs of every module (the parser's bounds respected). */
const spec: fc.Arbitrary<DimensionSpec> = fc.oneof(
  fc.record({
    module: fc.constant('gsma_not_found' as const),
    invert,
    parameters: fc.oneof(
      fc.constant({ ignoreRbiDelays: true, rbiDelays: {} }),
      fc.constant({ ignoreRbiDelays: false, rbiDelays: { ...DEFAULT_RBI_DELAYS } }),
      fc
        .dictionary(
          fc.constantFrom('00', '01', '12', '35', '86', '99'),
          fc.integer({ min: 0, max: 90 }),
        )
        .map((rbiDelays) => ({ ignoreRbiDelays: false, rbiDelays })),
    ),
  }),
  ...(
    [
      'stolen_list',
      'malformed_imei',
      'inconsistent_rat',
      'rat_beyond_tac',
      'is_test_tac',
      'is_barred_tac',
      'exists_in_barred_list',
      'exists_in_monitoring_list',
    ] as const
  ).map((module) =>
    fc.record({ module: fc.constant(module), invert, parameters: fc.constant({}) }),
  ),
  fc.record({
    module: fc.constant('duplicate_threshold' as const),
    invert,
    parameters: fc.record({
      threshold: fc.integer({ min: 1, max: 4 }),
      period,
      useMsisdn: fc.boolean(),
    }),
  }),
  fc.record({
    module: fc.constant('duplicate_daily_avg' as const),
    invert,
    parameters: fc.record({
      threshold: fc.constantFrom(0.5, 1, 1.2, 1.5, 2, 2.5, 3, 1 / 3, 0.1 * 3, 4 / 3),
      period,
      minSeenDays: fc.integer({ min: 1, max: 6 }),
      useMsisdn: fc.boolean(),
    }),
  }),
  fc.record({
    module: fc.constant('not_on_registration_list' as const),
    invert,
    parameters: fc.record({ exemptedDeviceTypes: fc.subarray(DEVICE_TYPES.slice(0, 3)) }),
  }),
  ...(
    ['used_by_international_roamer', 'used_by_local_roamer', 'used_by_home_subscriber'] as const
  ).map((module) => fc.record({ module: fc.constant(module), invert, parameters: lookback })),
  fc.record({
    module: fc.constant('transient_imei' as const),
    invert,
    parameters: fc.record({
      periodDays: fc.integer({ min: 1, max: 40 }),
      numMsisdns: fc.integer({ min: 1, max: 3 }),
    }),
  }),
  fc.record({
    module: fc.constant('concurrent_use' as const),
    invert,
    parameters: fc.record({
      threshold: fc.integer({ min: 2, max: 3 }),
      minDays: fc.integer({ min: 1, max: 4 }),
      periodDays: fc.integer({ min: 4, max: 40 }),
      acrossOperators: fc.boolean(),
    }),
  }),
  fc.record({ module: fc.constant('realtime_clone' as const), invert, parameters: lookback }),
  fc.record({
    module: fc.constant('foreign_block_list' as const),
    invert,
    parameters: fc.record({ trust: fc.subarray([...FOREIGN_TRUSTS], { minLength: 1 }) }),
  }),
  fc.record({
    module: fc.constant('implausible_imei' as const),
    invert,
    parameters: fc.constant({}),
  }),
  fc.record({
    module: fc.constant('seen_before_allocation' as const),
    invert,
    parameters: fc.record({ toleranceDays: fc.integer({ min: 0, max: 40 }) }),
  }),
) as fc.Arbitrary<DimensionSpec>;

/** From before the first month to after the last, around February 2024 and the year change. */
const asOf = fc.oneof(
  fc.integer({ min: 0, max: 170 }).map((d) => addDays('2023-11-25', d)),
  fc.integer({ min: 0, max: 65 }).map((d) => addDays('2024-01-01', d)),
);
const asOfFeb2023 = fc.integer({ min: 0, max: 40 }).map((d) => addDays('2023-02-10', d));

let ts: TempStore;
before(async () => {
  ts = await openTempStore('ceir-rules-property-');
});
after(async () => {
  await ts?.cleanup();
});

async function reset(
  triplets: readonly RawTriplet[],
  rows: readonly ListRow[],
  flags: readonly { imei: string; day: string; time: string }[] = [],
): Promise<void> {
  const db = ts.store.db;
  for (const t of [
    'realtime_clone_flags',
    'triplets',
    'id_texts',
    'network_imeis',
    'list_entries',
    'imports',
    'operator_daily',
  ])
    await db.run(`DELETE FROM ${t}`);
  await commitTriplets(ts, triplets);
  if (flags.length > 0) {
    const v = flags.map(
      (f) => `(${Number(f.imei)}, TIMESTAMP ${lit(`${f.day} ${f.time}`)}, 3, 2, NULL, NULL)`,
    );
    await db.run(`INSERT INTO realtime_clone_flags
      SELECT c0, c1, c2, c3, c1 - INTERVAL 1 MINUTE, c1 FROM (VALUES ${v.join(', ')}) t(c0, c1, c2, c3, c4, c5)`);
  }
  if (rows.length === 0) return;
  const values = rows.map(
    (r) =>
      `(${lit(r.list)}, ${lit(r.key)}, ${r.imeiNorm === null ? 'NULL' : lit(r.imeiNorm)}, ` +
      `${r.list.endsWith('tac') ? lit(r.key) : 'NULL'}, NULL, NULL, ` +
      `${r.status === null ? 'NULL' : lit(r.status)}, ${r.caps === null ? 'NULL' : r.caps}, ` +
      `${lit(JSON.stringify(r.attrs))}, TIMESTAMP '2024-01-01 00:00:00', ` +
      `${r.current ? 'NULL' : "TIMESTAMP '2024-01-02 00:00:00'"}, 'test')`,
  );
  await db.run(`INSERT INTO list_entries VALUES ${values.join(', ')}`);
}

const describe = (s: DimensionSpec) =>
  `${s.module}${s.invert ? ' (inverted)' : ''} ${JSON.stringify(s.parameters)}`;

function condition(label: string, dimensions: readonly DimensionSpec[]): Condition {
  return {
    label,
    reason: 'r',
    blocking: false,
    graceDays: 30,
    sticky: false,
    maxMatchingRatio: 1,
    amnestyEligible: false,
    dimensions,
  };
}

test('random stores: every dimension and condition, SQL = oracle', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(triplet, { minLength: 1, maxLength: 60, size: 'large' }),
      listRows,
      fc.array(fc.oneof({ weight: 5, arbitrary: asOf }, { weight: 1, arbitrary: asOfFeb2023 }), {
        minLength: 2,
        maxLength: 2,
      }),
      fc.array(spec, { minLength: 8, maxLength: 8 }),
      cloneFlags,
      foreignRecords,
      async (triplets, rows, days, specs, flags, foreign) => {
        await reset(triplets, rows, flags);
        await insertForeign(foreign);
        // The oracle reads `asOf` as a parameter: one load serves every date.
        const data = await ts.store.loadClassificationData(days[0]!, DEPLOYMENT);
        for (const day of days) {
          for (const s of specs) {
            const sql = await evaluateDimension(ts.store.db, s, day, DEPLOYMENT);
            assertSameImeis(`${describe(s)} as of ${day}`, sql, oracleDimension(s, data, day));
            if (!s.invert) continue;
            const c = condition('inverted', [s]);
            const sqlC = await evaluateConditionImeis(ts.store.db, c, day, DEPLOYMENT);
            assertSameImeis(
              `inverted ${describe(s)} as of ${day}`,
              sqlC,
              oracleCondition(c, data, day).matched,
            );
          }
          // Intersections, with and without inverted dimensions.
          for (const dims of [specs.slice(0, 2), specs.slice(2, 5), specs.slice(5, 8)]) {
            const c = condition('multi', dims);
            const sql = await evaluateConditionImeis(ts.store.db, c, day, DEPLOYMENT);
            const oracle = oracleCondition(c, data, day).matched;
            assertSameImeis(
              `condition [${dims.map(describe).join(' & ')}] as of ${day}`,
              sql,
              oracle,
            );
          }
        }
      },
    ),
    { numRuns: 70 },
  );
});
