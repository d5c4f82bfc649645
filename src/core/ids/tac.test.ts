import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isTestTac, parseTac, reportingBodyId, tacOf } from './tac.js';
import { parseImeiNorm } from './imei.js';

test('parseTac', () => {
  assert.deepEqual(parseTac(' 35209900 '), { kind: 'ok', value: '35209900' });
  const short = parseTac('3520990');
  assert.ok(short.kind === 'error');
  assert.equal(short.message, 'Cannot parse TAC "3520990": must have 8 digits, has 7');
  const nd = parseTac('3520990X');
  assert.ok(nd.kind === 'error' && nd.code === 'CEIR_ERR_PARSE');
  assert.equal(nd.message, 'Cannot parse TAC "3520990X": contains non-digit characters');
});

test('parseTac accepts exactly 8-digit strings', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      assert.equal(parseTac(s).kind === 'ok', /^[0-9]{8}$/.test(s.trim()));
    }),
  );
});

test('tacOf and reportingBodyId', () => {
  const r = parseImeiNorm('35209900176148');
  assert.ok(r.kind === 'ok');
  const tac = tacOf(r.value);
  assert.equal(tac, '35209900');
  assert.equal(reportingBodyId(tac), '35');
  assert.equal(reportingBodyId(r.value), '35');
});

test('isTestTac (DIRBS is_test_tac)', () => {
  for (const t of ['00100112', '00101000', '00101799', '00440000', '00860000', '00910000']) {
    assert.equal(isTestTac(t), true, t);
  }
  for (const t of ['00100012', '00101800', '00100000', '44000000', '86000000', '91000000', '']) {
    assert.equal(isTestTac(t), false, t);
  }
  assert.equal(isTestTac('00100500000000'), true);
});

test('isTestTac matches the prefix rule for any 8-digit TAC', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{8}$/), (t) => {
      const six = Number(t.slice(0, 6));
      const expected =
        (t.startsWith('0010') && six >= 1001 && six <= 1017) ||
        ['0044', '0086', '0091'].includes(t.slice(0, 4));
      assert.equal(isTestTac(t), expected);
    }),
  );
});
