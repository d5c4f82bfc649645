import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData, sorted } from '../test-fixtures.js';
import { malformedImei } from './malformed-imei.js';

test('malformed_imei: not exactly 14 digits, seen', () => {
  const data = buildData({
    asOf: '2024-05-31',
    sightings: ['35209900000001', '22A456789012345', '', '1234567890123', '3520990000000X'].map(
      (imei) => ({ imei, date: '2024-05-01' }),
    ),
  });
  assert.deepEqual(sorted(malformedImei({}, data)), [
    '',
    '1234567890123',
    '22A456789012345',
    '3520990000000X',
  ]);
});
