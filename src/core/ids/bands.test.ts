import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { radioCapability } from './bands.js';
import { Generation, generationNames } from './generation.js';

const { G2, G3, G4, G5 } = Generation;

test('radioCapability: whole tokens', () => {
  const cases: [string, number][] = [
    ['GSM 1800, GSM 1900, GSM 900, GSM850 (GSM800)', G2],
    ['GSM1800', G2],
    ['LTE 2100', G4],
    ['LTE2100', G4],
    ['CA_6', G4],
    ['DC-HSDPA', G3],
    ['HSDPA, HSUPA, HSPA+', G3],
    ['TD-SCDMA', G3],
    ['CDMA2000', G3],
    ['CDMA 1x', G2],
    ['CDMA800', G2],
    ['EV-DO Rev A', G3],
    ['EVDO', G3],
    ['E-UTRA Band 1', G4],
    ['WiMAX', G4],
    ['UMB', G4],
    ['UMTS 2100', G3],
    ['GPRS, EDGE', G2],
    ['5G NR', G5],
    ['NR n78, n41', G5],
    ['LTE FDD BAND 1, 5G NR n78', G4 | G5],
    ['WCDMA FDD Band I, LTE 2100, CA_6', G3 | G4],
    ['', 0],
    ['Not Known', 0],
    ['Bluetooth, WLAN 802.11 b/g/n', 0],
    // Words containing technology names are not those technologies.
    ['EDGELESS, GSMX, LTEA, NRX, ONLINE', 0],
  ];
  for (const [bands, expected] of cases) {
    assert.equal(
      radioCapability(bands),
      expected,
      `${bands}: got ${generationNames(radioCapability(bands)).join('|')}`,
    );
  }
});

test('radioCapability over the DIRBS rat computation test data', () => {
  // The DIRBS samples live beside the shared docs, outside the repository (see domain.md §3):
  // <repo>/../shared/testdata/dirbs, or wherever CEIR_DIRBS_TESTDATA points.
  const dir =
    process.env['CEIR_DIRBS_TESTDATA'] ??
    fileURLToPath(new URL('../../../../shared/testdata/dirbs/', import.meta.url));
  const path = join(dir, 'gsma_dump_rat_computation_check.txt');
  const [header, ...rows] = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const bandsCol = (header ?? '').split('|').indexOf('Bands');
  assert.ok(bandsCol >= 0);
  const expected: Record<string, number> = {
    '01132222': G2,
    '41255555': G2 | G3,
    '41266666': G3,
    '41277777': G2 | G3 | G4,
    '41288888': G2 | G4,
    '41299999': G3 | G4,
    '41233333': G4,
    '11111111': G4,
    '22222222': G4,
  };
  assert.equal(rows.length, Object.keys(expected).length);
  for (const row of rows) {
    const cols = row.split('|');
    const tac = cols[0] ?? '';
    assert.ok(tac in expected, `unexpected TAC ${tac}`);
    assert.equal(radioCapability(cols[bandsCol] ?? ''), expected[tac], tac);
  }
});

test('radioCapability never throws and stays within the four generation bits', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const g = radioCapability(s);
      assert.equal(g & ~(G2 | G3 | G4 | G5), 0);
    }),
  );
});

test('radioCapability is the union over comma-separated parts', () => {
  const parts = ['GSM 900', 'WCDMA FDD Band I', 'LTE 2100', 'CA_6', 'n78', 'DC-HSDPA', 'Band 5'];
  fc.assert(
    fc.property(fc.subarray(parts), (sub) => {
      const union = sub.reduce((g, p) => g | radioCapability(p), 0);
      assert.equal(radioCapability(sub.join(', ')), union);
    }),
  );
});
