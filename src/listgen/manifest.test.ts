import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatError } from '../core/errors.js';
import { generateListKeyPair, keyId, publicKeyPem } from './keys.js';
import {
  MANIFEST_FORMAT,
  parseManifest,
  serializeManifest,
  signManifest,
  verifyManifestSignature,
  type Manifest,
} from './manifest.js';
import { makeListDir } from './test-fixtures.js';
import { verifyListDir } from './verify-list-dir.js';

const problems = async (dir: string, key = fixture.keys.publicKey) => {
  const r = await verifyListDir(dir, key);
  return r.kind === 'ok' ? [] : r.problems.map(formatError);
};

const fixture = await makeListDir();

test('the manifest is canonical: fixed key order, files by name, 2-space JSON, final LF', () => {
  const text = readFileSync(join(fixture.dir, 'manifest.json'), 'utf8');
  assert.ok(text.endsWith('}\n'));
  const m = JSON.parse(text) as Manifest;
  assert.deepEqual(Object.keys(m), [
    'format',
    'country',
    'key_id',
    'generated_at',
    'as_of',
    'run',
    'base_run',
    'files',
  ]);
  assert.equal(m.format, MANIFEST_FORMAT);
  assert.equal(m.key_id, keyId(fixture.keys.publicKey));
  assert.deepEqual(
    m.files.map((f) => f.name),
    [
      '20260131_blacklist.zip',
      '20260131_blacklist_delta.zip',
      '20260131_exceptions_alpha.zip',
      '20260131_notifications_alpha.zip',
    ],
  );
  assert.deepEqual(Object.keys(m.files[0]!), [
    'name',
    'kind',
    'form',
    'operator',
    'rows',
    'sha256',
    'bytes',
  ]);
  assert.deepEqual(m.files[1], {
    ...m.files[1],
    kind: 'blacklist',
    form: 'delta',
    operator: null,
    rows: 2,
  });
  // Serialising the parsed manifest, with keys in any order, gives the same bytes.
  const shuffled = { ...m, files: [...m.files].reverse() };
  const reordered = Object.fromEntries(Object.entries(shuffled).reverse()) as unknown as Manifest;
  assert.equal(serializeManifest(reordered).toString('utf8'), text);
  const parsed = parseManifest(Buffer.from(text));
  assert.equal(parsed.kind, 'ok');
});

test('parseManifest names every schema problem', () => {
  const r = parseManifest(Buffer.from('{"format":"x","files":[{"name":"../a.zip"}]}'));
  assert.equal(r.kind, 'error');
  if (r.kind === 'error') {
    assert.match(r.message, /format/);
    assert.match(r.message, /files\.0\.name/);
    assert.match(r.message, /country/);
  }
  assert.equal(parseManifest(Buffer.from('{')).kind, 'error');
});

test('sign and verify: a raw 64-byte Ed25519 signature of the exact bytes', () => {
  const bytes = readFileSync(join(fixture.dir, 'manifest.json'));
  const sig = signManifest(bytes, fixture.keys.privateKey);
  assert.equal(sig.length, 64);
  assert.deepEqual(sig, readFileSync(join(fixture.dir, 'manifest.sig')));
  assert.ok(verifyManifestSignature(bytes, sig, fixture.keys.publicKey));
  assert.ok(
    !verifyManifestSignature(Buffer.concat([bytes, Buffer.from(' ')]), sig, fixture.keys.publicKey),
  );
  assert.ok(!verifyManifestSignature(bytes, sig, generateListKeyPair().publicKey));
  assert.ok(!verifyManifestSignature(bytes, sig.subarray(1), fixture.keys.publicKey));
});

test('verifyListDir accepts the untouched directory', async () => {
  const r = await verifyListDir(fixture.dir, fixture.keys.publicKey);
  assert.equal(r.kind, 'ok', JSON.stringify(r));
  if (r.kind === 'ok') {
    assert.equal(r.value.files, 4);
    assert.equal(r.value.rows, 6);
  }
});

test('a changed list file is detected (size, SHA-256, and the zip itself), naming the file', async () => {
  const f = await makeListDir(fixture.keys);
  appendFileSync(join(f.dir, '20260131_blacklist.zip'), 'x');
  const p = await problems(f.dir);
  assert.ok(
    p.some((l) => /20260131_blacklist\.zip.*bytes/.test(l)),
    p.join('\n'),
  );
  assert.ok(
    p.some((l) => /20260131_blacklist\.zip.*SHA-256 is [0-9a-f]{64}, the manifest says/.test(l)),
  );
  assert.ok(p.every((l) => l.includes('20260131_blacklist.zip')));
});

test('a list file swapped for another valid zip is caught by hash, rows and header', async () => {
  const f = await makeListDir(fixture.keys);
  copyFileSync(join(f.dir, '20260131_blacklist_delta.zip'), join(f.dir, '20260131_blacklist.zip'));
  const p = await problems(f.dir);
  assert.ok(p.some((l) => /\[rule sha256\]/.test(l)));
  assert.ok(
    p.some((l) => /holds no 20260131_blacklist\.csv/.test(l)),
    p.join('\n'),
  );
});

test('a changed manifest, a wrong key, missing and unlisted files: every problem reported', async () => {
  const f = await makeListDir(fixture.keys);
  const mpath = join(f.dir, 'manifest.json');
  const m = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
  const files = m.files.map((x) => (x.kind === 'notifications' ? { ...x, rows: 2 } : x));
  writeFileSync(mpath, serializeManifest({ ...m, files }));
  rmSync(join(f.dir, '20260131_exceptions_alpha.zip'));
  writeFileSync(join(f.dir, '20260131_blacklist_old.zip'), 'x');
  const p = await problems(f.dir);
  assert.ok(
    p.some((l) => /manifest\.sig: The signature of manifest\.json does not verify/.test(l)),
    p.join('\n'),
  );
  assert.ok(
    p.some((l) => /20260131_exceptions_alpha\.zip: Listed in the manifest but not/.test(l)),
  );
  assert.ok(
    p.some((l) => /20260131_notifications_alpha\.zip: .*has 1 rows, the manifest says 2/.test(l)),
  );
  assert.ok(p.some((l) => /20260131_blacklist_old\.zip: A zip file not listed/.test(l)));

  const other = generateListKeyPair().publicKey;
  const q = await problems(fixture.dir, other);
  assert.ok(q.some((l) => /\[rule signature\]/.test(l)));
  assert.ok(
    q.some((l) =>
      new RegExp(
        `Signed with key ${keyId(fixture.keys.publicKey)}, verifying with key ${keyId(other)}`,
      ).test(l),
    ),
  );
});

test('a missing or truncated signature is reported', async () => {
  const f = await makeListDir(fixture.keys);
  writeFileSync(
    join(f.dir, 'manifest.sig'),
    readFileSync(join(f.dir, 'manifest.sig')).subarray(0, 10),
  );
  assert.ok((await problems(f.dir)).some((l) => /10 bytes, expected 64/.test(l)));
  rmSync(join(f.dir, 'manifest.sig'));
  assert.ok((await problems(f.dir)).some((l) => /No manifest\.sig/.test(l)));
});

test('openssl alone verifies the signature, and sha256sum the files', async (t) => {
  if (spawnSync('which', ['openssl']).status !== 0) return t.skip('openssl is not installed');
  const pub = join(fixture.dir, '..', `ceir-lists-${process.pid}.pub.pem`);
  writeFileSync(pub, publicKeyPem(fixture.keys.publicKey));
  const args = [
    'pkeyutl',
    '-verify',
    '-pubin',
    '-inkey',
    pub,
    '-rawin',
    '-in',
    'manifest.json',
    '-sigfile',
    'manifest.sig',
  ];
  const good = spawnSync('openssl', args, { cwd: fixture.dir, encoding: 'utf8' });
  if (/unknown option|rawin/i.test(good.stderr))
    return t.skip(`this openssl lacks -rawin (needs 3.0+): ${good.stderr}`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /Signature Verified Successfully/);
  // The public key printed by openssl from the private key is the same PEM.
  const f = await makeListDir(fixture.keys);
  appendFileSync(join(f.dir, 'manifest.json'), ' ');
  const bad = spawnSync('openssl', args, { cwd: f.dir, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout + bad.stderr, /Signature Verification Failure/);
  if (spawnSync('which', ['sha256sum']).status === 0) {
    const m = JSON.parse(readFileSync(join(fixture.dir, 'manifest.json'), 'utf8')) as Manifest;
    const sums = m.files.map((x) => `${x.sha256}  ${x.name}\n`).join('');
    const r = spawnSync('sha256sum', ['-c', '-'], {
      cwd: fixture.dir,
      input: sums,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
  rmSync(pub);
});
