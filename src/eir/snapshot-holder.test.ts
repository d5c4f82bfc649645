import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { CheckEngine } from './check-engine.js';
import { SnapshotFormatError, snapshotFromData, writeSnapshot } from './snapshot-format.js';
import { SnapshotHolder } from './snapshot-holder.js';
import { testData } from './test-data.js';

const dir = mkdtempSync(join(tmpdir(), 'ceir-swap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const K = (snr: number) => `35209900${String(snr).padStart(6, '0')}`;
const N = 2000;
// Snapshot A blacklists even serials, B odd ones; both know the TAC.
const make = (parity: number, run: number) =>
  snapshotFromData(
    testData({
      listRun: run,
      black: Array.from({ length: N }, (_, i) => i)
        .filter((i) => i % 2 === parity)
        .map((i) => [K(i), 1] as const),
      tacs: ['35209900'],
    }),
  );

test('swap under concurrent checks: each answer from exactly one snapshot', async () => {
  const a = await writeSnapshot(join(dir, 'a.snap'), make(0, 1));
  const b = await writeSnapshot(join(dir, 'b.snap'), make(1, 2));
  const holder = await SnapshotHolder.open(join(dir, 'a.snap'));
  const versions = new Set([a.snapshot.version.id, b.snapshot.version.id]);
  assert.equal(holder.version, a.snapshot.version.id);
  let stop = false;
  let checked = 0;
  const checker = async () => {
    while (!stop) {
      // One batch answered from one engine reference: all even-black or all odd-black.
      const engine = holder.current;
      const parity = engine.snapshot.version.listRun === 1 ? 0 : 1;
      for (let i = 0; i < N; i += 7) {
        const r = engine.check(K(i));
        assert.equal(r.kind === 'status' && r.status === 'BLACKLISTED', i % 2 === parity);
        // Through the holder: the answer of the snapshot it reports serving.
        const served = holder.current.snapshot.version.listRun === 1 ? 0 : 1;
        const viaHolder = holder.check(K(i));
        assert.equal(
          viaHolder.kind === 'status' && viaHolder.status === 'BLACKLISTED',
          i % 2 === served,
        );
        checked++;
      }
      assert.ok(versions.has(holder.version));
      await tick();
    }
  };
  const loops = [checker(), checker(), checker()];
  for (let s = 0; s < 40; s++) {
    const served = await holder.load(join(dir, s % 2 === 0 ? 'b.snap' : 'a.snap'));
    assert.equal(served.version.id, s % 2 === 0 ? b.snapshot.version.id : a.snapshot.version.id);
    await tick();
  }
  stop = true;
  await Promise.all(loops);
  assert.equal(holder.swapCount, 40);
  assert.ok(checked > 0);
});

test('a refused snapshot leaves the served one in place', async () => {
  const a = await writeSnapshot(join(dir, 'c.snap'), make(0, 3));
  const holder = new SnapshotHolder(new CheckEngine(a.snapshot));
  const bad = join(dir, 'bad.snap');
  writeFileSync(bad, 'CEIRSNAP not really a snapshot at all, just text of some length...');
  await assert.rejects(holder.load(bad), SnapshotFormatError);
  await assert.rejects(holder.load(join(dir, 'missing.snap')), /ENOENT/);
  assert.equal(holder.version, a.snapshot.version.id);
  assert.equal(holder.swapCount, 0);
  const r = holder.check(K(0));
  assert.ok(r.kind === 'status' && r.status === 'BLACKLISTED');
});
