import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_RBI_DELAYS } from './condition.js';
import { DEFAULT_CONDITIONS, DEFAULT_CONDITIONS_RAW } from './default-conditions.js';
import { conditionToRaw } from './condition-to-raw.js';
import { parseConditions } from './parse-conditions.js';

test('defaults of a minimal condition', () => {
  const r = parseConditions([
    { label: 'x', reason: 'Why', dimensions: [{ module: 'stolen_list' }] },
  ]);
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.deepEqual(r.value, [
    {
      label: 'x',
      reason: 'Why',
      blocking: false,
      graceDays: 30,
      sticky: false,
      maxMatchingRatio: 0.1,
      amnestyEligible: false,
      dimensions: [{ module: 'stolen_list', invert: false, parameters: {} }],
    },
  ]);
  assert.ok(Object.isFrozen(r.value[0]) && Object.isFrozen(r.value[0]!.dimensions[0]));
});

test('module parameters and their defaults', () => {
  const r = parseConditions([
    {
      label: 'a',
      reason: 'r',
      blocking: true,
      grace_period_days: 0,
      sticky: true,
      max_allowed_matching_ratio: 0.5,
      amnesty_eligible: true,
      dimensions: [
        { module: 'duplicate_threshold', parameters: { threshold: 5, period_months: 2 } },
        { module: 'gsma_not_found', parameters: { per_rbi_delays: { '35': 5, '42': 7 } } },
        { module: 'gsma_not_found', parameters: { ignore_rbi_delays: true }, invert: true },
        { module: 'concurrent_use' },
        { module: 'transient_imei', parameters: { period: 10, num_msisdns: 3 } },
        { module: 'not_on_registration_list', parameters: { exempted_device_types: ['Modem'] } },
      ],
    },
  ]);
  assert.ok(r.kind === 'ok', r.kind === 'error' ? r.message : '');
  const [c] = r.value;
  assert.deepEqual(c!.dimensions[0]!.parameters, {
    threshold: 5,
    period: { kind: 'months', months: 2 },
    useMsisdn: false,
  });
  assert.deepEqual(c!.dimensions[1]!.parameters, {
    ignoreRbiDelays: false,
    rbiDelays: { ...DEFAULT_RBI_DELAYS, '35': 5, '42': 7 },
  });
  assert.deepEqual(c!.dimensions[2], {
    module: 'gsma_not_found',
    invert: true,
    parameters: { ignoreRbiDelays: true, rbiDelays: {} },
  });
  assert.deepEqual(c!.dimensions[3]!.parameters, {
    threshold: 2,
    minDays: 3,
    periodDays: 30,
    acrossOperators: false,
  });
  assert.deepEqual(c!.dimensions[4]!.parameters, { periodDays: 10, numMsisdns: 3 });
  assert.deepEqual(c!.dimensions[5]!.parameters, { exemptedDeviceTypes: ['Modem'] });
});

test('every problem is reported at once, with paths', () => {
  const r = parseConditions([
    { label: 'dup', reason: 'r', dimensions: [{ module: 'stolen_list' }] },
    {
      label: 'dup',
      reason: '',
      blocking: 'yes',
      grace_period_days: -1,
      max_allowed_matching_ratio: 0,
      colour: 'red',
      dimensions: [
        { module: 'nope' },
        {
          module: 'duplicate_threshold',
          parameters: { threshold: 0, period_days: 3, period_months: 1 },
        },
        {
          module: 'duplicate_daily_avg',
          parameters: { threshold: 2, period_days: 3, min_seen_days: 5 },
        },
        { module: 'used_by_local_roamer', parameters: { lookback: 3 } },
        {
          module: 'gsma_not_found',
          parameters: { ignore_rbi_delays: true, per_rbi_delays: { '3': 1, '44': -2 } },
        },
      ],
    },
    { label: 'empty', reason: 'r', dimensions: [] },
    'not an object',
  ]);
  assert.ok(r.kind === 'error');
  assert.equal(r.code, 'CEIR_ERR_CONFIG');
  const paths = r.issues.map((i) => i.path);
  assert.deepEqual(paths, [
    'conditions[1].colour',
    'conditions[1].reason',
    'conditions[1].blocking',
    'conditions[1].grace_period_days',
    'conditions[1].max_allowed_matching_ratio',
    'conditions[1].dimensions[0].module',
    'conditions[1].dimensions[1].parameters.threshold',
    'conditions[1].dimensions[1].parameters',
    'conditions[1].dimensions[2].parameters.min_seen_days',
    'conditions[1].dimensions[3].parameters.lookback',
    'conditions[1].dimensions[3].parameters.lookback_days',
    'conditions[1].dimensions[4].parameters.per_rbi_delays.3',
    'conditions[1].dimensions[4].parameters.per_rbi_delays.44',
    'conditions[1].dimensions[4].parameters.per_rbi_delays',
    'conditions[1].label',
    'conditions[2].dimensions',
    'conditions[3]',
  ]);
  assert.match(
    r.message,
    /^Cannot parse conditions: 17 problems: conditions\[1\]\.colour: unknown key/,
  );
  assert.match(r.message, /conditions\[1\]\.label: duplicate label "dup" \(also conditions\[0\]\)/);
  assert.match(
    r.message,
    /parameters: needs exactly one of period_days and period_months, got both/,
  );
  assert.equal(parseConditions({}).kind, 'error');
});

test('DEFAULT_CONDITIONS parse, are frozen and round-trip through conditionToRaw', () => {
  assert.ok(DEFAULT_CONDITIONS.length >= 10);
  assert.ok(Object.isFrozen(DEFAULT_CONDITIONS_RAW[0]));
  const stolen = DEFAULT_CONDITIONS.find((c) => c.label === 'stolen');
  assert.ok(stolen && stolen.blocking && stolen.graceDays === 0);
  const rat = DEFAULT_CONDITIONS.find((c) => c.label === 'inconsistent_rat');
  assert.ok(rat && !rat.blocking);
  const back = parseConditions(DEFAULT_CONDITIONS.map(conditionToRaw));
  assert.ok(back.kind === 'ok');
  assert.deepEqual(back.value, DEFAULT_CONDITIONS);
});

test('conditionToRaw round trip (property)', () => {
  const dim = fc.oneof(
    fc.record({
      module: fc.constant('duplicate_threshold'),
      parameters: fc.record({
        threshold: fc.integer({ min: 1, max: 50 }),
        period_days: fc.integer({ min: 1, max: 400 }),
        use_msisdn: fc.boolean(),
      }),
      invert: fc.boolean(),
    }),
    fc.record({
      module: fc.constant('duplicate_daily_avg'),
      parameters: fc.record({
        threshold: fc.double({ min: 0.5, max: 20, noNaN: true }),
        period_months: fc.integer({ min: 1, max: 12 }),
        min_seen_days: fc.integer({ min: 1, max: 10 }),
      }),
    }),
    fc.record({
      module: fc.constant('concurrent_use'),
      parameters: fc.record({
        threshold: fc.integer({ min: 2, max: 9 }),
        across_operators: fc.boolean(),
      }),
    }),
    fc.record({
      module: fc.constantFrom('used_by_home_subscriber', 'used_by_local_roamer'),
      parameters: fc.record({ lookback_days: fc.integer({ min: 1, max: 90 }) }),
    }),
    fc.record({ module: fc.constantFrom('stolen_list', 'malformed_imei', 'gsma_not_found') }),
  );
  fc.assert(
    fc.property(
      fc.uniqueArray(
        fc.record({
          label: fc.stringMatching(/^[a-z_]{1,12}$/),
          reason: fc.constant('r'),
          sticky: fc.boolean(),
          dimensions: fc.array(dim, { minLength: 1, maxLength: 3 }),
        }),
        { selector: (c) => c.label },
      ),
      (raw) => {
        const a = parseConditions(raw);
        assert.ok(a.kind === 'ok', a.kind === 'error' ? a.message : '');
        const b = parseConditions(a.value.map(conditionToRaw));
        assert.ok(b.kind === 'ok');
        assert.deepEqual(b.value, a.value);
      },
    ),
  );
});
