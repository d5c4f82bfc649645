import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseGpsi } from './gpsi.js';

test('parseGpsi', () => {
  assert.deepEqual(parseGpsi('msisdn-923001234567'), {
    kind: 'ok',
    value: { kind: 'msisdn', msisdn: '923001234567' },
  });
  assert.deepEqual(parseGpsi('extid-dev@example.org'), {
    kind: 'ok',
    value: { kind: 'extid', value: 'dev@example.org' },
  });
  for (const [raw, reason] of [
    ['msisdn-1234', 'msisdn- must be followed by 5 to 15 digits'],
    ['msisdn-+923001234567', 'msisdn- must be followed by 5 to 15 digits'],
    ['extid-a@b@c', 'extid- must be followed by one local-part@domain'],
    ['923001234567', 'does not start with msisdn- or extid-'],
  ]) {
    const r = parseGpsi(raw as string);
    assert.ok(r.kind === 'error');
    assert.equal(r.message, `Cannot parse GPSI "${raw}": ${reason}`);
  }
});

test('parseGpsi never throws; msisdn- accepted exactly for 5-15 digits', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^msisdn-[0-9]{3,17}$/)), (s) => {
      const r = parseGpsi(s);
      if (s.startsWith('msisdn-')) assert.equal(r.kind === 'ok', /^msisdn-[0-9]{5,15}$/.test(s));
    }),
  );
});
