import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ImeiIndex, ImeiIndexBuilder } from './imei-index.js';
import { ImeiOverlay, foldOverlay } from './imei-overlay.js';

// Keys from a small pool so that changes hit base entries, earlier changes and new keys alike;
// a few far apart (other home buckets, the high word of the float).
const key = fc.oneof(
  fc.integer({ min: 0, max: 120 }).map((n) => 35_209_900_000_000 + n),
  fc.constantFrom(0, 99_999_999_999_999, 2 ** 32, 2 ** 33 + 5),
);
// Statuses as the index holds them: flags and a reason-set id, or 0 (left every list).
const status = fc.oneof(
  fc.constant(0),
  fc
    .tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 9 }))
    .map(([f, r]) => f | (r << 4)),
);
const changes = fc.array(fc.tuple(key, status), { maxLength: 40 });

/** A base index of `entries` (distinct keys, non-zero statuses). */
function baseOf(entries: Map<number, number>): ImeiIndex {
  const b = new ImeiIndexBuilder(Math.max(1, entries.size));
  for (const [k, s] of entries) b.add(k, s & 15, s >>> 4);
  return b.build();
}

/** The live content of an index, sorted: what a rebuilt index would hold. */
const live = (i: ImeiIndex) =>
  [...i.entries()].filter(([, s]) => s !== 0).sort((x, y) => x[0] - y[0]);

test('an index with overlays answers exactly as one rebuilt from its content', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          key,
          status.filter((s) => s !== 0),
        ),
        { maxLength: 60 },
      ),
      fc.array(changes, { minLength: 1, maxLength: 4 }),
      fc.array(key, { maxLength: 30 }),
      (baseEntries, steps, probes) => {
        const oracle = new Map(baseEntries);
        let index = baseOf(oracle);
        for (const step of steps) {
          index = new ImeiIndex(
            index.buckets,
            ImeiOverlay.build(
              step.map((c) => c[0]),
              step.map((c) => c[1]),
              index.overlay,
            ),
          );
          for (const [k, s] of step)
            if (s === 0) oracle.delete(k);
            else oracle.set(k, s);
        }
        const rebuilt = baseOf(oracle);
        const all = [...new Set([...probes, ...oracle.keys(), ...steps.flat().map((c) => c[0])])];
        for (const k of all) assert.equal(index.get(k), rebuilt.get(k), `get ${k}`);
        const keys = Float64Array.from(all);
        const got = new Uint16Array(all.length);
        const want = new Uint16Array(all.length);
        index.getMany(keys, all.length, got, new Int32Array(all.length));
        rebuilt.getMany(keys, all.length, want, new Int32Array(all.length));
        assert.deepEqual([...got], [...want]);
        assert.deepEqual(live(index), live(rebuilt));
        // Folded into one table: the same answers, no overlay, the base untouched.
        const before = index.buckets.slice();
        const folded = foldOverlay(index);
        assert.equal(folded.overlay, null);
        for (const k of all) assert.equal(folded.get(k), rebuilt.get(k), `folded ${k}`);
        assert.deepEqual(live(folded), live(rebuilt));
        assert.ok(Buffer.from(index.buckets.buffer).equals(Buffer.from(before.buffer)));
      },
    ),
    { numRuns: 200 },
  );
});

test('an overlay: later changes win, status 0 is kept, non-IMEI keys are refused', () => {
  const o1 = ImeiOverlay.build([5, 6], [1, 2]);
  const o2 = ImeiOverlay.build([6, 7, 7], [0, 3, 4], o1);
  assert.equal(o2.size, 3);
  assert.deepEqual([o2.find(5), o2.find(6), o2.find(7), o2.find(8)], [1, 0, 4, -1]);
  assert.deepEqual([o1.find(6), o1.find(7)], [2, -1]);
  assert.throws(() => ImeiOverlay.build([1e14], [1]), RangeError);
  assert.throws(() => ImeiOverlay.build([-1], [1]), RangeError);
  assert.throws(() => ImeiOverlay.build([1], []), RangeError);
});

test('folding past the load limit rebuilds a larger table', () => {
  const base = baseOf(new Map([[1, 1]]));
  const keys = Array.from({ length: 100 }, (_, i) => 35_209_900_000_000 + i);
  const index = new ImeiIndex(
    base.buckets,
    ImeiOverlay.build(
      keys,
      keys.map(() => 1),
    ),
  );
  const folded = foldOverlay(index);
  assert.ok(folded.capacity > base.capacity);
  assert.equal(folded.count(), 101);
  for (const k of [1, ...keys]) assert.equal(folded.get(k), 1);
});
