import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildData, sorted } from '../test-fixtures.js';
import { realtimeClone } from './realtime-clone.js';

test('realtime_clone: a flag in the look-back of a SEEN IMEI matches', () => {
  const base = buildData({
    asOf: '2024-06-10',
    sightings: [
      { imei: '35209900000001', date: '2024-06-01' },
      { imei: '35209900000002', date: '2024-06-01' },
      { imei: '35209900000003', date: '2024-06-12' }, // seen only after asOf
    ],
  });
  const data = {
    ...base,
    realtimeCloneFlags: new Map([
      ['35209900000001', ['2024-06-04']],
      ['35209900000002', ['2024-06-03', '2024-06-11']],
      ['35209900000003', ['2024-06-09']],
      ['35209900000009', ['2024-06-09']], // never seen
    ]),
  };
  // Window 2024-06-04 ..= 2024-06-10: the lower end is inclusive, days after asOf are ignored.
  assert.deepEqual(sorted(realtimeClone({ lookbackDays: 7 }, data)), ['35209900000001']);
  assert.deepEqual(sorted(realtimeClone({ lookbackDays: 8 }, data)), [
    '35209900000001',
    '35209900000002',
  ]);
  assert.deepEqual(sorted(realtimeClone({ lookbackDays: 6 }, data)), []);
  assert.deepEqual(sorted(realtimeClone({ lookbackDays: 30 }, base)), []);
});
