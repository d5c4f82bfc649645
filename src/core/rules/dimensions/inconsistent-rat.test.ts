import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generation } from '../../ids/index.js';
import { buildData, sorted } from '../test-fixtures.js';
import { inconsistentRat } from './inconsistent-rat.js';
import { ratBeyondTac } from './rat-beyond-tac.js';

const { G2, G3, G4, G5 } = Generation;
const data = buildData({
  asOf: '2024-05-31',
  tacs: {
    '11111111': { caps: G2 | G3 }, // no 4G, no 5G
    '22222222': { caps: G2 | G3 | G4 }, // no 5G
    '33333333': { caps: G2 | G3 | G4 | G5 },
    '44444444': { caps: 0 }, // Bands gave nothing: unknown
  },
  sightings: [
    { imei: '11111111000001', date: '2024-05-01', rats: ['002', '001'] }, // consistent
    { imei: '11111111000002', date: '2024-05-01', rats: ['006'] }, // 4G on a 2G/3G TAC
    { imei: '11111111000003', date: '2024-05-01', rats: ['009'] }, // LTE-M is 4G
    { imei: '11111111000004', date: '2024-05-01', rats: ['003', '004', '007'] }, // no generation
    { imei: '11111111000005', date: '2024-06-01', rats: ['006'] }, // after asOf
    { imei: '11111111000006', date: '2024-05-01', rats: ['010'] }, // 5G only: rat_beyond_tac
    { imei: '22222222000001', date: '2024-05-01', rats: ['010', '006'] },
    { imei: '22222222000002', date: '2024-04-01', rats: ['002'] },
    { imei: '22222222000002', date: '2024-05-01', rats: ['104'], operator: 'beta' }, // 1xRTT 2G
    { imei: '33333333000001', date: '2024-05-01', rats: ['010'] },
    { imei: '44444444000001', date: '2024-05-01', rats: ['010', '006'] },
    { imei: '55555555000001', date: '2024-05-01', rats: ['010'] }, // unknown TAC
  ],
});

test('inconsistent_rat: 2G/3G/4G beyond the TAC capability', () => {
  assert.deepEqual(sorted(inconsistentRat({}, data)), ['11111111000002', '11111111000003']);
  assert.ok(inconsistentRat({}, data, '2024-06-01').has('11111111000005'));
});

test('rat_beyond_tac: NR seen on a TAC without NR', () => {
  assert.deepEqual(sorted(ratBeyondTac({}, data)), ['11111111000006', '22222222000001']);
});
