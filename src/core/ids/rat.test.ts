import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Generation } from './generation.js';
import { parseRatList, RAT_CODES, ratBit, ratMaskGenerations, ratMaskToCodes } from './rat.js';

test('ratBit', () => {
  assert.equal(ratBit('001'), 0);
  assert.equal(ratBit('010'), 9);
  assert.equal(ratBit('101'), 10);
  assert.equal(ratBit('105'), 14);
  assert.equal(ratBit('011'), -1);
  assert.equal(ratBit('1'), -1);
  assert.equal(ratBit(''), -1);
  assert.equal(RAT_CODES.length, 15);
  RAT_CODES.forEach((r, i) => assert.equal(ratBit(r.code), i));
});

test('parseRatList', () => {
  assert.deepEqual(parseRatList('001|006'), { kind: 'ok', value: 0b100001 });
  assert.deepEqual(parseRatList(' 002 | 002 '), { kind: 'ok', value: 0b10 });
  assert.deepEqual(parseRatList('105'), { kind: 'ok', value: 1 << 14 });
  const bad = parseRatList('001|011');
  assert.ok(bad.kind === 'error' && bad.code === 'CEIR_ERR_PARSE');
  assert.equal(bad.message, 'Cannot parse RAT list "001|011": unknown RAT code "011"');
  const empty = parseRatList('');
  assert.ok(empty.kind === 'error' && empty.message.endsWith('is empty'));
  assert.equal(parseRatList('001||006').kind, 'error');
});

test('parseRatList / ratMaskToCodes round trip', () => {
  const codes = RAT_CODES.map((r) => r.code);
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1 }), (list) => {
      const r = parseRatList(list.join('|'));
      assert.ok(r.kind === 'ok');
      assert.deepEqual(
        ratMaskToCodes(r.value),
        [...list].sort((a, b) => ratBit(a) - ratBit(b)),
      );
    }),
  );
  fc.assert(fc.property(fc.string(), (s) => void parseRatList(s)));
});

test('ratMaskGenerations', () => {
  const mask = (s: string) => {
    const r = parseRatList(s);
    assert.ok(r.kind === 'ok');
    return r.value;
  };
  assert.equal(ratMaskGenerations(mask('002')), Generation.G2);
  assert.equal(ratMaskGenerations(mask('001|005|102|103')), Generation.G3);
  assert.equal(ratMaskGenerations(mask('006|008|009|101|105')), Generation.G4);
  assert.equal(ratMaskGenerations(mask('010')), Generation.G5);
  assert.equal(ratMaskGenerations(mask('003|004|007')), 0);
  assert.equal(
    ratMaskGenerations(mask('104|006|010')),
    Generation.G2 | Generation.G4 | Generation.G5,
  );
});
