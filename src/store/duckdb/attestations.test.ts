import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AttestationRecord } from '../../core/ports/attestation-store.js';
import { DuckDbAttestationStore } from './attestations.js';
import { openTempStore, type TempStore } from './rules/test-support.js';

let ts: TempStore;
let store: DuckDbAttestationStore;
before(async () => {
  ts = await openTempStore('ceir-attestations-');
  store = new DuckDbAttestationStore(ts.store.db);
});
after(async () => {
  await ts?.cleanup();
});

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

test('a challenge is used once, before it expires; unknown ones are named', async () => {
  await store.addChallenge('challenge-one-aaaaaaaa', T0, T0 + 300_000);
  await store.addChallenge('challenge-two-bbbbbbbb', T0, T0 + 300_000);
  assert.equal(await store.useChallenge('challenge-one-aaaaaaaa', T0 + 1000), 'ok');
  assert.equal(await store.useChallenge('challenge-one-aaaaaaaa', T0 + 2000), 'used');
  assert.equal(await store.useChallenge('challenge-two-bbbbbbbb', T0 + 300_001), 'expired');
  assert.equal(await store.useChallenge('never-issued-cccccccc', T0), 'unknown');
  // Expired a day ago: forgotten.
  assert.equal(
    await store.useChallenge('challenge-two-bbbbbbbb', T0 + 300_000 + 86_400_001),
    'unknown',
  );
});

function rec(over: Partial<AttestationRecord>): AttestationRecord {
  return {
    id: `id-${Math.random()}`,
    submittedAt: T0,
    verdict: 'attested',
    accepted: true,
    reasons: [],
    imei: '35209900176148',
    secondImei: null,
    meid: null,
    brand: 'google',
    device: 'blueline',
    product: 'blueline',
    serial: null,
    manufacturer: 'Google',
    model: 'Pixel 3',
    claimedImei: null,
    claimedImsi: null,
    client: 'pos-17',
    report: '{}',
    ...over,
  };
}

test('attestations are found by attested, second and claimed IMEI, newest first, round-trip', async () => {
  const a = rec({ id: 'a', submittedAt: T0 });
  const b = rec({
    id: 'b',
    submittedAt: T0 + 5000,
    verdict: 'weak',
    reasons: ['bootloader unlocked (deviceLocked false)'],
    imei: '01234567890123',
    secondImei: '35209900176148',
    claimedImei: '99001200135486',
    claimedImsi: '001010000000001',
    meid: 'A0000012345678',
  });
  const c = rec({ id: 'c', imei: '11111111111111', claimedImei: '35209900176148' });
  for (const r of [a, b, c]) await store.addAttestation(r);
  const got = await store.attestationsOf('35209900176148');
  assert.deepEqual(
    got.map((r) => r.id),
    ['b', 'a', 'c'],
  );
  assert.deepEqual(got[0], b);
  assert.deepEqual(
    (await store.attestationsOf('01234567890123')).map((r) => r.id),
    ['b'],
  );
  assert.deepEqual(
    (await store.attestationsOf('99001200135486')).map((r) => r.id),
    ['b'],
  );
  assert.deepEqual(await store.attestationsOf('ABC'), []);
  assert.deepEqual(await store.attestationsOf('22222222222222'), []);
});
