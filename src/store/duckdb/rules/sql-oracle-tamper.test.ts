/**
 * SQL = oracle for the tamper-signal dimensions (`implausible_imei`, `seen_before_allocation`,
 * `attestation_mismatch`) on random small stores, as `sql-oracle-property.test.ts` does for the
 * others: placeholder and real IMEIs, TAC rows with allocation dates in every form the loader
 * meets (DD-Mon-YYYY in any case, ISO, blank, impossible dates, garbage) and model names, and
 * attestation records of every verdict; each dimension plain, inverted and intersected.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { DeploymentProfile } from '../../../core/deployment.js';
import type { Condition, DimensionSpec } from '../../../core/rules/condition.js';
import { addDays } from '../../../core/rules/dates.js';
import { evaluateDimension as oracleDimension } from '../../../core/rules/dimensions/index.js';
import { evaluateCondition as oracleCondition } from '../../../core/rules/evaluate-condition.js';
import { lit } from '../duckdb-database.js';
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
  operators: [{ id: 'alpha', name: 'Alpha', mcc_mnc: ['00101'] }],
};

const CLEAN = [
  '00000000000000',
  '11111111111111',
  '12345678901234',
  '98765432109876',
  '35209900000001',
  '35209900000002',
  '86000000000001',
  '49015420323751',
  '12345678901299',
];
const IMEIS = [...CLEAN, '12AB', '000000000000AB'];
const TACS = ['00000000', '11111111', '12345678', '35209900', '86000000', '49015420'];
const MONTHS = ['2023-12-01', '2024-01-01', '2024-02-01', '2024-03-01'];
const ALLOCATION = [
  '01-Feb-2024',
  '15-jan-2024',
  '29-FEB-2024',
  '31-Feb-2024',
  '1-Mar-2024',
  '2024-01-20',
  ' 2024-01-20',
  '',
  ' ',
  'garbage',
  '10-Foo-2024',
];
const MODELS = ['Pixel 3', 'PIXEL-3', 'Galaxy S9', 'SM-G960F', '', ' ', '--'];

const bit = fc.oneof(
  fc.constantFrom(0, 1, 11, 12, 13, 14, 16, 17, 18, 19, 25, 26, 27, 28, 29, 30),
  fc.integer({ min: 0, max: 30 }),
);

const triplet: fc.Arbitrary<RawTriplet> = fc.record({
  operator: fc.constantFrom('alpha', 'beta'),
  month: fc.oneof(fc.constantFrom(...MONTHS), fc.constantFrom('2024-01-01', '2024-02-01')),
  imei: fc.constantFrom(...IMEIS),
  imsi: fc.constantFrom('001010000000001', '001010000000002'),
  msisdn: fc.constant(null),
  // Mostly one or two days, often just before an allocation date (15 and 20 January, 1 and
  // 29 February, 1 March, less 0-2 tolerance days), so that a cut-off one day off is caught.
  dayMask: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7fffffff }) },
    { weight: 4, arbitrary: bit.map((b) => 1 << b) },
    { weight: 2, arbitrary: fc.tuple(bit, bit).map(([a, b]) => (1 << a) | (1 << b)) },
  ),
  ratMask: fc.constant(1),
});

const tacRow = fc.record({
  tac: fc.constantFrom(...TACS),
  allocation: fc.option(fc.constantFrom(...ALLOCATION), { freq: 5 }),
  model: fc.option(fc.constantFrom(...MODELS), { freq: 3 }),
  marketing: fc.option(fc.constantFrom(...MODELS), { freq: 2 }),
  internal: fc.option(fc.constantFrom(...MODELS), { freq: 1 }),
  current: fc.constantFrom(true, true, true, false),
});
type TacRow = typeof tacRow extends fc.Arbitrary<infer T> ? T : never;

const day = fc.integer({ min: 0, max: 130 }).map((d) => addDays('2023-12-01', d));

const attestation = fc.record({
  verdict: fc.constantFrom('attested', 'attested', 'weak', 'invalid', 'no_ids'),
  accepted: fc.constantFrom(true, true, false),
  imei: fc.option(fc.constantFrom(...CLEAN), { freq: 4 }),
  second: fc.option(fc.constantFrom(...CLEAN), { freq: 1 }),
  claimed: fc.option(fc.constantFrom(...CLEAN), { freq: 2 }),
  model: fc.option(fc.constantFrom(...MODELS), { freq: 4 }),
  day,
  time: fc.constantFrom('00:00:00', '12:00:00', '23:59:59.999'),
});
type Att = typeof attestation extends fc.Arbitrary<infer T> ? T : never;

const invert = fc.boolean();
const spec: fc.Arbitrary<DimensionSpec> = fc.oneof(
  fc.record({
    module: fc.constant('implausible_imei' as const),
    invert,
    parameters: fc.constant({}),
  }),
  fc.record({
    module: fc.constant('seen_before_allocation' as const),
    invert,
    parameters: fc.record({ toleranceDays: fc.constantFrom(0, 0, 1, 2, 14, 40) }),
  }),
  fc.record({
    module: fc.constant('attestation_mismatch' as const),
    invert,
    parameters: fc.constant({}),
  }),
) as fc.Arbitrary<DimensionSpec>;

let ts: TempStore;
before(async () => {
  ts = await openTempStore('ceir-rules-tamper-');
});
after(async () => {
  await ts?.cleanup();
});

const n = (s: string | null) => (s === null ? 'NULL' : String(Number(s)));
const s = (v: string | null) => (v === null ? 'NULL' : lit(v));

async function reset(triplets: RawTriplet[], tacs: TacRow[], atts: Att[]): Promise<void> {
  const db = ts.store.db;
  for (const t of [
    'attestations',
    'triplets',
    'id_texts',
    'network_imeis',
    'list_entries',
    'imports',
    'operator_daily',
  ])
    await db.run(`DELETE FROM ${t}`);
  await commitTriplets(ts, triplets);
  const seenKeys = new Set<string>();
  const rows = tacs
    .filter((r) => !r.current || (!seenKeys.has(r.tac) && seenKeys.add(r.tac)))
    .map((r) => {
      const attrs: Record<string, string> = {};
      if (r.allocation !== null) attrs.allocation_date = r.allocation;
      if (r.model !== null) attrs.model_name = r.model;
      if (r.marketing !== null) attrs.marketing_name = r.marketing;
      if (r.internal !== null) attrs.internal_model_name = r.internal;
      return `('gsma_tac', ${lit(r.tac)}, NULL, ${lit(r.tac)}, NULL, NULL, NULL, 0, ${lit(JSON.stringify(attrs))},
        TIMESTAMP '2023-01-01 00:00:00', ${r.current ? 'NULL' : "TIMESTAMP '2023-01-02 00:00:00'"}, 'test')`;
    });
  if (rows.length > 0) await db.run(`INSERT INTO list_entries VALUES ${rows.join(', ')}`);
  for (const [i, a] of atts.entries())
    await db.run(`INSERT INTO attestations VALUES ('a${i}', TIMESTAMP ${lit(`${a.day} ${a.time}`)},
      ${lit(a.verdict)}, ${a.accepted}, '[]', ${n(a.imei)}, ${n(a.second)}, NULL, NULL, NULL, NULL,
      NULL, NULL, ${s(a.model)}, ${n(a.claimed)}, NULL, NULL, '{}')`);
}

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

const describe = (x: DimensionSpec) =>
  `${x.module}${x.invert ? ' (inverted)' : ''} ${JSON.stringify(x.parameters)}`;

test('random stores: the tamper-signal dimensions, SQL = oracle', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(triplet, { minLength: 1, maxLength: 30 }),
      fc.array(tacRow, { minLength: 3, maxLength: 10 }),
      fc.array(attestation, { maxLength: 6 }),
      fc.array(day, { minLength: 2, maxLength: 2 }),
      fc.array(spec, { minLength: 4, maxLength: 4 }),
      async (triplets, tacs, atts, days, specs) => {
        await reset(triplets, tacs, atts);
        const data = await ts.store.loadClassificationData(days[0]!, DEPLOYMENT);
        for (const asOf of days) {
          for (const x of specs) {
            const sql = await evaluateDimension(ts.store.db, x, asOf, DEPLOYMENT);
            assertSameImeis(`${describe(x)} as of ${asOf}`, sql, oracleDimension(x, data, asOf));
          }
          for (const dims of [specs.slice(0, 1), specs.slice(1, 3), specs.slice(2, 4)]) {
            const c = condition('tamper', dims);
            const sql = await evaluateConditionImeis(ts.store.db, c, asOf, DEPLOYMENT);
            assertSameImeis(
              `condition [${dims.map(describe).join(' & ')}] as of ${asOf}`,
              sql,
              oracleCondition(c, data, asOf).matched,
            );
          }
        }
      },
    ),
    { numRuns: 100 },
  );
});
