/**
 * The leaf checked by its components (`leaf-certificate.ts`) against the leaf parsed by OpenSSL
 * (`verifyChain` with `leafByOpenSsl`): on the real chains, generated chains (valid, expired,
 * not yet valid, wrong signature, other issuer name, authority key identifier, keyUsage,
 * missing extension, revoked, RSA and EC), leaves re-signed by their issuer after a change
 * (serial, key, validity, names, a PEM block inside), and fast-check changes and truncations of
 * real and generated leaves, the whole `verifyChain` result is deep-equal, the first time
 * (the template is learnt from OpenSSL) and the next (taken from the memo). The component path
 * must take the common leaves (counted), so the property is not met vacuously.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import { chainDers, type ChainInput } from './chain-input.js';
import { header, type Tlv } from './der-extension.js';
import { componentLeaves } from './leaf-certificate.js';
import { parseRevocationList } from './revocation.js';
import { keyPair, makeChain, type ChainSpec, type KeyKind } from './test-chains.js';
import { verifyChain, type VerifyOptions } from './verify-chain.js';

const DIR =
  process.env.CEIR_ATTESTATION_TESTDATA ??
  join(process.cwd(), '../shared/testdata/android-attestation');
const AT = new Date('2026-01-20T00:00:00Z');

/** The component path gives the OpenSSL path's result, learning and then from the memo. */
function assertSame(input: ChainInput, o: VerifyOptions, what: string) {
  const want = verifyChain(input, { ...o, leafByOpenSsl: true });
  assert.deepEqual(verifyChain(input, o), want, what);
  assert.deepEqual(verifyChain(input, o), want, `${what} (template memoised)`);
  return want;
}

/** Leaves taken by the component path during `fn`. */
function taken(fn: () => void): number {
  const before = componentLeaves();
  fn();
  return componentLeaves() - before;
}

function tlv(der: Uint8Array, pos: number): Tlv {
  const h = header(der, pos, der.length);
  assert.ok(typeof h !== 'string', `header at ${pos}`);
  return h;
}

/** A DER TLV (definite, minimal length). */
function encode(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len =
    n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : undefined;
  assert.ok(len);
  return Uint8Array.from([tag, ...len, ...content]);
}

/** A certificate's tbsCertificate TLV and signatureAlgorithm TLV. */
function partsOf(cert: Uint8Array) {
  const outer = tlv(cert, 0);
  const tbs = tlv(cert, outer.start);
  const alg = tlv(cert, tbs.end);
  return { tbs: cert.slice(outer.start, tbs.end), alg: cert.slice(tbs.end, alg.end) };
}

/** The certificate rebuilt around `tbs` and signed by the intermediate's key (`kind`). */
async function resign(
  cert: Uint8Array,
  tbs: Uint8Array,
  kind: KeyKind,
  digest = 'sha256',
  alg = partsOf(cert).alg,
): Promise<Uint8Array> {
  const key = KeyObject.from((await keyPair(kind, 1)).privateKey);
  const sig = sign(digest, tbs, key);
  const bits = encode(0x03, Uint8Array.from([0, ...sig]));
  return encode(0x30, Uint8Array.from([...tbs, ...alg, ...bits]));
}

/** tbsCertificate's children (TLVs) of a certificate. */
function tbsChildren(cert: Uint8Array): Uint8Array[] {
  const { tbs } = partsOf(cert);
  const t = tlv(tbs, 0);
  const out: Uint8Array[] = [];
  for (let p = t.start; p < t.end;) {
    const h = tlv(tbs, p);
    out.push(tbs.slice(p, h.end));
    p = h.end;
  }
  return out;
}

const tbsOf = (children: readonly Uint8Array[]) =>
  encode(0x30, Uint8Array.from(children.flatMap((c) => [...c])));

test(
  'real chains, valid and invalid, at several instants: the same result',
  { skip: !existsSync(DIR) },
  () => {
    const files = readdirSync(DIR).filter((n) => n.endsWith('.pem'));
    const n = taken(() => {
      for (const f of files) {
        const pem = readFileSync(join(DIR, f), 'utf8');
        const ders = chainDers(pem);
        assert.ok(Array.isArray(ders));
        const revoked = parseRevocationList('{"entries":{"1":{"status":"REVOKED"}}}');
        assert.equal(revoked.kind, 'ok');
        for (const at of ['1969-06-01', '2019-01-01', '2025-09-26', '2026-02-24', '2110-01-01']) {
          assertSame(pem, { at: new Date(at) }, `${f} at ${at}`);
          assertSame(ders, { at: new Date(at), revocations: revoked.value }, `${f} revoked`);
          assertSame(ders.slice(0, 2), { at: new Date(at) }, `${f}, leaf and issuer`);
          assertSame(ders.slice(0, 1), { at: new Date(at) }, `${f}, leaf alone`);
        }
        assertSame([ders[0]!, ...ders.slice(2)], { at: AT }, `${f}, other issuer`);
        assertSame(pem, { at: AT, challenge: Buffer.from('x') }, `${f}, challenge`);
      }
    });
    assert.ok(n >= files.length * 10, `component path taken ${n} times`);
  },
);

const SPECS: readonly (readonly [string, ChainSpec])[] = [
  ['valid', {}],
  ['wrong signature', { wrongSignature: true }],
  ['missing extension', { noExtension: true }],
  ['expired intermediate', { intermediateNotAfter: new Date('2021-01-01T00:00:00Z') }],
  ['expired leaf', { leafNotAfter: new Date('2025-01-01T00:00:00Z') }],
  ['leaf not yet valid', { leafNotBefore: new Date('2027-01-01T00:00:00Z') }],
  ['leaf validity in GeneralizedTime', { leafNotAfter: new Date('2106-02-07T06:28:15Z') }],
  ['leaf validity before 1950', { leafNotBefore: new Date('1949-12-31T23:59:59Z') }],
  ['other issuer name', { leafIssuer: 'CN=Someone Else, O=TEE' }],
  ['issuer name, other order', { leafIssuer: 'O=TEE, CN=Test Attestation Intermediate' }],
  ['authority key id of the issuer', { leafAuthorityKeyId: 'intermediate' }],
  ['authority key id of another key', { leafAuthorityKeyId: 'other' }],
  ['keyUsage', { leafKeyUsage: true }],
  ['long serial', { leafSerial: '7fffffffffffffffffffffffffffffffffffffff' }],
  ['serial with a sign byte', { leafSerial: '00ff' }],
  ['serial 0a', { leafSerial: '0a' }],
  ['root left out', { omitRoot: true }],
];

test('generated chains, RSA and EC: the same result', async () => {
  let n = 0;
  for (const kind of ['rsa', 'ec'] as const)
    for (const [name, spec] of SPECS) {
      const c = await makeChain({ ...spec, kind });
      const revoked = parseRevocationList('{"entries":{"01":{"status":"REVOKED"}}}');
      assert.equal(revoked.kind, 'ok');
      n += taken(() => {
        for (const at of [AT, new Date('1960-01-01'), new Date('2100-01-01')])
          for (const input of [c.ders, c.pem])
            assertSame(
              input,
              { at, anchors: [c.anchor] },
              `${kind} ${name} at ${at.toISOString()}`,
            );
        assertSame(c.ders, { at: AT, anchors: [c.anchor], revocations: revoked.value }, name);
      });
    }
  assert.ok(n >= 60, `component path taken ${n} times`);
});

const RSA_KEY_ALGORITHM = Uint8Array.from(Buffer.from('300d06092a864886f70d0101010500', 'hex'));
const rsaSpki = (key: Uint8Array) =>
  encode(
    0x30,
    Uint8Array.from([...RSA_KEY_ALGORITHM, ...encode(0x03, Uint8Array.from([0, ...key]))]),
  );
const int = (...b: number[]) => encode(0x02, Uint8Array.from(b));

/** An EC P-256 SubjectPublicKeyInfo whose point's last byte is odd, one unused bit declared. */
function oddPointUnusedBit(): Uint8Array {
  for (;;) {
    const spki = new Uint8Array(
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
        type: 'spki',
        format: 'der',
      }),
    );
    if (spki[spki.length - 1]! % 2 === 1) {
      spki[spki.length - 66] = 1; // the BIT STRING's unused-bits octet, before the 65-byte point
      return spki;
    }
  }
}

/** Keys OpenSSL refuses (or reads otherwise) in a leaf its issuer signed. */
const otherKeys: readonly (readonly [string, Uint8Array])[] = [
  ['EC point with an unused bit', oddPointUnusedBit()],
  ['RSA key without exponent', rsaSpki(encode(0x30, int(0x00, 0xc1)))],
  ['RSA key, NULL', rsaSpki(Uint8Array.from([5, 0]))],
  ['RSA key, empty', rsaSpki(Uint8Array.from([]))],
  [
    'RSA key, negative modulus',
    rsaSpki(encode(0x30, Uint8Array.from([...int(0x81), ...int(1, 0, 1)]))),
  ],
  [
    'RSA key, padded exponent',
    rsaSpki(encode(0x30, Uint8Array.from([...int(0x41), ...int(0, 1)]))),
  ],
  [
    'RSA key and a byte',
    rsaSpki(Uint8Array.from([...encode(0x30, Uint8Array.from([...int(0x41), ...int(3)])), 0])),
  ],
];

test('leaves re-signed by their issuer after a change: the same result', async () => {
  for (const kind of ['rsa', 'ec'] as const) {
    const c = await makeChain({ kind, leafKeyUsage: true });
    const o = { at: AT, anchors: [c.anchor] };
    assertSame(c.ders, o, 'as made'); // teaches the template
    const [version, serial, ...rest] = tbsChildren(c.ders[0]!);
    const spki = rest[4]!;
    const variants: [string, Uint8Array[]][] = [
      ['negative serial', [version!, Uint8Array.from([2, 1, 0x81]), ...rest]],
      ['zero serial', [version!, Uint8Array.from([2, 1, 0]), ...rest]],
      ['padded serial', [version!, Uint8Array.from([2, 2, 0, 1]), ...rest]],
      ['empty serial', [version!, Uint8Array.from([2, 0]), ...rest]],
      ['serial with a sign byte', [version!, Uint8Array.from([2, 2, 0, 0x80]), ...rest]],
      ['no version (v1)', [serial!, ...rest]],
      ['version 2', [Uint8Array.from([0xa0, 3, 2, 1, 1]), serial!, ...rest]],
      [
        'unique id',
        [version!, serial!, ...rest.slice(0, 5), Uint8Array.from([0x81, 1, 0]), ...rest.slice(5)],
      ],
      ['no extensions', [version!, serial!, ...rest.slice(0, 5)]],
    ];
    // The key's last byte changed: off the curve (EC) or another modulus (RSA).
    for (const x of [1, 2, 0x80]) {
      const k = Uint8Array.from(spki);
      k[k.length - 1]! ^= x;
      variants.push([
        `key byte ^ ${x}`,
        [version!, serial!, ...rest.slice(0, 4), k, ...rest.slice(5)],
      ]);
    }
    // The BIT STRING's unused-bits octet set (OpenSSL clears that many low bits of the last
    // byte: with an odd last byte, another point, off the curve).
    const unused = Uint8Array.from(spki);
    const bits = tlv(unused, tlv(unused, tlv(unused, 0).start).end);
    unused[bits.start] = 1;
    variants.push([
      'key with unused bits',
      [version!, serial!, ...rest.slice(0, 4), unused, ...rest.slice(5)],
    ]);
    for (const [name, key] of otherKeys)
      variants.push([name, [version!, serial!, ...rest.slice(0, 4), key, ...rest.slice(5)]]);
    // A PEM block inside the leaf (the challenge): OpenSSL reads that certificate instead.
    const pem = await makeChain({
      kind,
      keyDescription: { challenge: Buffer.from(`\n${c.rootPem}\n`) },
    });
    assertSame(pem.ders, o, `${kind}: a PEM block in the challenge`);
    variants.push(['after the extensions', [version!, serial!, ...rest, Uint8Array.from([5, 0])]]);
    // The signature's BIT STRING with an unused-bits octet (the signature itself unchanged).
    const leaf = Uint8Array.from(c.ders[0]!);
    const outer = tlv(leaf, 0);
    const sigBits = tlv(leaf, tlv(leaf, tlv(leaf, outer.start).end).end);
    for (const u of [1, 8]) {
      leaf[sigBits.start] = u;
      assertSame([leaf, ...c.ders.slice(1)], o, `${kind}: signature with ${u} unused bits`);
    }
    for (const [name, children] of variants) {
      const leaf = await resign(c.ders[0]!, tbsOf(children), kind);
      assertSame([leaf, ...c.ders.slice(1)], o, `${kind}: ${name}`);
    }
  }
});

test('signed single-byte changes of a generated leaf: the same result', async () => {
  for (const kind of ['rsa', 'ec'] as const) {
    const c = await makeChain({ kind, leafKeyUsage: true });
    const o = { at: AT, anchors: [c.anchor] };
    assertSame(c.ders, o, 'as made');
    const { tbs } = partsOf(c.ders[0]!);
    const changed = fc.sample(
      fc.tuple(fc.integer({ min: 0, max: tbs.length - 1 }), fc.integer({ min: 1, max: 255 })),
      { numRuns: 150, seed: kind === 'ec' ? 8 : 80 },
    );
    const leaves: Uint8Array[] = [];
    for (const [pos, x] of changed) {
      const t = Uint8Array.from(tbs);
      t[pos]! ^= x;
      leaves.push(await resign(c.ders[0]!, t, kind));
    }
    const n = taken(() => {
      for (const [i, leaf] of leaves.entries())
        assertSame([leaf, ...c.ders.slice(1)], o, `${kind}: change ${i} ${changed[i]}, re-signed`);
    });
    // Changes in the per-device parts (mostly the KeyDescription) keep the component path.
    assert.ok(n >= 50, `${kind}: component path taken ${n} times`);
  }
});

test('real leaves with a byte changed or cut: the same result', { skip: !existsSync(DIR) }, () => {
  const chains = readdirSync(DIR)
    .filter((n) => n.endsWith('.pem'))
    .map((f) => chainDers(readFileSync(join(DIR, f), 'utf8')) as Uint8Array[]);
  for (const ders of chains) verifyChain(ders, { at: AT }); // teach the templates
  fc.assert(
    fc.property(
      fc.nat({ max: chains.length - 1 }),
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      fc.boolean(),
      (which, at, x, cut) => {
        const ders = chains[which]!;
        const leaf = ders[0]!;
        const pos = at % leaf.length;
        const changed = cut ? leaf.slice(0, pos) : Uint8Array.from(leaf);
        if (!cut) changed[pos] = x;
        assertSame([changed, ...ders.slice(1)], { at: AT }, `byte ${pos} = ${x}, cut ${cut}`);
      },
    ),
    { numRuns: 400 },
  );
});

/** AlgorithmIdentifier DER of the signature algorithms the component path takes. */
const SIGNATURE_ALGORITHMS = {
  rsa: {
    sha256: '300d06092a864886f70d01010b0500',
    sha384: '300d06092a864886f70d01010c0500',
    sha512: '300d06092a864886f70d01010d0500',
  },
  ec: {
    sha256: '300a06082a8648ce3d040302',
    sha384: '300a06082a8648ce3d040303',
    sha512: '300a06082a8648ce3d040304',
  },
} as const;

test('every signature algorithm and key type the component path knows: taken, same result', async () => {
  const keys = [
    generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey,
    ...['prime256v1', 'secp384r1', 'secp521r1'].map(
      (namedCurve) => generateKeyPairSync('ec', { namedCurve }).publicKey,
    ),
  ].map((k) => new Uint8Array(k.export({ type: 'spki', format: 'der' })));
  for (const kind of ['rsa', 'ec'] as const) {
    const c = await makeChain({ kind });
    const o = { at: AT, anchors: [c.anchor] };
    const [version, serial, , ...rest] = tbsChildren(c.ders[0]!);
    for (const [digest, hex] of Object.entries(SIGNATURE_ALGORITHMS[kind]))
      for (const spki of keys) {
        const alg = Uint8Array.from(Buffer.from(hex, 'hex'));
        const children = [version!, serial!, alg, ...rest.slice(0, 3), spki, ...rest.slice(4)];
        const leaf = await resign(c.ders[0]!, tbsOf(children), kind, digest, alg);
        const chain = [leaf, ...c.ders.slice(1)];
        const want = assertSame(chain, o, `${kind} ${digest}, key ${spki.length} bytes`);
        assert.deepEqual(want.problems, [], `${kind} ${digest}`);
        const n = taken(() => assertSame(chain, o, `${kind} ${digest} again`));
        assert.equal(n, 2, `${kind} ${digest}, key ${spki.length} bytes: component path`);
      }
  }
});
