import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData, sorted } from '../test-fixtures.js';
import { stolenList } from './stolen-list.js';

test('stolen_list: listed, blocking status, seen', () => {
  const data = buildData({
    asOf: '2024-05-31',
    sightings: ['A', 'B', 'C', 'D'].map((imei) => ({ imei, date: '2024-05-01' })),
    stolen: { A: null, B: 'blacklist', C: 'recovered', D: '', E: null },
  });
  assert.deepEqual(sorted(stolenList({}, data)), ['A', 'B', 'D']); // E never seen
});
