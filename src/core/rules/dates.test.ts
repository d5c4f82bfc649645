import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  dateOfDay,
  dayNumber,
  daysInMonth,
  lastDays,
  periodWindow,
} from './dates.js';

test('dayNumber / dateOfDay', () => {
  assert.equal(dayNumber('1970-01-01'), 0);
  assert.equal(dayNumber('2024-03-01') - dayNumber('2024-02-28'), 2);
  assert.equal(dateOfDay(dayNumber('2024-02-29')), '2024-02-29');
  assert.throws(() => dayNumber('2023-02-29'), RangeError);
  assert.throws(() => dayNumber('20240101'), RangeError);
  fc.assert(fc.property(fc.integer({ min: 0, max: 60_000 }), (n) => dayNumber(dateOfDay(n)) === n));
});

test('addMonths clamps like relativedelta', () => {
  assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
  assert.equal(addMonths('2023-03-31', -1), '2023-02-28');
  assert.equal(addMonths('2024-01-15', -13), '2022-12-15');
  assert.equal(addMonths('2024-11-30', 3), '2025-02-28');
  assert.equal(daysInMonth(2024, 2), 29);
});

test('periodWindow: inclusive, ending on asOf (DIRBS end = asOf + 1 exclusive)', () => {
  const w = periodWindow('2024-05-31', { kind: 'days', days: 30 });
  assert.equal(dateOfDay(w.from), '2024-05-02');
  assert.equal(dateOfDay(w.to), '2024-05-31');
  const one = lastDays('2024-05-31', 1);
  assert.equal(one.from, one.to);
  const m = periodWindow('2024-03-31', { kind: 'months', months: 1 });
  assert.deepEqual([dateOfDay(m.from), dateOfDay(m.to)], ['2024-03-01', '2024-03-31']);
  const m2 = periodWindow('2024-03-30', { kind: 'months', months: 1 });
  assert.equal(dateOfDay(m2.from), '2024-02-29');
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
});
