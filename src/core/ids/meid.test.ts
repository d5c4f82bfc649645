import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { meidIsAllDecimal, parseMeid } from './meid.js';

test('parseMeid normalises to upper case', () => {
  assert.deepEqual(parseMeid(' a10000009296f2 '), { kind: 'ok', value: 'A10000009296F2' });
  const bad = parseMeid('A10000009296G2');
  assert.ok(bad.kind === 'error' && bad.code === 'CEIR_ERR_PARSE');
  assert.equal(
    bad.message,
    'Cannot parse MEID "A10000009296G2": contains non-hexadecimal characters',
  );
  const short = parseMeid('A1000000');
  assert.ok(short.kind === 'error');
  assert.equal(short.message, 'Cannot parse MEID "A1000000": must have 14 hex digits, has 8');
});

test('a 14-decimal-digit string parses as an MEID too (the documented ambiguity)', () => {
  const r = parseMeid('35209900176148');
  assert.ok(r.kind === 'ok');
  assert.equal(meidIsAllDecimal(r.value), true);
  const h = parseMeid('A10000009296F2');
  assert.ok(h.kind === 'ok' && !meidIsAllDecimal(h.value));
});

test('parseMeid accepts exactly 14 hex digits, idempotent, never throws', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-fA-F]{13,15}$/)), (s) => {
      const r = parseMeid(s);
      assert.equal(r.kind === 'ok', /^[0-9a-fA-F]{14}$/.test(s.trim()));
      if (r.kind === 'ok') assert.deepEqual(parseMeid(r.value), r);
    }),
  );
});
