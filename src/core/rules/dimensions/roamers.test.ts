import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildData, DEMOLAND, sorted } from '../test-fixtures.js';
import { imsiHome } from './roamers.js';
import { usedByHomeSubscriber } from './used-by-home-subscriber.js';
import { usedByInternationalRoamer } from './used-by-international-roamer.js';
import { usedByLocalRoamer } from './used-by-local-roamer.js';

test('imsiHome by configured prefixes', () => {
  assert.equal(imsiHome('001010000000001', DEMOLAND), 'home');
  assert.equal(imsiHome('001030000000001', DEMOLAND), 'home');
  assert.equal(imsiHome('001990000000001', DEMOLAND), 'local_roamer');
  assert.equal(imsiHome('208010000000001', DEMOLAND), 'international_roamer');
});

test('used_by_*: IMSI class within the look-back, edges inclusive', () => {
  const data = buildData({
    asOf: '2024-05-31',
    sightings: [
      { imei: 'H', date: '2024-05-22', imsi: '001020000000001' }, // first day of a 10-day look-back
      { imei: 'L', date: '2024-05-31', imsi: '001990000000001' },
      { imei: 'I', date: '2024-05-21', imsi: '208010000000001' }, // one day before it
      { imei: 'I', date: '2024-05-25', imsi: null },
      { imei: 'M', date: '2024-05-30', imsi: '001010000000001' },
      { imei: 'M', date: '2024-05-30', imsi: '310150000000001', operator: 'beta' },
    ],
  });
  const p = { lookbackDays: 10 };
  assert.deepEqual(sorted(usedByHomeSubscriber(p, data)), ['H', 'M']);
  assert.deepEqual(sorted(usedByLocalRoamer(p, data)), ['L']);
  assert.deepEqual(sorted(usedByInternationalRoamer(p, data)), ['M']);
  assert.deepEqual(sorted(usedByInternationalRoamer({ lookbackDays: 11 }, data)), ['I', 'M']);
});
