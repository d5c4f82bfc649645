import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CheckEngine } from './check-engine.js';
import {
  SnapshotFormatError,
  decodeSnapshot,
  encodeSnapshot,
  readSnapshot,
  snapshotFromData,
  writeSnapshot,
} from './snapshot-format.js';
import { testData } from './test-data.js';

const dir = mkdtempSync(join(tmpdir(), 'ceir-snap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const K = (snr: number) => `35209900${String(snr).padStart(6, '0')}`;
const data = testData({
  black: [
    [K(1), 1],
    [K(2), 2],
  ],
  grey: [[K(3), 1]],
  golden: [K(4)],
  exceptions: [[K(1), '001010000000001']],
  tacs: ['35209900'],
  malformed: [{ text: 'ABC', kind: 'black', reasonSet: 2 }],
});
const probes: [string, string?][] = [
  [K(1)],
  [K(1), '001010000000001'],
  [K(2)],
  [K(3)],
  [K(4)],
  [K(5)],
  ['99999999000000'],
  ['abc'],
  ['junk'],
];

test('round trip: a written snapshot reads back with the same decisions and version', async () => {
  const snap = snapshotFromData(data, { policy: { unknownTac: 'greylisted' } });
  const path = join(dir, 'a.snap');
  const { snapshot, bytes } = await writeSnapshot(path, snap);
  assert.equal(readFileSync(path).length, bytes);
  assert.match(snapshot.sha256, /^[0-9a-f]{64}$/);
  const back = await readSnapshot(path);
  assert.deepEqual(back.version, snap.version);
  assert.deepEqual(back.policy, snap.policy);
  assert.deepEqual(back.counts, snap.counts);
  assert.equal(back.sha256, snapshot.sha256);
  const a = new CheckEngine(snap);
  const b = new CheckEngine(back);
  for (const [imei, imsi] of probes) assert.deepEqual(b.check(imei, imsi), a.check(imei, imsi));
  assert.equal(b.version, a.version);
  // No temporary file is left behind.
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('.tmp-')),
    [],
  );
  // decodeSnapshot (in memory) agrees, also from an unaligned copy.
  const bytesOnDisk = readFileSync(path);
  const unaligned = new Uint8Array(bytesOnDisk.length + 1).subarray(1);
  unaligned.set(bytesOnDisk);
  assert.deepEqual(new CheckEngine(decodeSnapshot(unaligned)).check(K(1)), a.check(K(1)));
});

test('tampering: any flipped byte makes the load refuse with a clear error', async () => {
  const snap = snapshotFromData(data);
  const { parts } = encodeSnapshot(snap);
  const image = Buffer.concat(parts);
  const path = join(dir, 'b.snap');
  // Bytes in the header, the metadata, the index sections, the TAC bitmap and the digest.
  const positions = fc.sample(fc.integer({ min: 0, max: image.length - 1 }), 12);
  positions.push(0, 9, 20, 200, image.length - 1, image.length - 40);
  for (const pos of positions) {
    const bad = Buffer.from(image);
    bad[pos] = bad[pos]! ^ 0x01;
    writeFileSync(path, bad);
    await assert.rejects(
      readSnapshot(path),
      (e: unknown) =>
        e instanceof SnapshotFormatError &&
        /checksum mismatch, refused|not a CEIR check snapshot/.test(e.message),
      `flipped byte ${pos}`,
    );
    assert.throws(() => decodeSnapshot(bad), SnapshotFormatError);
  }
  writeFileSync(path, image.subarray(0, 20));
  await assert.rejects(readSnapshot(path), /checksum mismatch|too short/);
  writeFileSync(path, image);
  await readSnapshot(path);
});
