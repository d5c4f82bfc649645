import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { luhnCheckDigit, luhnValid } from './luhn.js';

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));

test('TS 23.003 B.3 and domain vectors', () => {
  assert.equal(luhnCheckDigit('26053179311383'), 7);
  assert.equal(luhnCheckDigit('49015420323751'), 8);
  assert.equal(luhnCheckDigit('35209900176148'), 1);
  assert.equal(luhnValid('260531793113837'), true);
  assert.equal(luhnValid('490154203237518'), true);
  assert.equal(luhnValid('352099001761481'), true);
  assert.equal(luhnValid('352099001761480'), false);
});

test('luhnCheckDigit rejects non 14-digit input as a bug', () => {
  assert.throws(() => luhnCheckDigit('1234'), RangeError);
  assert.throws(() => luhnCheckDigit('2605317931138a'), RangeError);
});

test('luhnValid is false for anything but 15 digits', () => {
  assert.equal(luhnValid('26053179311383'), false);
  assert.equal(luhnValid('2605317931138377'), false);
  assert.equal(luhnValid('26053179311383a'), false);
  assert.equal(luhnValid(''), false);
});

test('the computed check digit always validates', () => {
  fc.assert(
    fc.property(digits(14), (d) => {
      const cd = luhnCheckDigit(d);
      assert.ok(cd >= 0 && cd <= 9);
      assert.equal(luhnValid(d + String(cd)), true);
    }),
  );
});

test('any single-digit change invalidates', () => {
  fc.assert(
    fc.property(
      digits(14),
      fc.integer({ min: 0, max: 14 }),
      fc.integer({ min: 1, max: 9 }),
      (d, pos, delta) => {
        const full = d + String(luhnCheckDigit(d));
        const changed = String(((full.charCodeAt(pos) - 48 + delta) % 10) as number);
        const mutated = full.slice(0, pos) + changed + full.slice(pos + 1);
        assert.notEqual(mutated, full);
        assert.equal(luhnValid(mutated), false);
      },
    ),
  );
});
