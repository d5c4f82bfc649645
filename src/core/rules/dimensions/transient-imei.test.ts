import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData, dateRange, sorted, type Sighting } from '../test-fixtures.js';
import { isArithmeticProgression, transientImei } from './transient-imei.js';

test('isArithmeticProgression', () => {
  assert.ok(isArithmeticProgression(new Set(['9990010', '9990030', '9990020'])));
  assert.ok(isArithmeticProgression(new Set(['99910', '999100']) /* two values always are */));
  assert.ok(!isArithmeticProgression(new Set(['1', '2', '4'])));
  assert.ok(!isArithmeticProgression(new Set(['1'])));
  assert.ok(!isArithmeticProgression(new Set(['1', '01'])));
  assert.ok(!isArithmeticProgression(new Set(['1', '2', 'x'])));
  // numeric, not text, order: 9, 10, 11
  assert.ok(isArithmeticProgression(new Set(['10', '9', '11'])));
});

/** `perDay` MSISDNs a day from `base` stepping `step`, each day new numbers. */
function cycling(
  imei: string,
  dates: string[],
  perDay: number,
  base: number,
  step: number,
  operator = 'alpha',
): Sighting[] {
  let n = base;
  return dates.flatMap((date) =>
    Array.from({ length: perDay }, () => {
      const msisdn = String(n);
      n += step;
      return { imei, date, msisdn, operator, imsi: `00101${msisdn.padStart(10, '0')}` };
    }),
  );
}

test('transient_imei: volume, progression, one operator', () => {
  const week = dateRange('2024-05-25', '2024-05-31');
  const data = buildData({
    asOf: '2024-05-31',
    sightings: [
      ...cycling('SIMBOX', week, 3, 999000100, 1), // 21 MSISDNs in step 1
      ...cycling('SHORT', week.slice(1), 3, 999000100, 1), // 18 < 3 * 7
      ...cycling('RANDOM', week, 3, 999000100, 1).map((s, i) =>
        i === 5 ? { ...s, msisdn: '999555555' } : s,
      ),
      ...cycling('TWO_OPS', week, 3, 999000100, 1).map((s, i) =>
        i === 0 ? { ...s, operator: 'beta' } : s,
      ),
      ...cycling('EDGE', dateRange('2024-05-24', '2024-05-30'), 3, 999000100, 7), // 3 a day, 1 day outside
    ],
  });
  const p = { periodDays: 7, numMsisdns: 3 };
  assert.deepEqual(sorted(transientImei(p, data)), ['SIMBOX']);
  assert.deepEqual(sorted(transientImei({ periodDays: 7, numMsisdns: 2 }, data)), [
    'EDGE',
    'SHORT',
    'SIMBOX',
  ]);
  assert.deepEqual(sorted(transientImei(p, data, '2024-05-30')), ['EDGE']);
});
