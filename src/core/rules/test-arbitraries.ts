/** fast-check arbitraries of small classification data, for the property tests of the rules. */
import fc from 'fast-check';
import { FOREIGN_TRUSTS, type ForeignTrust } from './condition.js';
import { addDays } from './dates.js';
import type { ClassificationData } from './data-model.js';
import { buildData } from './test-fixtures.js';

const IMEIS = ['35209900000001', '35209900000002', '86000000000001', '00440000000001', '12AB'];
const IMSIS = [
  '001010000000001',
  '001020000000002',
  '001030000000003',
  '001990000000004',
  '208010000000005',
];
const RATS = ['001', '002', '003', '006', '010'];

/** Data with up to 5 IMEIs, 5 IMSIs, 2 operators, over 2024-05-20 ..= 2024-06-08, asOf in it,
 * dense enough that every dimension matches in some samples. */
export function arbitraryData(): fc.Arbitrary<ClassificationData> {
  const sighting = fc.record({
    imei: fc.constantFrom(...IMEIS),
    date: fc.integer({ min: 0, max: 19 }).map((d) => addDays('2024-05-20', d)),
    imsi: fc.option(fc.constantFrom(...IMSIS), { freq: 8 }),
    msisdn: fc.option(fc.constantFrom('99910', '99920', '99930', '99940'), { freq: 2 }),
    operator: fc.constantFrom('alpha', 'beta'),
    rats: fc.subarray(RATS, { minLength: 1 }),
  });
  return fc
    .record({
      sightings: fc.array(sighting, { minLength: 5, maxLength: 60 }),
      asOf: fc.integer({ min: 0, max: 19 }).map((d) => addDays('2024-05-20', d)),
      stolen: fc.subarray(IMEIS),
      tacCaps: fc.integer({ min: 0, max: 15 }),
      cloneFlags: fc.array(
        fc.tuple(
          fc.constantFrom(...IMEIS),
          fc.integer({ min: 0, max: 19 }).map((d) => addDays('2024-05-20', d)),
        ),
        { maxLength: 4 },
      ),
      foreign: fc.array(fc.tuple(fc.constantFrom(...IMEIS), fc.constantFrom(...FOREIGN_TRUSTS)), {
        maxLength: 4,
      }),
    })
    .map((x) => ({
      ...buildData({
        asOf: x.asOf,
        sightings: x.sightings,
        stolen: Object.fromEntries(x.stolen.map((i) => [i, null])),
        tacs: { '35209900': { caps: x.tacCaps }, '86000000': { caps: 7, deviceType: 'Modem' } },
        barred: ['86000000000001'],
        barredTac: ['86000000'],
      }),
      realtimeCloneFlags: flagMap(x.cloneFlags),
      foreignRecords: flagMap(x.foreign) as Map<string, ForeignTrust[]>,
    }));
}

function flagMap(flags: readonly (readonly [string, string])[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [imei, date] of flags) out.set(imei, [...(out.get(imei) ?? []), date]);
  return out;
}
