import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPei, parsePei, type Pei } from './pei.js';

test('parsePei: the TS 29.571 forms', () => {
  assert.deepEqual(parsePei('imei-012345678901234'), {
    kind: 'ok',
    value: { kind: 'imei', norm: '01234567890123', raw: '012345678901234' },
  });
  assert.deepEqual(parsePei('imeisv-0123456789012345'), {
    kind: 'ok',
    value: { kind: 'imeisv', norm: '01234567890123', svn: '45' },
  });
  assert.deepEqual(parsePei('mac-00-1a-2B-3c-4d-5e'), {
    kind: 'ok',
    value: { kind: 'mac', mac: '001A2B3C4D5E', untrusted: false },
  });
  assert.deepEqual(parsePei('mac-00-1a-2b-3c-4d-5e-untrusted'), {
    kind: 'ok',
    value: { kind: 'mac', mac: '001A2B3C4D5E', untrusted: true },
  });
  assert.deepEqual(parsePei('eui-00-1a-2b-3c-4d-5e-6f-70'), {
    kind: 'ok',
    value: { kind: 'eui64', eui64: '001A2B3C4D5E6F70' },
  });
});

test('parsePei is strict where the OpenAPI pattern is not', () => {
  const cases: [string, string][] = [
    ['imei-12345678901234', 'imei- must be followed by 15 digits'],
    ['imei-0123456789012345', 'imei- must be followed by 15 digits'],
    ['imeisv-012345678901234', 'imeisv- must be followed by 16 digits'],
    ['mac-001a2b3c4d5e', 'mac must be followed by 6 dash-separated hex pairs'],
    ['mac-00-1a-2b-3c-4d-5e-trusted', 'mac must be followed by 6 dash-separated hex pairs'],
    ['eui-00-1a-2b-3c-4d-5e-6f', 'eui must be followed by 8 dash-separated hex pairs'],
    ['IMEI-012345678901234', 'does not start with imei-, imeisv-, mac- or eui-'],
    [' imei-012345678901234', 'does not start with'],
    ['012345678901234', 'does not start with'],
    ['', 'does not start with'],
  ];
  for (const [raw, reason] of cases) {
    const r = parsePei(raw);
    assert.ok(r.kind === 'error' && r.code === 'CEIR_ERR_PARSE', raw);
    assert.ok(r.message.startsWith(`Cannot parse PEI "${raw}": ${reason}`), r.message);
  }
});

test('parsePei never throws on arbitrary strings', () => {
  const prefixed = fc
    .tuple(fc.constantFrom('imei-', 'imeisv-', 'mac-', 'eui-', 'mac', 'eui'), fc.string())
    .map(([p, s]) => p + s);
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), prefixed), (s) => {
      const r = parsePei(s);
      assert.ok(r.kind === 'ok' || r.kind === 'error');
    }),
  );
});

const hexPairs = (n: number) => fc.stringMatching(new RegExp(`^[0-9A-F]{${2 * n}}$`));
const peiArb: fc.Arbitrary<Pei> = fc.oneof(
  fc
    .stringMatching(/^[0-9]{15}$/)
    .map((d) => ({ kind: 'imei', norm: d.slice(0, 14), raw: d }) as Pei),
  fc
    .stringMatching(/^[0-9]{16}$/)
    .map((d) => ({ kind: 'imeisv', norm: d.slice(0, 14), svn: d.slice(14) }) as Pei),
  fc
    .tuple(hexPairs(6), fc.boolean())
    .map(([mac, untrusted]) => ({ kind: 'mac', mac, untrusted }) as Pei),
  hexPairs(8).map((eui64) => ({ kind: 'eui64', eui64 }) as Pei),
);

test('formatPei / parsePei round trip', () => {
  fc.assert(
    fc.property(peiArb, (p) => {
      assert.deepEqual(parsePei(formatPei(p)), { kind: 'ok', value: p });
    }),
  );
});
