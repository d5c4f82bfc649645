import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData } from '../test-fixtures.js';
import { attestationMismatch, modelKey } from './attestation-mismatch.js';
import { implausibleImei, isImplausibleImei } from './implausible-imei.js';
import { seenBeforeAllocation } from './seen-before-allocation.js';

test('isImplausibleImei: the issue examples and their kin; real IMEIs are not', () => {
  // 000000000000000, 111111111111111, 123456789012345 (15 digits: the key is the first 14).
  for (const x of [
    '00000000000000',
    '11111111111111',
    '12345678901234',
    '98765432109876',
    '90123456789012',
    '10987654321098',
  ])
    assert.equal(isImplausibleImei(x), true, x);
  for (const x of [
    '35209900176148',
    '11111111111112',
    '12345678901235',
    '01234567890124',
    '1111111111111',
    'ABCDEFGHIJKLMN',
  ])
    assert.equal(isImplausibleImei(x), false, x);
});

test('implausible_imei matches only SEEN IMEIs', () => {
  const data = buildData({
    asOf: '2026-01-31',
    sightings: [
      { imei: '00000000000000', date: '2026-01-10' },
      { imei: '12345678901234', date: '2026-02-10' },
      { imei: '35209900176148', date: '2026-01-10' },
    ],
  });
  assert.deepEqual([...implausibleImei({}, data)], ['00000000000000']);
  assert.deepEqual([...implausibleImei({}, data, '2026-02-28')].sort(), [
    '00000000000000',
    '12345678901234',
  ]);
});

test('seen_before_allocation: a day before the allocation date (minus the tolerance)', () => {
  const data = buildData({
    asOf: '2026-03-31',
    sightings: [
      { imei: '35209900000001', date: '2026-01-30' },
      { imei: '35209900000002', date: '2026-01-31' },
      { imei: '86000000000001', date: '2026-01-01' },
      { imei: '99000000000001', date: '2026-01-01' },
    ],
    tacs: {
      '35209900': { allocationDate: '2026-01-31' },
      '86000000': { allocationDate: null },
      '99000000': { allocationDate: '31-Feb-2026' },
    },
  });
  assert.deepEqual([...seenBeforeAllocation({ toleranceDays: 0 }, data)], ['35209900000001']);
  assert.deepEqual([...seenBeforeAllocation({ toleranceDays: 1 }, data)], []);
  assert.deepEqual([...seenBeforeAllocation({ toleranceDays: 0 }, data, '2026-01-29')], []);
});

test('attestation_mismatch: a claimed IMEI the hardware does not attest; an attested model its TAC lacks', () => {
  const base = buildData({
    asOf: '2026-03-31',
    sightings: [
      { imei: '35209900000001', date: '2026-01-10' },
      { imei: '49015420323751', date: '2026-01-10' },
      { imei: '86000000000001', date: '2026-01-10' },
      { imei: '86000000000002', date: '2026-01-10' },
    ],
    tacs: {
      '49015420': { models: ['Galaxy S9', 'SM-G960F'] },
      '86000000': { models: ['PIXEL 3'] },
    },
  });
  const data = {
    ...base,
    attestations: [
      // The modem says 35209900000001, the secure hardware 49015420323751 (a Galaxy S9).
      {
        day: '2026-02-01',
        imeis: ['49015420323751'],
        claimedImei: '35209900000001',
        model: 'Galaxy S9',
      },
      // A Pixel 3 attests an IMEI of a TAC allocated to the Galaxy S9 and one of a Pixel 3 TAC.
      {
        day: '2026-02-02',
        imeis: ['49015420323751', '86000000000001'],
        claimedImei: null,
        model: 'Pixel-3',
      },
      // Consistent: claimed = attested, model of its TAC.
      {
        day: '2026-02-03',
        imeis: ['86000000000002'],
        claimedImei: '86000000000002',
        model: 'pixel 3',
      },
    ],
  };
  assert.deepEqual([...attestationMismatch({}, data)].sort(), ['35209900000001', '49015420323751']);
  assert.deepEqual([...attestationMismatch({}, data, '2026-02-01')], ['35209900000001']);
  assert.deepEqual([...attestationMismatch({}, data, '2026-01-31')], []);
  assert.equal(modelKey(' Pixel-3 '), 'pixel3');
});
