import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EquipmentCheckResult } from '../core/check/equipment-check.js';
import { luhnCheckDigit } from '../core/ids/luhn.js';
import { CheckEngine, checkPolicy, imeiKeyOf, imsiKeyOf } from './check-engine.js';
import { snapshotFromData } from './snapshot-format.js';
import { testData } from './test-data.js';

const TAC = '35209900';
const K = (snr: number) => `${TAC}${String(snr).padStart(6, '0')}`;
const BLACK = K(1);
const BLACK2 = K(2);
const GREY = K(3);
const GOLD = K(4);
const PAIRED_BLACK = K(5);
const PAIRED_ONLY = K(6);
const PLAIN = K(7);
const UNKNOWN_TAC = '99999999000001';
const OWNER = '001010000000001';
const CLONE = '001010000000002';

const data = testData({
  black: [
    [BLACK, 1],
    [BLACK2, 2],
    [PAIRED_BLACK, 1],
    // Golden overrides black.
    [GOLD, 1],
  ],
  grey: [[GREY, 2]],
  golden: [GOLD],
  exceptions: [
    [PAIRED_BLACK, OWNER],
    [PAIRED_ONLY, OWNER],
  ],
  tacs: [TAC],
  malformed: [
    { text: 'ABC123', kind: 'black', reasonSet: 1 },
    { text: 'XYZ', kind: 'grey', reasonSet: 2 },
  ],
});

const engine = (policy = {}) => new CheckEngine(snapshotFromData(data, { policy }));
const status = (r: EquipmentCheckResult) => (r.kind === 'status' ? r.status : 'UNKNOWN');

test('decision table (default policy)', () => {
  const e = engine();
  const cases: [string, string | undefined, string, string[]][] = [
    [BLACK, undefined, 'BLACKLISTED', ['Reported stolen']],
    [BLACK2, OWNER, 'BLACKLISTED', ['Duplicated IMEI', 'Reported stolen']],
    [GREY, undefined, 'GREYLISTED', ['Duplicated IMEI', 'Reported stolen', 'pending_block']],
    [GOLD, undefined, 'WHITELISTED', ['golden_imei']],
    [GOLD, CLONE, 'WHITELISTED', ['golden_imei']],
    // The paired IMSI keeps working; another IMSI with the same IMEI is blocked.
    [PAIRED_BLACK, OWNER, 'WHITELISTED', ['paired_imsi']],
    [PAIRED_BLACK, CLONE, 'BLACKLISTED', ['Reported stolen']],
    [PAIRED_BLACK, undefined, 'BLACKLISTED', ['Reported stolen']],
    [PAIRED_BLACK, 'not-an-imsi', 'BLACKLISTED', ['Reported stolen']],
    [PAIRED_ONLY, OWNER, 'WHITELISTED', ['paired_imsi']],
    [PAIRED_ONLY, CLONE, 'WHITELISTED', ['not_listed']],
    [PLAIN, undefined, 'WHITELISTED', ['not_listed']],
    [UNKNOWN_TAC, undefined, 'UNKNOWN', ['unknown_tac']],
    ['not an imei', undefined, 'UNKNOWN', ['malformed_imei']],
    ['', undefined, 'UNKNOWN', ['malformed_imei']],
    ['3520990000001', undefined, 'UNKNOWN', ['malformed_imei']],
    // Malformed texts on the lists, matched after DIRBS normalisation (trim, upper case).
    [' abc123 ', undefined, 'BLACKLISTED', ['Reported stolen']],
    ['xyz', undefined, 'GREYLISTED', ['Duplicated IMEI', 'Reported stolen', 'pending_block']],
  ];
  for (const [imei, imsi, st, reasons] of cases) {
    const r = e.check(imei, imsi);
    assert.equal(status(r), st, `${imei}/${imsi}`);
    assert.deepEqual(r.reasons, reasons, `${imei}/${imsi}`);
  }
  assert.equal(
    e.version,
    snapshotFromData(data, { createdAt: 'x' }).version.id.replace(
      'x',
      e.snapshot.version.createdAt,
    ),
  );
});

test('policies: malformed IMEIs, unknown TACs, unknown devices, grey behaviour', () => {
  for (const outcome of ['unknown', 'blacklisted', 'greylisted', 'whitelisted'] as const) {
    const want = outcome === 'unknown' ? 'UNKNOWN' : outcome.toUpperCase();
    assert.equal(status(engine({ malformedImei: outcome }).check('12ab')), want);
    assert.equal(status(engine({ unknownTac: outcome }).check(UNKNOWN_TAC)), want);
    assert.equal(status(engine({ unknownDevice: outcome }).check(PLAIN)), want);
    // Lists win over the policies.
    assert.equal(status(engine({ malformedImei: outcome }).check('abc123')), 'BLACKLISTED');
    assert.equal(status(engine({ unknownDevice: outcome }).check(BLACK)), 'BLACKLISTED');
  }
  assert.equal(status(engine({ grey: 'whitelisted' }).check(GREY)), 'WHITELISTED');
  assert.equal(status(engine({ grey: 'blacklisted' }).check(GREY)), 'BLACKLISTED');
  assert.throws(() => checkPolicy({ grey: 'unknown' as never }), /grey cannot be "unknown"/);
  assert.throws(() => checkPolicy({ unknownTac: 'maybe' as never }), /unknownTac/);
});

test('no TAC DB loaded: the unknown-TAC policy is off', () => {
  const e = new CheckEngine(snapshotFromData(testData({ black: [[BLACK, 1]] })));
  assert.equal(status(e.check(UNKNOWN_TAC)), 'WHITELISTED');
  assert.equal(status(e.check(BLACK)), 'BLACKLISTED');
});

test('IMEI with check digit, IMEISV (16 digits) and 14 digits map to the same decision', () => {
  const e = engine();
  fc.assert(
    fc.property(
      fc.constantFrom(BLACK, GREY, GOLD, PAIRED_BLACK, PLAIN, UNKNOWN_TAC),
      fc.integer({ min: 0, max: 99 }),
      fc.option(fc.constantFrom(OWNER, CLONE), { nil: undefined }),
      (key, svn, imsi) => {
        const forms = [
          key,
          `${key}${luhnCheckDigit(key)}`,
          `${key}0`,
          `${key}${String(svn).padStart(2, '0')}`,
          ` ${key} `,
        ];
        const want = e.check(key, imsi);
        for (const f of forms) assert.equal(e.check(f, imsi), want, f);
        assert.equal(imeiKeyOf(forms[1]!), Number(key));
      },
    ),
  );
});

test('imeiKeyOf / imsiKeyOf', () => {
  assert.equal(imeiKeyOf('00000000000001'), 1);
  assert.equal(imeiKeyOf('0000000000000x'), -1);
  assert.equal(imeiKeyOf('35209900176148ab'), 35209900176148);
  assert.equal(imsiKeyOf('001010123456789'), 1001010123456789);
  assert.equal(imsiKeyOf(''), -1);
  assert.equal(imsiKeyOf('0010101234567890'), -1);
  assert.equal(imsiKeyOf('00101x'), -1);
  assert.equal(imsiKeyOf(undefined), -1);
});

test('answers are shared frozen objects (no allocation per check)', () => {
  const e = engine();
  assert.equal(e.check(BLACK), e.check(BLACK));
  assert.ok(Object.isFrozen(e.check(BLACK)) && Object.isFrozen(e.check(BLACK).reasons));
});

test('checkMany gives the answers of check, in bursts of any length', () => {
  const engine = new CheckEngine(snapshotFromData(data));
  const known = [BLACK, BLACK2, GREY, GOLD, PAIRED_BLACK, PAIRED_ONLY, PLAIN, UNKNOWN_TAC];
  const imei = fc.oneof(
    fc.constantFrom(...known, 'ABC123', 'XYZ', '', 'not-an-imei'),
    fc.constantFrom(...known).map((k) => `${k}${luhnCheckDigit(k)}`),
    fc.stringMatching(/^[0-9]{14,16}$/),
    fc.string({ maxLength: 20 }),
  );
  const imsi = fc.option(fc.constantFrom(OWNER, CLONE, '', 'x1'), { nil: undefined });
  fc.assert(
    fc.property(fc.array(fc.tuple(imei, imsi), { maxLength: 100 }), (checks) => {
      const imeis = checks.map(([i]) => i);
      const imsis = checks.map(([, s]) => s);
      const out: EquipmentCheckResult[] = [];
      engine.checkMany(imeis, imsis, out);
      assert.equal(out.length, checks.length);
      checks.forEach(([i, s], n) => assert.equal(out[n], engine.check(i, s), `${i} ${s}`));
      // Without IMSIs, and with a count below the array length.
      const half = Math.floor(checks.length / 2);
      const noImsi: EquipmentCheckResult[] = [];
      engine.checkMany(imeis, undefined, noImsi, half);
      assert.equal(noImsi.length, half);
      noImsi.forEach((r, n) => assert.equal(r, engine.check(imeis[n]!)));
    }),
  );
});
