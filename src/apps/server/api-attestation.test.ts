/**
 * Issue 8 in the people API (issue 5): `ceir serve`'s API server answers the attestation paths
 * (challenge, submission) over real HTTP beside the API routes, and the public IMEI check says
 * "hardware-attested" for an IMEI a valid attestation names, once its data is (re)loaded.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeChain } from '../../attestation/test-chains.js';
import type { Store } from '../../core/ports/store.js';
import { DuckDbAttestationStore } from '../../store/duckdb/attestations.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { peopleApiForServe, type ServeApi } from './api-server.js';
import { ApiEnv, CLONE, ORDINARY, VICTIM, full } from './api-test-kit.js';

let env: ApiEnv;
/** The IMEI (key) test 2's attestation names. */
const OTHER = '49015420323751';
let serve: ServeApi;
let base: string;
const anchorDir = mkdtempSync(join(tmpdir(), 'ceir-api-attestation-'));

before(async () => {
  const anchor = await makeChain(); // the tests' root key, shared by every makeChain chain
  const anchorFile = join(anchorDir, 'anchor.pem');
  writeFileSync(anchorFile, anchor.rootPem);
  env = await new ApiEnv(
    `attestation: { google_roots: false, trust_anchors: [${JSON.stringify(anchorFile)}] }\n`,
  ).setUp();
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> =>
    fn(await env.ctx.openStore());
  serve = peopleApiForServe(env.ctx, withStore, { host: '127.0.0.1', port: 0, checkWorkers: 0 });
  const port = await serve.start(async () => undefined);
  assert.ok(port);
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  await serve?.close();
  await env?.close();
  rmSync(anchorDir, { recursive: true, force: true });
});

async function post(path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const publicCheck = async (imei: string) =>
  (await env.call('GET', `/api/v1/public/check?imei=${full(imei)}`)).json.checks[0] as Record<
    string,
    unknown
  >;

test('ceir serve: challenge and submission over HTTP; the public check shows hardware-attested after reload', async () => {
  assert.equal((await publicCheck(ORDINARY)).attestation, null);
  const c = await post('/attestation/challenges');
  assert.equal(c.status, 201, JSON.stringify(c.json));
  const challenge = String(c.json.challenge);
  const chain = await makeChain({
    keyDescription: { challenge: Buffer.from(challenge, 'base64url'), imei: full(ORDINARY) },
  });
  const s = await post('/attestation/submissions', {
    challenge,
    chain: chain.pem,
    claimed_imei: full(ORDINARY),
  });
  assert.equal(s.status, 201, JSON.stringify(s.json));
  assert.equal(s.json.verdict, 'attested');
  assert.deepEqual(s.json.attested_imeis, [ORDINARY]);
  // A weak attestation naming CLONE (bootloader unlocked) is kept but does not count.
  const c2 = String((await post('/attestation/challenges')).json.challenge);
  const weak = await makeChain({
    keyDescription: {
      challenge: Buffer.from(c2, 'base64url'),
      imei: full(CLONE),
      deviceLocked: false,
    },
  });
  const w = await post('/attestation/submissions', { challenge: c2, chain: weak.pem });
  assert.equal(w.status, 201, JSON.stringify(w.json));
  assert.equal(w.json.verdict, 'weak');

  // Answered from memory: unchanged until the check data is reloaded.
  assert.equal((await publicCheck(ORDINARY)).attestation, null);
  await env.loadChecks();
  const ordinary = await publicCheck(ORDINARY);
  assert.equal(ordinary.attestation, 'hardware-attested');
  assert.equal(ordinary.status, 'allowed');
  assert.equal((await publicCheck(CLONE)).attestation, null);
  assert.equal((await publicCheck(VICTIM)).attestation, null);

  // The API routes are still served by the same server.
  const r = await fetch(`${base}/api/v1/public/check?imei=${full(ORDINARY)}`);
  assert.equal(r.status, 200);
  const body = (await r.json()) as { checks: { attestation: unknown }[] };
  assert.equal(body.checks[0]?.attestation, null); // the serve API's data is not reloaded yet
});

test('ceir serve: a used challenge is refused; GET on an attestation path is 405', async () => {
  const c = String((await post('/attestation/challenges')).json.challenge);
  const chain = await makeChain({
    keyDescription: { challenge: Buffer.from(c, 'base64url'), imei: '490154203237518' },
  });
  assert.equal(
    (await post('/attestation/submissions', { challenge: c, chain: chain.pem })).status,
    201,
  );
  const again = await post('/attestation/submissions', { challenge: c, chain: chain.pem });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'CEIR_ERR_CHALLENGE');
  const g = await fetch(`${base}/attestation/challenges`);
  assert.equal(g.status, 405);
  await g.arrayBuffer();
});

test('attestedImeis: accepted attested records only, both IMEIs, ascending and distinct', async () => {
  const s = await env.ctx.openStore();
  assert.ok(s instanceof DuckDbStore);
  const a = new DuckDbAttestationStore(s.db);
  const got = [...(await a.attestedImeis())].map((n) => String(n).padStart(14, '0'));
  const want = new Set<string>();
  for (const imei of [ORDINARY, CLONE, VICTIM, OTHER])
    for (const r of await a.attestationsOf(imei))
      if (r.verdict === 'attested' && r.accepted)
        for (const x of [r.imei, r.secondImei]) if (x !== null) want.add(x);
  assert.deepEqual(got, [...want].sort());
  assert.deepEqual(got, [ORDINARY, OTHER]);
});
