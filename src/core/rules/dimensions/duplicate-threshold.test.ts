import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildData, on, sorted } from '../test-fixtures.js';
import { duplicateThreshold } from './duplicate-threshold.js';
import { arbitraryData } from '../test-arbitraries.js';

const imsi = (n: number) => `00101000000000${n}`;

test('duplicate_threshold: equal passes, window edges inclusive, null IMSIs ignored', () => {
  const data = buildData({
    asOf: '2024-05-31',
    sightings: [
      // A: 3 IMSIs inside the 30-day window (2024-05-02 ..= 2024-05-31)
      { imei: 'A', date: '2024-05-02', imsi: imsi(1) },
      { imei: 'A', date: '2024-05-31', imsi: imsi(2), operator: 'beta' },
      { imei: 'A', date: '2024-05-15', imsi: imsi(3) },
      // B: third IMSI the day before the window, and one null
      { imei: 'B', date: '2024-05-02', imsi: imsi(1) },
      { imei: 'B', date: '2024-05-03', imsi: imsi(2) },
      { imei: 'B', date: '2024-05-01', imsi: imsi(3) },
      { imei: 'B', date: '2024-05-04', imsi: null },
      // C: the same IMSI on two operators counts once
      ...on(['2024-05-10'], { imei: 'C', imsi: imsi(1) }),
      ...on(['2024-05-11'], { imei: 'C', imsi: imsi(1), operator: 'beta' }),
      ...on(['2024-05-12'], { imei: 'C', imsi: imsi(2) }),
    ],
  });
  const p = (threshold: number, days = 30) => ({
    threshold,
    period: { kind: 'days' as const, days },
    useMsisdn: false,
  });
  assert.deepEqual(sorted(duplicateThreshold(p(3), data)), ['A']);
  assert.deepEqual(sorted(duplicateThreshold(p(2), data)), ['A', 'B', 'C']);
  assert.deepEqual(sorted(duplicateThreshold(p(3, 31), data)), ['A', 'B']);
  const months = { threshold: 3, period: { kind: 'months' as const, months: 1 }, useMsisdn: false };
  assert.deepEqual(sorted(duplicateThreshold(months, data)), ['A', 'B']); // 2024-05-01 ..= 05-31
});

test('duplicate_threshold: use_msisdn counts MSISDNs', () => {
  const data = buildData({
    asOf: '2024-05-31',
    sightings: [
      { imei: 'A', date: '2024-05-02', imsi: imsi(1), msisdn: '9991' },
      { imei: 'A', date: '2024-05-03', imsi: imsi(2), msisdn: '9991' },
      { imei: 'B', date: '2024-05-03', imsi: imsi(1), msisdn: '9991' },
      { imei: 'B', date: '2024-05-04', imsi: imsi(1), msisdn: '9992' },
    ],
  });
  const p = { threshold: 2, period: { kind: 'days' as const, days: 30 }, useMsisdn: true };
  assert.deepEqual(sorted(duplicateThreshold(p, data)), ['B']);
});

test('duplicate_threshold is monotone in threshold (property)', () => {
  fc.assert(
    fc.property(
      arbitraryData(),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 1, max: 40 }),
      (data, t, dt, days) => {
        const period = { kind: 'days' as const, days };
        const low = duplicateThreshold({ threshold: t, period, useMsisdn: false }, data);
        const high = duplicateThreshold({ threshold: t + dt, period, useMsisdn: false }, data);
        for (const imei of high) assert.ok(low.has(imei));
      },
    ),
  );
});
