/**
 * The public chains of android/keyattestation (`../shared/testdata/android-attestation/`,
 * Apache-2.0): verdicts at the key's creation time, and every parsed field against the upstream
 * project's own decode (the `.json` beside each chain).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attest } from './attest.js';
import { googleTrustAnchors } from './trust-anchors.js';
import { makeChain } from './test-chains.js';

const DIR =
  process.env.CEIR_ATTESTATION_TESTDATA ??
  join(process.cwd(), '../shared/testdata/android-attestation');
const present = existsSync(DIR);
const skip = present ? false : `test data missing: ${DIR} (set CEIR_ATTESTATION_TESTDATA)`;

interface UpstreamDecode {
  attestationVersion: string;
  attestationSecurityLevel: string;
  keyMintVersion: string;
  keyMintSecurityLevel: string;
  attestationChallenge: string;
  softwareEnforced: {
    creationDateTime: string;
    attestationApplicationId?: { packages: { name: string }[] };
  };
  hardwareEnforced: Record<string, unknown> & {
    rootOfTrust: { deviceLocked: boolean; verifiedBootState: string; verifiedBootHash: string };
    osVersion: string;
    osPatchLevel: string;
  };
}

const pem = (name: string) => readFileSync(join(DIR, `${name}.pem`), 'utf8');
function upstream(name: string): UpstreamDecode {
  const text = readFileSync(join(DIR, `${name}.json`), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return JSON.parse(text) as UpstreamDecode;
}
const createdAt = (name: string) =>
  new Date(Number(upstream(name).softwareEnforced.creationDateTime));

const WITH_JSON = [
  'blueline_sdk28_TEE_RSA_BASE_IMEI',
  'blueline_sdk28_TEE_EC_NONE',
  'caiman_sdk36_TEE_EC_RKP',
  'tegu_sdk36_TEE_EC_2026_ROOT',
];

const ID_FIELDS = {
  brand: 'attestationIdBrand',
  device: 'attestationIdDevice',
  product: 'attestationIdProduct',
  serial: 'attestationIdSerial',
  imei: 'attestationIdImei',
  secondImei: 'attestationIdSecondImei',
  meid: 'attestationIdMeid',
  manufacturer: 'attestationIdManufacturer',
  model: 'attestationIdModel',
} as const;

test(
  'Pixel 3 chain: valid to the RSA root, IMEI 990012001354866, unlocked bootloader -> weak',
  { skip },
  () => {
    const name = 'blueline_sdk28_TEE_RSA_BASE_IMEI';
    const r = attest(pem(name), { at: createdAt(name) });
    assert.deepEqual(r.verification.problems, []);
    assert.equal(r.verification.anchor, 'google-rsa-root');
    assert.equal(r.verdict, 'weak');
    assert.equal(r.accepted, true);
    assert.ok(r.reasons.some((x) => /unlocked/.test(x)));
    assert.ok(r.reasons.some((x) => /UNVERIFIED/.test(x)));
    assert.equal(r.verification.keyDescription?.ids.imei, '990012001354866');
    assert.deepEqual(r.attestedImeis, ['99001200135486']);
    const strict = attest(pem(name), { at: createdAt(name) }, { strict: true });
    assert.equal(strict.verdict, 'weak');
    assert.equal(strict.accepted, false);
  },
);

test('every parsed field equals the upstream decode', { skip }, () => {
  for (const name of WITH_JSON) {
    const u = upstream(name);
    const r = attest(pem(name), { at: createdAt(name) });
    const kd = r.verification.keyDescription;
    assert.ok(kd, name);
    assert.equal(kd.attestationVersion, Number(u.attestationVersion), name);
    assert.equal(kd.attestationSecurityLevel, u.attestationSecurityLevel, name);
    assert.equal(kd.keyMintVersion, Number(u.keyMintVersion), name);
    assert.equal(kd.keyMintSecurityLevel, u.keyMintSecurityLevel, name);
    assert.equal(Buffer.from(kd.challenge, 'hex').toString('base64'), u.attestationChallenge, name);
    assert.equal(kd.creationDateTime, Number(u.softwareEnforced.creationDateTime), name);
    assert.deepEqual(
      kd.applicationPackages,
      (u.softwareEnforced.attestationApplicationId?.packages ?? []).map((p) => p.name),
      name,
    );
    const rot = u.hardwareEnforced.rootOfTrust;
    assert.equal(kd.rootOfTrustIn, 'hardware', name);
    assert.equal(kd.rootOfTrust?.deviceLocked, rot.deviceLocked, name);
    assert.equal(kd.rootOfTrust?.verifiedBootState, rot.verifiedBootState, name);
    assert.equal(
      Buffer.from(kd.rootOfTrust?.verifiedBootHash ?? '', 'hex').toString('base64'),
      rot.verifiedBootHash,
      name,
    );
    assert.equal(kd.osVersion, Number(u.hardwareEnforced.osVersion), name);
    assert.equal(kd.osPatchLevel, Number(u.hardwareEnforced.osPatchLevel), name);
    for (const [ours, theirs] of Object.entries(ID_FIELDS))
      assert.equal(
        kd.ids[ours as keyof typeof ID_FIELDS],
        (u.hardwareEnforced[theirs] as string | undefined) ?? null,
        `${name} ${theirs}`,
      );
  }
});

test(
  'locked, VERIFIED chains without IDs: no_ids, to the RSA root and to the EC CA1 root',
  { skip },
  () => {
    const caiman = attest(pem('caiman_sdk36_TEE_EC_RKP'), {
      at: createdAt('caiman_sdk36_TEE_EC_RKP'),
    });
    assert.equal(caiman.verdict, 'no_ids');
    assert.equal(caiman.verification.anchor, 'google-rsa-root');
    assert.equal(caiman.verification.certificates.length, 5);
    const tegu = attest(pem('tegu_sdk36_TEE_EC_2026_ROOT'), {
      at: createdAt('tegu_sdk36_TEE_EC_2026_ROOT'),
    });
    assert.equal(tegu.verdict, 'no_ids');
    assert.equal(tegu.verification.anchor, 'google-ec-ca1');
  },
);

test('the instant matters: the Pixel 9 Pro chain has expired intermediates today', { skip }, () => {
  const r = attest(pem('caiman_sdk36_TEE_EC_RKP'), { at: new Date('2026-11-29T00:00:00Z') });
  assert.equal(r.verdict, 'invalid');
  const expired = r.verification.problems.filter((p) => p.code === 'expired');
  assert.deepEqual(
    expired.map((p) => p.certificate),
    [1, 2],
  );
});

test('refused upstream samples: malformed RootOfTrust, tags out of order', { skip }, () => {
  const at = new Date('2026-02-14T00:00:00Z');
  const rot = attest(pem('invalid_malformed_rot_device_locked'), { at });
  assert.equal(rot.verdict, 'invalid');
  assert.ok(
    rot.reasons.some((x) => /not DER-encoded: hardwareEnforced\.rootOfTrust \(tag 704\)/.test(x)),
    rot.reasons.join('; '),
  );
  const tags = attest(pem('invalid_tags_not_in_ascending_order'), { at });
  assert.equal(tags.verdict, 'invalid');
  assert.ok(
    tags.reasons.some((x) => /not in ascending order/.test(x)),
    tags.reasons.join('; '),
  );
});

test('a real chain is refused when its root key is not a trust anchor', { skip }, async () => {
  const own = await makeChain();
  const name = 'blueline_sdk28_TEE_RSA_BASE_IMEI';
  const r = attest(pem(name), { at: createdAt(name), anchors: [own.anchor] });
  assert.equal(r.verdict, 'invalid');
  assert.deepEqual(
    r.verification.problems.map((p) => p.code),
    ['unknown_root'],
  );
  assert.equal(googleTrustAnchors().length, 2);
});
