import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildData, sorted } from '../test-fixtures.js';
import { foreignBlockList } from './foreign-block-list.js';

test('foreign_block_list: SEEN IMEIs with an active foreign record of a trust asked for', () => {
  const base = buildData({
    asOf: '2024-06-10',
    sightings: [
      { imei: '35209900000001', date: '2024-06-01' },
      { imei: '35209900000002', date: '2024-06-01' },
      { imei: '35209900000003', date: '2024-06-12' }, // seen only after asOf
      { imei: '35209900000004', date: '2024-06-02' },
    ],
  });
  const data = {
    ...base,
    foreignRecords: new Map([
      ['35209900000001', ['block' as const]],
      ['35209900000002', ['inform' as const, 'greylist' as const]],
      ['35209900000003', ['block' as const]],
      ['35209900000009', ['block' as const]], // never seen
    ]),
  };
  assert.deepEqual(sorted(foreignBlockList({ trust: ['block'] }, data)), ['35209900000001']);
  assert.deepEqual(sorted(foreignBlockList({ trust: ['greylist'] }, data)), ['35209900000002']);
  assert.deepEqual(sorted(foreignBlockList({ trust: ['block', 'inform'] }, data)), [
    '35209900000001',
    '35209900000002',
  ]);
  assert.deepEqual(sorted(foreignBlockList({ trust: ['block'] }, data, '2024-06-12')), [
    '35209900000001',
    '35209900000003',
  ]);
  assert.deepEqual(sorted(foreignBlockList({ trust: ['block'] }, base)), []);
});
