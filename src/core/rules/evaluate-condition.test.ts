import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Condition, DIMENSION_MODULES, type DimensionSpec } from './condition.js';
import { seenImeis } from './data-model.js';
import { DEFAULT_CONDITIONS } from './default-conditions.js';
import { dimensionSet, evaluateCondition } from './evaluate-condition.js';
import { parseConditions } from './parse-conditions.js';
import { arbitraryData } from './test-arbitraries.js';
import { buildData, sorted } from './test-fixtures.js';

function condition(dimensions: unknown[], extra: Record<string, unknown> = {}): Condition {
  const r = parseConditions([{ label: 'c', reason: 'r', dimensions, ...extra }]);
  assert.ok(r.kind === 'ok', r.kind === 'error' ? r.message : '');
  return r.value[0]!;
}

const data = buildData({
  asOf: '2024-05-31',
  tacs: { '35209900': { caps: 7 } },
  stolen: { '35209900000001': null, '99000000000001': null },
  sightings: [
    { imei: '35209900000001', date: '2024-05-01' },
    { imei: '35209900000002', date: '2024-05-01' },
    { imei: '99000000000001', date: '2024-05-01' },
    { imei: '99000000000002', date: '2024-05-01' },
    { imei: '99000000000003', date: '2024-06-01' }, // after asOf: not seen
  ],
});

test('evaluateCondition: intersection, invert, ratio', () => {
  const stolenUnknown = condition([
    { module: 'stolen_list' },
    { module: 'gsma_not_found', parameters: { ignore_rbi_delays: true } },
  ]);
  const o = evaluateCondition(stolenUnknown, data);
  assert.deepEqual(sorted(o.matched), ['99000000000001']);
  assert.equal(o.seen, 4);
  assert.equal(o.matchingRatio, 0.25);
  assert.equal(o.exceedsMaxRatio, true);
  const notStolen = condition([{ module: 'stolen_list', invert: true }], {
    max_allowed_matching_ratio: 0.5,
  });
  const n = evaluateCondition(notStolen, data);
  assert.deepEqual(sorted(n.matched), ['35209900000002', '99000000000002']);
  assert.equal(n.exceedsMaxRatio, false); // 0.5 equal passes
  const empty = evaluateCondition(notStolen, buildData({ asOf: '2024-05-31' }));
  assert.deepEqual([empty.seen, empty.matchingRatio, empty.exceedsMaxRatio], [0, 0, false]);
});

/** Every module with typical parameters, from the defaults plus the roamer dimensions. */
const SPECS: DimensionSpec[] = [
  ...DEFAULT_CONDITIONS.flatMap((c) => c.dimensions),
  ...condition([
    { module: 'used_by_international_roamer', parameters: { lookback_days: 10 } },
    { module: 'used_by_local_roamer', parameters: { lookback_days: 10 } },
    { module: 'used_by_home_subscriber', parameters: { lookback_days: 10 } },
    { module: 'exists_in_monitoring_list' },
    { module: 'duplicate_threshold', parameters: { threshold: 2, period_days: 7 } },
    {
      module: 'duplicate_daily_avg',
      parameters: { threshold: 1.5, period_months: 1, min_seen_days: 1 },
    },
    { module: 'concurrent_use', parameters: { threshold: 2, min_days: 1, period_days: 10 } },
    { module: 'transient_imei', parameters: { period: 2, num_msisdns: 1 } },
    { module: 'not_on_registration_list', parameters: { exempted_device_types: ['Modem'] } },
    { module: 'realtime_clone', parameters: { lookback_days: 7 } },
    { module: 'foreign_block_list', parameters: { trust: ['block', 'greylist'] } },
    { module: 'implausible_imei' },
    { module: 'seen_before_allocation', parameters: { tolerance_days: 3 } },
    { module: 'attestation_mismatch' },
  ]).dimensions,
];

test('every module is covered by the property specs', () => {
  assert.equal(new Set(SPECS.map((s) => s.module)).size, DIMENSION_MODULES.length);
});

test('dim and invert(dim) partition the SEEN IMEIs (property)', () => {
  fc.assert(
    fc.property(arbitraryData(), fc.constantFrom(...SPECS), (d, spec) => {
      const seen = seenImeis(d, d.asOf);
      const a = dimensionSet({ ...spec, invert: false } as DimensionSpec, d);
      const b = dimensionSet({ ...spec, invert: true } as DimensionSpec, d);
      for (const imei of a) assert.ok(!b.has(imei) && seen.has(imei));
      assert.equal(a.size + b.size, seen.size);
    }),
  );
});

test('intersection is commutative and ⊆ each dimension (property)', () => {
  const spec = fc
    .record({ s: fc.constantFrom(...SPECS), invert: fc.boolean() })
    .map(({ s, invert }) => ({ ...s, invert }) as DimensionSpec);
  fc.assert(
    fc.property(arbitraryData(), fc.array(spec, { minLength: 1, maxLength: 3 }), (d, dims) => {
      const base = condition([{ module: 'stolen_list' }]);
      const fwd = evaluateCondition({ ...base, dimensions: dims }, d);
      const rev = evaluateCondition({ ...base, dimensions: [...dims].reverse() }, d);
      assert.deepEqual(sorted(fwd.matched), sorted(rev.matched));
      for (const s of dims) {
        const one = dimensionSet(s, d);
        for (const imei of fwd.matched) assert.ok(one.has(imei));
      }
      assert.ok(fwd.matchingRatio >= 0 && fwd.matchingRatio <= 1);
    }),
  );
});
