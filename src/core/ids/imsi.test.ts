import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { imsiMatchesPrefixes, imsiMcc, parseImsi } from './imsi.js';
import { digitsToKey, keyToDigits } from './digit-key.js';

test('parseImsi', () => {
  assert.deepEqual(parseImsi(' 001010123456789 '), { kind: 'ok', value: '001010123456789' });
  const cases: [string, string][] = [
    ['12AB', 'Cannot parse IMSI "12AB": contains non-digit characters'],
    ['12345', 'Cannot parse IMSI "12345": must have 6 to 15 digits, has 5'],
    ['1234567890123456', 'Cannot parse IMSI "1234567890123456": must have 6 to 15 digits, has 16'],
    ['', 'Cannot parse IMSI "": is empty'],
  ];
  for (const [raw, message] of cases) {
    const r = parseImsi(raw);
    assert.ok(r.kind === 'error' && r.code === 'CEIR_ERR_PARSE');
    assert.equal(r.message, message);
  }
});

test('parseImsi accepts exactly 6-15 digit strings, never throws', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{4,17}$/)), (s) => {
      assert.equal(parseImsi(s).kind === 'ok', /^[0-9]{6,15}$/.test(s.trim()));
    }),
  );
});

test('IMSI round trips through digitsToKey', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{6,15}$/), (s) => {
      const r = parseImsi(s);
      assert.ok(r.kind === 'ok');
      assert.equal(keyToDigits(digitsToKey(r.value)), s);
    }),
  );
});

test('imsiMcc and imsiMatchesPrefixes', () => {
  const r = parseImsi('310260123456789');
  assert.ok(r.kind === 'ok');
  assert.equal(imsiMcc(r.value), '310');
  assert.equal(imsiMatchesPrefixes(r.value, ['310260']), true);
  assert.equal(imsiMatchesPrefixes(r.value, ['31026']), true);
  assert.equal(imsiMatchesPrefixes(r.value, ['310410', '311']), false);
  assert.equal(imsiMatchesPrefixes(r.value, ['']), false);
  assert.equal(imsiMatchesPrefixes(r.value, []), false);
});

test('an IMSI always matches its own MCC and no other 3-digit MCC', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{6,15}$/), fc.stringMatching(/^[0-9]{3}$/), (s, mcc) => {
      const r = parseImsi(s);
      assert.ok(r.kind === 'ok');
      assert.equal(imsiMatchesPrefixes(r.value, [imsiMcc(r.value)]), true);
      assert.equal(imsiMatchesPrefixes(r.value, [mcc]), mcc === s.slice(0, 3));
    }),
  );
});
