import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSupi } from './supi.js';

test('parseSupi', () => {
  assert.deepEqual(parseSupi('imsi-001010123456789'), {
    kind: 'ok',
    value: { kind: 'imsi', imsi: '001010123456789' },
  });
  assert.deepEqual(parseSupi('nai-user@example.org'), {
    kind: 'ok',
    value: { kind: 'nai', value: 'user@example.org' },
  });
  assert.deepEqual(parseSupi('gli-abc'), { kind: 'ok', value: { kind: 'gli', value: 'abc' } });
  for (const [raw, reason] of [
    ['imsi-12345', 'imsi- must be followed by 6 to 15 digits'],
    ['imsi-1234567890123456', 'imsi- must be followed by 6 to 15 digits'],
    ['imsi-00101012345678x', 'imsi- must be followed by 6 to 15 digits'],
    ['nai-', 'does not start with imsi-, nai-, gci- or gli-'],
    ['001010123456789', 'does not start with imsi-, nai-, gci- or gli-'],
  ]) {
    const r = parseSupi(raw as string);
    assert.ok(r.kind === 'error');
    assert.equal(r.message, `Cannot parse SUPI "${raw}": ${reason}`);
  }
});

test('parseSupi never throws; imsi- accepted exactly for 6-15 digits', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string().map((s) => `imsi-${s}`),
        fc.stringMatching(/^imsi-[0-9]{4,17}$/),
      ),
      (s) => {
        const r = parseSupi(s);
        if (s.startsWith('imsi-')) assert.equal(r.kind === 'ok', /^imsi-[0-9]{6,15}$/.test(s));
      },
    ),
  );
});
