import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseImeisv } from './imeisv.js';

test('parseImeisv splits TAC+SNR and SVN', () => {
  assert.deepEqual(parseImeisv('3520990017614801'), {
    kind: 'ok',
    value: { norm: '35209900176148', svn: '01' },
  });
  const short = parseImeisv('352099001761481');
  assert.ok(short.kind === 'error');
  assert.equal(short.message, 'Cannot parse IMEISV "352099001761481": must have 16 digits, has 15');
  const nd = parseImeisv('35209900176148AB');
  assert.ok(nd.kind === 'error' && nd.message.endsWith('contains non-digit characters'));
});

test('parseImeisv round trip and never throws', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{16}$/), (s) => {
      const r = parseImeisv(s);
      assert.ok(r.kind === 'ok');
      assert.equal(r.value.norm + r.value.svn, s);
    }),
  );
  fc.assert(
    fc.property(fc.string(), (s) => {
      assert.equal(parseImeisv(s).kind === 'ok', /^[0-9]{16}$/.test(s.trim()));
    }),
  );
});
