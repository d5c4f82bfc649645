/**
 * The attestation API in process over a real node:http server on loopback: challenge, submission,
 * single use, expiry, verdicts, refusals, and the record kept per IMEI.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AttestationService, NO_REVOCATIONS } from '../../attestation/index.js';
import { makeChain } from '../../attestation/test-chains.js';
import { DuckDbAttestationStore } from '../../store/duckdb/attestations.js';
import { openTempStore, type TempStore } from '../../store/duckdb/rules/test-support.js';
import { attestationHttpHandler } from './attestation-http.js';
import type { TestChain } from '../../attestation/test-chains.js';

let ts: TempStore;
let store: DuckDbAttestationStore;
let server: Server;
let base: string;
let strictBase: string;
let now = Date.UTC(2026, 0, 20, 10, 0, 0);
let anchorChain: TestChain;

before(async () => {
  ts = await openTempStore('ceir-attestation-http-');
  store = new DuckDbAttestationStore(ts.store.db);
  anchorChain = await makeChain();
  const options = {
    anchors: [anchorChain.anchor],
    revocations: NO_REVOCATIONS,
    challengeTtlMs: 60_000,
    now: () => now,
  };
  const lenient = attestationHttpHandler(
    new AttestationService(store, { ...options, policy: { strict: false } }),
  );
  const strict = attestationHttpHandler(
    new AttestationService(store, { ...options, policy: { strict: true } }),
    { basePath: '/strict/attestation' },
  );
  server = createServer((req, res) => {
    void (async () => {
      if (await lenient(req, res)) return;
      if (await strict(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/attestation`;
  strictBase = `http://127.0.0.1:${port}/strict/attestation`;
});
after(async () => {
  await new Promise((r) => server?.close(r));
  await ts?.cleanup();
});

async function post(
  url: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown>; type: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    json: (await res.json()) as Record<string, unknown>,
  };
}

async function challenge(b = base): Promise<string> {
  const r = await post(`${b}/challenges`);
  assert.equal(r.status, 201);
  assert.match(String(r.json.challenge), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.expires_at, new Date(now + 60_000).toISOString());
  return String(r.json.challenge);
}

const bytes = (c: string) => Buffer.from(c, 'base64url');

test('challenge, then a chain attesting it: 201 attested, stored per IMEI; the challenge is used once', async () => {
  const c = await challenge();
  const chain = await makeChain({ keyDescription: { challenge: bytes(c), model: 'Test Phone 1' } });
  const r = await post(`${base}/submissions`, {
    challenge: c,
    chain: chain.ders.map((d) => Buffer.from(d).toString('base64')),
    claimed_imei: '352099001761481',
    claimed_imsi: '001010000000001',
    client: 'pos-17',
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.verdict, 'attested');
  assert.deepEqual(r.json.attested_imeis, ['35209900176148']);
  assert.equal(r.json.imei_mismatch, false);
  const stored = await store.attestationsOf('35209900176148');
  assert.equal(stored.length, 1);
  assert.equal(stored[0]?.id, r.json.id);
  assert.equal(stored[0]?.model, 'Test Phone 1');
  assert.equal(stored[0]?.claimedImsi, '001010000000001');
  assert.equal(stored[0]?.client, 'pos-17');
  const again = await post(`${base}/submissions`, { challenge: c, chain: chain.pem });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'CEIR_ERR_CHALLENGE');
  assert.match(String(again.json.detail), /used already/);
  assert.match(again.type, /application\/problem\+json/);
});

test('a reprogrammed modem IMEI: accepted, imei_mismatch true, recorded under both IMEIs', async () => {
  const c = await challenge();
  const chain = await makeChain({
    keyDescription: { challenge: bytes(c), imei: '490154203237518' },
  });
  const r = await post(`${base}/submissions`, {
    challenge: c,
    chain: chain.pem,
    claimed_imei: '35209900176148',
  });
  assert.equal(r.status, 201);
  assert.equal(r.json.imei_mismatch, true);
  assert.equal((await store.attestationsOf('49015420323751')).length, 1);
});

test('expired challenge: 409; wrong challenge in the chain: 422 invalid, recorded', async () => {
  const c = await challenge();
  now += 60_001;
  const chain = await makeChain({ keyDescription: { challenge: bytes(c) } });
  const late = await post(`${base}/submissions`, { challenge: c, chain: chain.pem });
  assert.equal(late.status, 409);
  assert.match(String(late.json.detail), /expired/);
  const c2 = await challenge();
  const r = await post(`${base}/submissions`, { challenge: c2, chain: chain.pem });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'CEIR_ERR_ATTESTATION');
  assert.equal(r.json.verdict, 'invalid');
  assert.ok((r.json.reasons as string[]).some((x) => x.startsWith('challenge_mismatch')));
  const never = await post(`${base}/submissions`, { challenge: 'A'.repeat(43), chain: chain.pem });
  assert.equal(never.status, 409);
  assert.match(String(never.json.detail), /never issued/);
});

test('weak: accepted by default, 422 under the strict policy', async () => {
  const c = await challenge();
  const weak = await makeChain({ keyDescription: { challenge: bytes(c), deviceLocked: false } });
  const r = await post(`${base}/submissions`, { challenge: c, chain: weak.pem });
  assert.equal(r.status, 201);
  assert.equal(r.json.verdict, 'weak');
  const c2 = await challenge(strictBase);
  const weak2 = await makeChain({ keyDescription: { challenge: bytes(c2), deviceLocked: false } });
  const s = await post(`${strictBase}/submissions`, { challenge: c2, chain: weak2.pem });
  assert.equal(s.status, 422);
  assert.equal(s.json.verdict, 'weak');
  assert.equal(s.json.accepted, false);
});

test('bad requests: 400 for bad JSON and fields, 405 for GET, 413 for a huge body, other paths not handled', async () => {
  assert.equal((await post(`${base}/submissions`, '{not json')).status, 400);
  assert.equal((await post(`${base}/submissions`, [1])).status, 400);
  assert.equal((await post(`${base}/submissions`, { challenge: 'x' })).status, 400);
  const badImei = await post(`${base}/submissions`, {
    challenge: await challenge(),
    chain: 'x',
    claimed_imei: 7,
  });
  assert.equal(badImei.status, 400);
  assert.match(String(badImei.json.detail), /claimed_imei/);
  const get = await fetch(`${base}/challenges`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  const huge = await post(`${base}/submissions`, { challenge: 'x', chain: 'A'.repeat(300 * 1024) });
  assert.equal(huge.status, 413);
  assert.equal((await fetch(`${base}/other`, { method: 'POST' })).status, 404);
});
