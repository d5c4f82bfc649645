import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayNumber } from './dates.js';
import {
  registrationStatusRegisters,
  seenImeis,
  stolenStatusBlocks,
  tripletDays,
  type Triplet,
} from './data-model.js';
import { buildData, sorted } from './test-fixtures.js';

const t = (month: string, dayMask: number): Triplet => ({
  operator: 'alpha',
  month,
  imsi: null,
  msisdn: null,
  firstSeen: month,
  lastSeen: month,
  dayMask,
  ratMask: 0,
});

test('tripletDays reads bit d-1 as day d and ignores bits past the month end', () => {
  const feb = dayNumber('2023-02-01');
  assert.deepEqual(tripletDays(t('2023-02-01', 0b101)), [feb, feb + 2]);
  // bits 28..30 (days 29-31) do not exist in February 2023
  assert.deepEqual(tripletDays(t('2023-02-01', (1 << 27) | (1 << 28) | (1 << 30))), [feb + 27]);
  const jan = dayNumber('2024-01-01');
  assert.deepEqual(tripletDays(t('2024-01-01', 1 << 30)), [jan + 30]);
  assert.deepEqual(tripletDays(t('2024-01-01', 0b111), { from: jan + 1, to: jan + 1 }), [jan + 1]);
});

test('seenImeis: a day on or before asOf', () => {
  const data = buildData({
    asOf: '2024-05-10',
    sightings: [
      { imei: 'A', date: '2024-05-10' },
      { imei: 'B', date: '2024-05-11' },
      { imei: 'C', date: '2024-04-01' },
    ],
  });
  assert.deepEqual(sorted(seenImeis(data, data.asOf)), ['A', 'C']);
  assert.deepEqual(sorted(seenImeis(data, '2024-05-11')), ['A', 'B', 'C']);
});

test('list statuses', () => {
  for (const s of [null, '', ' ', 'blacklist', 'BlackList ']) assert.ok(stolenStatusBlocks(s));
  for (const s of ['recovered', 'pending']) assert.ok(!stolenStatusBlocks(s));
  for (const s of [null, '', 'whitelist', 'WHITELIST']) assert.ok(registrationStatusRegisters(s));
  assert.ok(!registrationStatusRegisters('pending'));
});
