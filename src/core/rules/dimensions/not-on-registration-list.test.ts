import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData, sorted } from '../test-fixtures.js';
import { notOnRegistrationList } from './not-on-registration-list.js';

test('not_on_registration_list: registered statuses, exempt device types', () => {
  const imeis = [
    '35209900000001',
    '35209900000002',
    '35209900000003',
    '86000000000001',
    '99000000000001',
    'BAD',
  ];
  const data = buildData({
    asOf: '2024-05-31',
    sightings: imeis.map((imei) => ({ imei, date: '2024-05-01' })),
    registration: {
      '35209900000001': { status: null },
      '35209900000002': { status: 'pending' },
      '77000000000001': { status: 'whitelist' },
    },
    tacs: {
      '35209900': { caps: 7, deviceType: 'Smartphone' },
      '86000000': { caps: 7, deviceType: 'Modem' },
    },
  });
  assert.deepEqual(sorted(notOnRegistrationList({ exemptedDeviceTypes: [] }, data)), [
    '35209900000002',
    '35209900000003',
    '86000000000001',
    '99000000000001',
    'BAD',
  ]);
  assert.deepEqual(sorted(notOnRegistrationList({ exemptedDeviceTypes: ['Modem'] }, data)), [
    '35209900000002',
    '35209900000003',
    '99000000000001',
    'BAD',
  ]);
});
