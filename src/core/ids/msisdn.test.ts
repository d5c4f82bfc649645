import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { msisdnMatchesCountryCodes, parseMsisdn } from './msisdn.js';
import { digitsToKey, keyToDigits } from './digit-key.js';

test('parseMsisdn strips one leading +', () => {
  assert.deepEqual(parseMsisdn('+923001234567'), { kind: 'ok', value: '923001234567' });
  assert.deepEqual(parseMsisdn(' 923001234567 '), { kind: 'ok', value: '923001234567' });
  const cases: [string, string][] = [
    ['++92300', 'Cannot parse MSISDN "++92300": contains non-digit characters'],
    ['92-300', 'Cannot parse MSISDN "92-300": contains non-digit characters'],
    ['+', 'Cannot parse MSISDN "+": is empty'],
    ['12', 'Cannot parse MSISDN "12": must have 3 to 15 digits, has 2'],
    [
      '1234567890123456',
      'Cannot parse MSISDN "1234567890123456": must have 3 to 15 digits, has 16',
    ],
  ];
  for (const [raw, message] of cases) {
    const r = parseMsisdn(raw);
    assert.ok(r.kind === 'error' && r.code === 'CEIR_ERR_PARSE');
    assert.equal(r.message, message);
  }
});

test('parseMsisdn accepts exactly [+]3-15 digits, never throws, round trips via digitsToKey', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9]{1,17}$/)), (s) => {
      const r = parseMsisdn(s);
      assert.equal(r.kind === 'ok', /^\+?[0-9]{3,15}$/.test(s.trim()));
      if (r.kind === 'ok') assert.equal(keyToDigits(digitsToKey(r.value)), r.value);
    }),
  );
});

test('msisdnMatchesCountryCodes', () => {
  const r = parseMsisdn('+923001234567');
  assert.ok(r.kind === 'ok');
  assert.equal(msisdnMatchesCountryCodes(r.value, ['92']), true);
  assert.equal(msisdnMatchesCountryCodes(r.value, ['1', '93']), false);
  assert.equal(msisdnMatchesCountryCodes(r.value, ['']), false);
});
