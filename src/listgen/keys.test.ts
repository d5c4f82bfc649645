import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateListKeyPair,
  keyId,
  listKeyPaths,
  loadPrivateKey,
  loadPublicKey,
  parsePublicKey,
  rawPublicKey,
  writeListKeyPair,
} from './keys.js';

const data = mkdtempSync(join(tmpdir(), 'ceir-keys-'));
const paths = listKeyPaths(data);

test('key paths live under <data>/keys', () => {
  assert.equal(paths.privateKey, join(data, 'keys', 'lists-ed25519.pem'));
  assert.equal(paths.publicKey, join(data, 'keys', 'lists-ed25519.pub.pem'));
});

test('a written pair: private PKCS#8 mode 0600 in a 0700 dir, public SPKI; both load back', () => {
  const pair = generateListKeyPair();
  const r = writeListKeyPair(paths, pair);
  assert.equal(r.kind, 'ok');
  assert.equal(statSync(paths.privateKey).mode & 0o777, 0o600);
  assert.equal(statSync(join(data, 'keys')).mode & 0o777, 0o700);
  assert.match(readFileSync(paths.privateKey, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(readFileSync(paths.publicKey, 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
  const priv = loadPrivateKey(paths.privateKey);
  const pub = loadPublicKey(paths.publicKey);
  assert.ok(priv.kind === 'ok' && pub.kind === 'ok');
  if (priv.kind === 'ok' && pub.kind === 'ok') {
    assert.ok(pub.value.equals(pair.publicKey));
    assert.ok(priv.value.equals(pair.privateKey));
    const id = keyId(pub.value);
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(r.kind === 'ok' && r.value.keyId, id);
    assert.equal(rawPublicKey(pub.value).length, 32);
    assert.equal(
      id,
      createHash('sha256').update(rawPublicKey(pub.value)).digest('hex').slice(0, 16),
    );
  }
});

test('an existing key is kept unless forced', () => {
  const before = readFileSync(paths.privateKey);
  const r = writeListKeyPair(paths, generateListKeyPair());
  assert.equal(r.kind, 'error');
  assert.match(r.kind === 'error' ? r.message : '', /already exists.*--force/);
  assert.deepEqual(readFileSync(paths.privateKey), before);
  const f = writeListKeyPair(paths, generateListKeyPair(), { force: true });
  assert.equal(f.kind, 'ok');
  assert.notDeepEqual(readFileSync(paths.privateKey), before);
  assert.equal(statSync(paths.privateKey).mode & 0o777, 0o600);
});

test('missing, unparsable and non-Ed25519 keys are errors, not throws', async () => {
  const none = loadPublicKey(join(data, 'nope.pem'));
  assert.equal(none.kind === 'error' && none.code, 'CEIR_ERR_NOT_FOUND');
  const junk = join(data, 'junk.pem');
  writeFileSync(junk, 'not a key');
  assert.equal(loadPublicKey(junk).kind, 'error');
  assert.equal(loadPrivateKey(junk).kind, 'error');
  const { generateKeyPairSync } = await import('node:crypto');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const r = parsePublicKey(
    ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    'ec.pem',
  );
  assert.match(r.kind === 'error' ? r.message : '', /ec\.pem is a ec public key, not Ed25519/);
});

test('openssl derives the same public key from the private key file', (t) => {
  if (spawnSync('which', ['openssl']).status !== 0) return t.skip('openssl is not installed');
  const r = spawnSync('openssl', ['pkey', '-in', paths.privateKey, '-pubout'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(paths.publicKey, 'utf8'));
  // The key id as docs/lists.md computes it with openssl and coreutils.
  const sh = `openssl pkey -pubin -in '${paths.publicKey}' -outform DER | tail -c 32 | sha256sum | cut -c1-16`;
  const id = spawnSync('sh', ['-c', sh], { encoding: 'utf8' });
  const pub = loadPublicKey(paths.publicKey);
  assert.equal(id.stdout.trim(), pub.kind === 'ok' ? keyId(pub.value) : 'no key');
});
