import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RBI_DELAYS } from '../condition.js';
import { buildData, sorted } from '../test-fixtures.js';
import { gsmaNotFound } from './gsma-not-found.js';

const delays = { ignoreRbiDelays: false, rbiDelays: DEFAULT_RBI_DELAYS };
const data = buildData({
  asOf: '2024-05-31',
  tacs: { '35209900': { caps: 4 } },
  sightings: [
    { imei: '35209900000001', date: '2024-01-01' }, // known TAC
    { imei: '35111111000001', date: '2024-05-11' }, // RBI 35 (20 days): 11 + 20 = 31, matches
    { imei: '35111111000002', date: '2024-05-12' }, // 12 + 20 = 32 > 31
    { imei: '35111111000003', date: '2024-04-30', operator: 'beta' }, // first seen across operators
    { imei: '35111111000003', date: '2024-05-20' },
    { imei: '42000000000001', date: '2024-05-31' }, // RBI without delay: matches on asOf
    { imei: '35A1', date: '2024-01-01' }, // malformed: its TAC (first 8 characters, "35A1") is not in the database
    { imei: '35111111000004', date: '2024-06-01' }, // seen only after asOf
  ],
});

test('gsma_not_found: per-RBI delay, boundary inclusive', () => {
  assert.deepEqual(sorted(gsmaNotFound(delays, data)), [
    '35111111000001',
    '35111111000003',
    '35A1',
    '42000000000001',
  ]);
});

test('gsma_not_found: ignore_rbi_delays matches at once; asOf parameter', () => {
  const none = { ignoreRbiDelays: true, rbiDelays: {} };
  assert.deepEqual(sorted(gsmaNotFound(none, data)), [
    '35111111000001',
    '35111111000002',
    '35111111000003',
    '35A1',
    '42000000000001',
  ]);
  assert.ok(gsmaNotFound(none, data, '2024-06-01').has('35111111000004'));
  assert.ok(!gsmaNotFound(delays, data, '2024-05-30').has('35111111000001'));
});
