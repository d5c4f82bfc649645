import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildData, sorted } from '../test-fixtures.js';
import { arbitraryData } from '../test-arbitraries.js';
import { duplicateDailyAvg } from './duplicate-daily-avg.js';
import { duplicateThreshold } from './duplicate-threshold.js';

const imsi = (n: number) => `00101000000000${n}`;
const days = (d: number) => ({ kind: 'days' as const, days: d });

test('duplicate_daily_avg: average over days seen, min_seen_days, equal passes', () => {
  const data = buildData({
    asOf: '2024-05-10',
    sightings: [
      // A: day 1: 2 IMSIs, day 2: 1 IMSI (+ the same IMSI on beta), day 3: only a null IMSI
      { imei: 'A', date: '2024-05-08', imsi: imsi(1) },
      { imei: 'A', date: '2024-05-08', imsi: imsi(2) },
      { imei: 'A', date: '2024-05-09', imsi: imsi(1) },
      { imei: 'A', date: '2024-05-09', imsi: imsi(1), operator: 'beta' },
      { imei: 'A', date: '2024-05-10', imsi: null },
      // B: 2 IMSIs on one day, outside a 3-day window but inside 4 days
      { imei: 'B', date: '2024-05-07', imsi: imsi(1) },
      { imei: 'B', date: '2024-05-07', imsi: imsi(2) },
    ],
  });
  const p = (threshold: number, minSeenDays: number, d = 3) => ({
    threshold,
    period: days(d),
    minSeenDays,
    useMsisdn: false,
  });
  // A: (2 + 1) / 2 days = 1.5
  assert.deepEqual(sorted(duplicateDailyAvg(p(1.5, 2), data)), ['A']);
  assert.deepEqual(sorted(duplicateDailyAvg(p(1.51, 2), data)), []);
  assert.deepEqual(sorted(duplicateDailyAvg(p(1.5, 3), data)), []); // the null-IMSI day does not count
  assert.deepEqual(sorted(duplicateDailyAvg(p(1.5, 1, 4), data)), ['A', 'B']);
});

test('duplicate_daily_avg >= t implies duplicate_threshold >= ceil(t) (property)', () => {
  fc.assert(
    fc.property(
      arbitraryData(),
      fc.integer({ min: 2, max: 8 }),
      fc.integer({ min: 1, max: 30 }),
      (data, t2, d) => {
        const t = t2 / 2;
        const avg = duplicateDailyAvg(
          { threshold: t, period: days(d), minSeenDays: 1, useMsisdn: false },
          data,
        );
        const thr = duplicateThreshold(
          { threshold: Math.ceil(t), period: days(d), useMsisdn: false },
          data,
        );
        for (const imei of avg) assert.ok(thr.has(imei));
      },
    ),
  );
});
