import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildData, dateRange, on, sorted } from '../test-fixtures.js';
import { arbitraryData } from '../test-arbitraries.js';
import { concurrentUse } from './concurrent-use.js';
import { duplicateThreshold } from './duplicate-threshold.js';

const I1 = '001010000000001';
const I2 = '001020000000002';
const I3 = '001030000000003';

test('concurrent_use: distinct IMSIs on the same days, min_days inclusive, window edge', () => {
  const data = buildData({
    asOf: '2024-05-31',
    sightings: [
      // CLONE: two IMSIs on 3 days on two operators, one day the 30-day window's first
      ...on(['2024-05-02', '2024-05-10', '2024-05-20'], { imei: 'CLONE', imsi: I1 }),
      ...on(['2024-05-02', '2024-05-10', '2024-05-20'], {
        imei: 'CLONE',
        imsi: I2,
        operator: 'beta',
      }),
      // SWAP: changed SIM once: old IMSI until the 10th, new from the 10th
      ...on(dateRange('2024-05-02', '2024-05-10'), { imei: 'SWAP', imsi: I1 }),
      ...on(dateRange('2024-05-10', '2024-05-31'), { imei: 'SWAP', imsi: I2 }),
      // SAMEOP: two IMSIs on 3 days, one operator; third day 2024-05-01 is outside the window
      ...on(['2024-05-01', '2024-05-10', '2024-05-20'], { imei: 'SAMEOP', imsi: I1 }),
      ...on(['2024-05-01', '2024-05-10', '2024-05-20'], { imei: 'SAMEOP', imsi: I3 }),
      // ROAM: one IMSI reported by two operators the same days: one IMSI, not concurrent
      ...on(['2024-05-02', '2024-05-10', '2024-05-20'], { imei: 'ROAM', imsi: I1 }),
      ...on(['2024-05-02', '2024-05-10', '2024-05-20'], {
        imei: 'ROAM',
        imsi: I1,
        operator: 'beta',
      }),
    ],
  });
  const p = (minDays: number, acrossOperators = false, threshold = 2) => ({
    threshold,
    minDays,
    periodDays: 30,
    acrossOperators,
  });
  assert.deepEqual(sorted(concurrentUse(p(3), data)), ['CLONE']);
  assert.deepEqual(sorted(concurrentUse(p(2), data)), ['CLONE', 'SAMEOP']);
  assert.deepEqual(sorted(concurrentUse(p(1), data)), ['CLONE', 'SAMEOP', 'SWAP']);
  assert.deepEqual(sorted(concurrentUse(p(1, true), data)), ['CLONE']);
  assert.deepEqual(sorted(concurrentUse(p(1, false, 3), data)), []);
  assert.deepEqual(sorted(concurrentUse({ ...p(3), periodDays: 31 }, data)), ['CLONE', 'SAMEOP']);
});

test('concurrent_use implies duplicate_threshold with the same threshold and period (property)', () => {
  fc.assert(
    fc.property(
      arbitraryData(),
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 1, max: 40 }),
      (data, t, d) => {
        const c = concurrentUse(
          { threshold: t, minDays: 1, periodDays: d, acrossOperators: false },
          data,
        );
        const dup = duplicateThreshold(
          { threshold: t, period: { kind: 'days', days: d }, useMsisdn: false },
          data,
        );
        for (const imei of c) assert.ok(dup.has(imei));
      },
    ),
  );
});
