import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData, sorted } from '../test-fixtures.js';
import { existsInBarredList } from './exists-in-barred-list.js';
import { existsInMonitoringList } from './exists-in-monitoring-list.js';
import { isBarredTac } from './is-barred-tac.js';
import { isTestTac } from './is-test-tac.js';

const seen = [
  '00100100000001',
  '00101700000001',
  '00101800000001',
  '00440000000001',
  '44000000000001',
  '0086ABC',
  '35209900000001',
  '35209900000002',
  '86000000000001',
];
const data = buildData({
  asOf: '2024-05-31',
  sightings: [
    ...seen.map((imei) => ({ imei, date: '2024-05-01' })),
    { imei: '35209900000003', date: '2024-06-01' },
  ],
  barred: ['35209900000001', '35209900000003', '99999999999999'],
  monitoring: ['35209900000002', '35209900000003'],
  barredTac: ['86000000', '35209900'],
});

test('is_test_tac', () => {
  assert.deepEqual(sorted(isTestTac({}, data)), [
    '0010010000000' + '1',
    '00101700000001',
    '00440000000001',
    '0086ABC',
  ]);
});

test('is_barred_tac', () => {
  assert.deepEqual(sorted(isBarredTac({}, data)), [
    '35209900000001',
    '35209900000002',
    '86000000000001',
  ]);
});

test('exists_in_barred_list / exists_in_monitoring_list: listed and seen by asOf', () => {
  assert.deepEqual(sorted(existsInBarredList({}, data)), ['35209900000001']);
  assert.deepEqual(sorted(existsInMonitoringList({}, data)), ['35209900000002']);
  assert.deepEqual(sorted(existsInMonitoringList({}, data, '2024-06-01')), [
    '35209900000002',
    '35209900000003',
  ]);
});
