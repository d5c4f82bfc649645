/**
 * The DER extension locator against the ASN.1 library's full certificate decode
 * (`@peculiar/asn1-x509`): the same extension values on real and generated chains, and any bytes
 * give an answer, never an exception.
 */
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate, Extension } from '@peculiar/asn1-x509';
import { chainDers } from './chain-input.js';
import { findExtension, oidContents } from './der-extension.js';
import { KEY_DESCRIPTION_OID } from './key-description.js';
import { makeChain } from './test-chains.js';

const DIR =
  process.env.CEIR_ATTESTATION_TESTDATA ??
  join(process.cwd(), '../shared/testdata/android-attestation');
const KD = oidContents(KEY_DESCRIPTION_OID);

/** Every extension of a certificate as the library decodes it: OID -> value bytes. */
function libraryExtensions(der: Uint8Array): Map<string, Buffer> {
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  return new Map((tbs.extensions ?? []).map((e) => [e.extnID, Buffer.from(e.extnValue.buffer)]));
}

function assertAgrees(der: Uint8Array, what: string) {
  const lib = libraryExtensions(der);
  for (const [oid, value] of lib) {
    const found = findExtension(der, oidContents(oid));
    assert.ok(found instanceof Uint8Array, `${what}: ${oid} not found (${String(found)})`);
    assert.ok(Buffer.from(found).equals(value), `${what}: ${oid} differs`);
  }
  if (!lib.has(KEY_DESCRIPTION_OID)) assert.equal(findExtension(der, KD), undefined, what);
}

async function generatedCertificates(): Promise<{ name: string; der: Uint8Array }[]> {
  const out: { name: string; der: Uint8Array }[] = [];
  for (const [name, spec] of [
    ['rsa', { kind: 'rsa' }],
    ['ec', { kind: 'ec' }],
    ['no extension', { noExtension: true }],
    ['ids', { keyDescription: { imei: '490154203237518', brand: 'google', model: 'Pixel' } }],
  ] as const) {
    const c = await makeChain(spec);
    for (const [i, der] of c.ders.entries()) out.push({ name: `${name} #${i}`, der });
  }
  return out;
}

test('the DER contents of OIDs equal the library encoding', () => {
  assert.deepEqual([...KD], [0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x01, 0x11]);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 39 }),
      fc.array(fc.integer({ min: 0, max: 2 ** 32 }), { maxLength: 8 }),
      (a, b, rest) => {
        const dotted = [a, b, ...rest].join('.');
        // Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, ... }: 30 L 06 L <contents>
        const der = new Uint8Array(
          AsnConvert.serialize(new Extension({ extnID: dotted, extnValue: new OctetString(0) })),
        );
        assert.equal(der[2], 0x06);
        assert.deepEqual([...oidContents(dotted)], [...der.subarray(4, 4 + der[3]!)], dotted);
      },
    ),
  );
});

test(
  'real chains: every extension of every certificate as the library finds it',
  {
    skip: existsSync(DIR) ? false : `test data missing: ${DIR}`,
  },
  () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.pem'));
    assert.ok(files.length >= 4);
    for (const f of files) {
      const ders = chainDers(readFileSync(join(DIR, f), 'utf8'));
      assert.ok(Array.isArray(ders), f);
      for (const [i, der] of ders.entries()) assertAgrees(der, `${f} #${i}`);
      assert.ok(findExtension(ders[0]!, KD) instanceof Uint8Array, `${f}: leaf has KeyDescription`);
    }
  },
);

test('generated chains: every extension as the library finds it', async () => {
  for (const { name, der } of await generatedCertificates()) assertAgrees(der, name);
});

test('any bytes: an answer, never a throw; truncations are refused', async () => {
  const der = (await generatedCertificates())[0]!.der;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      const r = findExtension(b, KD);
      assert.ok(r === undefined || typeof r === 'string' || r instanceof Uint8Array);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: der.length - 1 }), (n) => {
      assert.equal(typeof findExtension(der.subarray(0, n), KD), 'string', `cut at ${n}`);
    }),
    { numRuns: 300 },
  );
});

test('one byte changed: when both answer, the locator agrees with the library', async () => {
  const certs = await generatedCertificates();
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: certs.length - 1 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (c, at, x) => {
        const der = Uint8Array.from(certs[c]!.der);
        der[at % der.length]! ^= x;
        const r = findExtension(der, KD);
        let lib: Map<string, Buffer>;
        try {
          lib = libraryExtensions(der);
        } catch {
          return; // the library refuses it; the locator's answer is checked by the fuzz above
        }
        if (r instanceof Uint8Array)
          assert.ok(Buffer.from(r).equals(lib.get(KEY_DESCRIPTION_OID)!));
        else if (r === undefined) assert.equal(lib.has(KEY_DESCRIPTION_OID), false);
      },
    ),
    { numRuns: 400 },
  );
});

test('malformed structures name the problem', () => {
  // SEQUENCE { SEQUENCE { [3] { SEQUENCE { Extension twice } } } }
  const ext = [0x30, 0x0f, 0x06, 0x0a, ...KD, 0x04, 0x01, 0x05];
  const exts = [0x30, ext.length * 2, ...ext, ...ext];
  const tbs = [0x30, exts.length + 2, 0xa3, exts.length, ...exts];
  const cert = Uint8Array.from([0x30, tbs.length, ...tbs]);
  assert.match(String(findExtension(cert, KD)), /appears twice/);
  const twoFields = [0xa3, ext.length + 2, 0x30, ext.length, ...ext];
  const tbs2 = [0x30, twoFields.length * 2, ...twoFields, ...twoFields];
  assert.match(
    String(findExtension(Uint8Array.from([0x30, tbs2.length, ...tbs2]), KD)),
    /second extensions field/,
  );
  const once = Uint8Array.from([0x30, 0x17, 0x30, 0x15, 0xa3, 0x13, 0x30, 0x11, ...ext]);
  const found = findExtension(once, KD);
  assert.ok(found instanceof Uint8Array);
  assert.deepEqual([...found], [0x05]);
  assert.match(String(findExtension(Uint8Array.from([0x30, 0x80, 0, 0]), KD)), /length form/);
  assert.match(String(findExtension(Uint8Array.from([0x30, 0x81, 0x01, 0]), KD)), /non-minimal/);
  assert.match(String(findExtension(Uint8Array.from([0x30, 0x00, 0x00]), KD)), /after its end/);
});
