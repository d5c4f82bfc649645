/** Chains made with the tests' own root (`test-chains.ts`): every outcome of the verifier. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityLevel, VerifiedBootState } from '@peculiar/asn1-android';
import { attest } from './attest.js';
import { parseRevocationList } from './revocation.js';
import { makeChain, type KeyKind } from './test-chains.js';

const AT = new Date('2026-01-20T00:00:00Z');
const codes = (r: ReturnType<typeof attest>) => r.verification.problems.map((p) => p.code);

for (const kind of ['ec', 'rsa'] as KeyKind[]) {
  test(`${kind}: a valid chain with every ID field is attested, fields parsed`, async () => {
    const c = await makeChain({
      kind,
      keyDescription: {
        imei: '352099001761481',
        secondImei: '352099001761499',
        meid: 'A0000012345678',
        brand: 'testbrand',
        device: 'testdev',
        product: 'testprod',
        serial: 'SER123',
        manufacturer: 'TestCo',
        model: 'Test Phone 1',
      },
    });
    const r = attest(c.pem, { at: AT, anchors: [c.anchor] });
    assert.deepEqual(codes(r), []);
    assert.equal(r.verdict, 'attested');
    assert.deepEqual(r.reasons, []);
    assert.deepEqual(r.attestedImeis, ['35209900176148', '35209900176149']);
    assert.deepEqual(r.verification.keyDescription?.ids, {
      brand: 'testbrand',
      device: 'testdev',
      product: 'testprod',
      serial: 'SER123',
      imei: '352099001761481',
      secondImei: '352099001761499',
      meid: 'A0000012345678',
      manufacturer: 'TestCo',
      model: 'Test Phone 1',
    });
    assert.equal(r.verification.anchor, 'test-root');
    // DER list input gives the same outcome as PEM.
    assert.equal(attest(c.ders, { at: AT, anchors: [c.anchor] }).verdict, 'attested');
  });
}

test('expired intermediate at the instant: invalid; valid before', async () => {
  const c = await makeChain({ intermediateNotAfter: new Date('2026-01-01T00:00:00Z') });
  const r = attest(c.pem, { at: AT, anchors: [c.anchor] });
  assert.equal(r.verdict, 'invalid');
  assert.deepEqual(codes(r), ['expired']);
  assert.equal(r.verification.problems[0]?.certificate, 1);
  const before = attest(c.pem, { at: new Date('2025-12-31T00:00:00Z'), anchors: [c.anchor] });
  assert.equal(before.verdict, 'attested');
  const early = attest(c.pem, { at: new Date('2019-06-01T00:00:00Z'), anchors: [c.anchor] });
  assert.deepEqual(codes(early), ['not_yet_valid']);
});

test('a leaf signed by another key: signature_invalid', async () => {
  const c = await makeChain({ wrongSignature: true });
  const r = attest(c.pem, { at: AT, anchors: [c.anchor] });
  assert.equal(r.verdict, 'invalid');
  assert.deepEqual(codes(r), ['signature_invalid']);
  assert.equal(r.verification.problems[0]?.certificate, 0);
});

test('a leaf without the KeyDescription extension: extension_missing', async () => {
  const c = await makeChain({ noExtension: true });
  const r = attest(c.pem, { at: AT, anchors: [c.anchor] });
  assert.equal(r.verdict, 'invalid');
  assert.deepEqual(codes(r), ['extension_missing']);
});

test('a revoked intermediate serial (Google status list format): revoked', async () => {
  const c = await makeChain({ intermediateSerial: '00c0ffee' });
  const list = parseRevocationList(
    JSON.stringify({ entries: { C0FFEE: { status: 'REVOKED', reason: 'KEY_COMPROMISE' } } }),
  );
  assert.equal(list.kind, 'ok');
  if (list.kind !== 'ok') return;
  const r = attest(c.pem, { at: AT, anchors: [c.anchor], revocations: list.value });
  assert.equal(r.verdict, 'invalid');
  assert.deepEqual(codes(r), ['revoked']);
  assert.match(r.reasons[0]!, /serial c0ffee is revoked \(KEY_COMPROMISE\)/);
  const suspended = parseRevocationList(
    JSON.stringify({ entries: { c0ffee: { status: 'SUSPENDED' } } }),
  );
  if (suspended.kind !== 'ok') assert.fail('parses');
  const s = attest(c.pem, { at: AT, anchors: [c.anchor], revocations: suspended.value });
  assert.equal(s.verdict, 'attested');
});

test('root left out of the chain: anchored by the signer of the last certificate', async () => {
  const c = await makeChain({ omitRoot: true });
  const r = attest(c.ders, { at: AT, anchors: [c.anchor] });
  assert.equal(r.verdict, 'attested');
  assert.equal(r.verification.certificates.length, 2);
  const other = await makeChain({ kind: 'rsa' });
  assert.deepEqual(codes(attest(c.ders, { at: AT, anchors: [other.anchor] })), ['unknown_root']);
});

test('weak: software level, unlocked, unverified, self-signed boot, no RootOfTrust; strict refuses', async () => {
  const cases: [Parameters<typeof makeChain>[0], RegExp][] = [
    [
      { keyDescription: { securityLevel: SecurityLevel.software } },
      /attestation security level SOFTWARE/,
    ],
    [{ keyDescription: { deviceLocked: false } }, /bootloader unlocked/],
    [
      { keyDescription: { bootState: VerifiedBootState.unverified } },
      /verified boot state UNVERIFIED/,
    ],
    [
      { keyDescription: { bootState: VerifiedBootState.selfSigned } },
      /verified boot state SELF_SIGNED/,
    ],
    [{ keyDescription: { noRootOfTrust: true } }, /no RootOfTrust/],
  ];
  for (const [spec, reason] of cases) {
    const c = await makeChain(spec);
    const r = attest(c.pem, { at: AT, anchors: [c.anchor] });
    assert.equal(r.verdict, 'weak', String(reason));
    assert.equal(r.accepted, true);
    assert.ok(
      r.reasons.some((x) => reason.test(x)),
      r.reasons.join('; '),
    );
    const s = attest(c.pem, { at: AT, anchors: [c.anchor] }, { strict: true });
    assert.equal(s.accepted, false);
  }
});

test('no IMEI: no_ids; an IMEI that is not 14-16 digits is not attested', async () => {
  const none = await makeChain({ keyDescription: { imei: null, model: 'X' } });
  assert.equal(attest(none.pem, { at: AT, anchors: [none.anchor] }).verdict, 'no_ids');
  const bad = await makeChain({ keyDescription: { imei: '35209900176148A' } });
  const r = attest(bad.pem, { at: AT, anchors: [bad.anchor] });
  assert.equal(r.verdict, 'no_ids');
  assert.deepEqual(r.attestedImeis, []);
});

test('the issued challenge must be the attested one', async () => {
  const challenge = Buffer.from('c2f1e0d9c8b7a6958473625140312f1e', 'hex');
  const c = await makeChain({ keyDescription: { challenge } });
  assert.equal(attest(c.pem, { at: AT, anchors: [c.anchor], challenge }).verdict, 'attested');
  const other = Buffer.from('00f1e0d9c8b7a6958473625140312f1e', 'hex');
  const r = attest(c.pem, { at: AT, anchors: [c.anchor], challenge: other });
  assert.deepEqual(codes(r), ['challenge_mismatch']);
});

test('why a certificate does not decode does not depend on the chain checked before', async () => {
  const ec = await makeChain({ kind: 'ec' });
  const rsa = await makeChain({ kind: 'rsa' });
  const cut = [ec.ders[0]!.slice(0, 200), ...ec.ders.slice(1)];
  const alone = attest(cut, { at: AT, anchors: [ec.anchor] }).reasons;
  // An EC chain's last key compared with an RSA anchor first, then the cut chain.
  for (const before of [ec.ders.slice(2), ec.ders, ec.ders]) {
    attest(before, { at: AT, anchors: [rsa.anchor, ec.anchor] });
    assert.deepEqual(attest(cut, { at: AT, anchors: [ec.anchor] }).reasons, alone);
  }
});
