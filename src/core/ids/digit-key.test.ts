import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { digitsToKey, keyToDigits } from './digit-key.js';

test('digitsToKey keeps leading zeros and length', () => {
  assert.equal(digitsToKey('001010123456789'), 1001010123456789);
  assert.equal(keyToDigits(1001010123456789), '001010123456789');
  assert.equal(digitsToKey(''), 1);
  assert.equal(keyToDigits(1), '');
  assert.notEqual(digitsToKey('0123'), digitsToKey('123'));
  assert.ok(digitsToKey('999999999999999') < 2 ** 53);
});

test('digitsToKey / keyToDigits round trip', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{0,15}$/), (d) => {
      const k = digitsToKey(d);
      assert.ok(Number.isSafeInteger(k));
      assert.equal(keyToDigits(k), d);
    }),
  );
});

test('digitsToKey is injective and order-preserving within one length', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{6}$/), fc.stringMatching(/^[0-9]{6}$/), (a, b) => {
      assert.equal(digitsToKey(a) === digitsToKey(b), a === b);
      assert.equal(digitsToKey(a) < digitsToKey(b), a < b);
    }),
  );
});

test('bad input is a bug and throws', () => {
  assert.throws(() => digitsToKey('1234567890123456'), RangeError);
  assert.throws(() => digitsToKey('12a'), RangeError);
  assert.throws(() => keyToDigits(0), RangeError);
  assert.throws(() => keyToDigits(2e15), RangeError);
  assert.throws(() => keyToDigits(23), RangeError);
  assert.throws(() => keyToDigits(1.5), RangeError);
});
