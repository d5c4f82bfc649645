import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CheckEngine } from './check-engine.js';
import { EMPTY_KEY } from './imei-index.js';
import { applyDelta, type DigestedSnapshot } from './snapshot-delta.js';
import { diffSnapshots } from './snapshot-diff.js';
import { SnapshotDeltaError, decodeDelta, encodeDelta } from './snapshot-delta-format.js';
import { contentDigest } from './snapshot-digest.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  snapshotFromData,
  type EirSnapshot,
} from './snapshot-format.js';
import { testData, type TestLists } from './test-data.js';

const K = (n: number) => String(35209900000000 + n);
const IMSI = (n: number) => `00101${String(n).padStart(10, '0')}`;

/** Random lists over small pools, so that two of them overlap. */
const lists = (run: number): fc.Arbitrary<TestLists> =>
  fc.record({
    listRun: fc.constant(run),
    black: fc.array(
      fc.tuple(fc.integer({ min: 0, max: 60 }).map(K), fc.integer({ min: 0, max: 2 })),
      {
        maxLength: 40,
      },
    ),
    grey: fc.array(
      fc.tuple(fc.integer({ min: 0, max: 60 }).map(K), fc.integer({ min: 0, max: 2 })),
      {
        maxLength: 40,
      },
    ),
    golden: fc.array(fc.integer({ min: 0, max: 60 }).map(K), { maxLength: 5 }),
    exceptions: fc.array(
      fc.tuple(fc.integer({ min: 0, max: 60 }).map(K), fc.integer({ min: 0, max: 3 }).map(IMSI)),
      { maxLength: 20 },
    ),
    tacs: fc.array(fc.integer({ min: 35209890, max: 35209910 }).map(String), { maxLength: 8 }),
  });

/** Distinct black/grey keys (snapshot data has distinct IMEIs per list). */
function distinct(l: TestLists): TestLists {
  const uniq = <T extends readonly [string, unknown]>(xs: readonly T[] | undefined) => [
    ...new Map((xs ?? []).map((x) => [x[0], x])).values(),
  ];
  return {
    ...l,
    black: uniq(l.black),
    grey: uniq(l.grey),
    golden: [...new Set(l.golden)],
    exceptions: [...new Map((l.exceptions ?? []).map((e) => [e.join(), e])).values()],
  };
}

const snap = (l: TestLists, at: string) =>
  snapshotFromData(testData(distinct(l)), { createdAt: at });
const digested = (s: EirSnapshot): DigestedSnapshot => ({
  snapshot: s,
  digest: contentDigest(s).hex(),
});

function liveEntries(s: EirSnapshot): [number, number][] {
  return [...s.index.entries()].filter(([, v]) => v !== 0).sort((x, y) => x[0] - y[0]);
}
function livePairs(s: EirSnapshot): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.pairs.imeis.length; i++)
    if (s.pairs.imeis[i] !== EMPTY_KEY && s.pairs.imsis[i]! > 0)
      out.push(`${s.pairs.imeis[i]}/${s.pairs.imsis[i]}`);
  return out.sort();
}

/** Asserts that `got` holds what `want` holds and answers every probe as it does. */
function assertSame(got: EirSnapshot, want: EirSnapshot): void {
  assert.deepEqual(liveEntries(got), liveEntries(want));
  assert.deepEqual(livePairs(got), livePairs(want));
  assert.ok(Buffer.from(got.tacBitmap).equals(Buffer.from(want.tacBitmap)));
  assert.deepEqual(got.version, want.version);
  assert.deepEqual(got.counts, want.counts);
  assert.deepEqual(got.reasonSets, want.reasonSets);
  assert.equal(got.tacCount, want.tacCount);
  assert.equal(contentDigest(got).hex(), contentDigest(want).hex());
  const g = new CheckEngine(got);
  const w = new CheckEngine(want);
  for (let n = 0; n <= 61; n++)
    for (const imsi of [undefined, IMSI(0), IMSI(1), IMSI(3)])
      assert.deepEqual(g.check(K(n), imsi), w.check(K(n), imsi), `${K(n)} ${imsi}`);
}

test('applying the delta of (A, B) to A gives B, through the binary form', () => {
  fc.assert(
    fc.property(lists(1), lists(2), (la, lb) => {
      const a = snap(la, '2026-01-01T00:00:00.000Z');
      const b = snap(lb, '2026-01-02T00:00:00.000Z');
      const bytes = encodeDelta(diffSnapshots(a, b));
      const got = applyDelta(digested(a), decodeDelta(bytes));
      assertSame(got.snapshot, b);
      assert.equal(got.digest, contentDigest(b).hex());
      // The base is untouched (it may still be serving).
      assertSame(a, snap(la, '2026-01-01T00:00:00.000Z'));
    }),
    { numRuns: 20 },
  );
});

test('a chain of deltas converges on the last snapshot (overlays, folds, removed entries reused)', () => {
  fc.assert(
    fc.property(
      fc.array(lists(1), { minLength: 2, maxLength: 5 }),
      // 0: every delta folded into a new table; 8: some; the default: none.
      fc.constantFrom(0, 8, undefined),
      (chain, maxOverlay) => {
        const snaps = chain.map((l, i) => snap(l, `2026-01-0${i + 1}T00:00:00.000Z`));
        let cur = digested(snaps[0]!);
        for (let i = 1; i < snaps.length; i++) {
          const d = decodeDelta(encodeDelta(diffSnapshots(snaps[i - 1]!, snaps[i]!)));
          cur = applyDelta(cur, d, maxOverlay === undefined ? {} : { maxOverlay });
          if (i + 1 < snaps.length) assertSame(cur.snapshot, snaps[i]!);
        }
        assertSame(cur.snapshot, snaps.at(-1)!);
        assert.equal(cur.digest, contentDigest(snaps.at(-1)!).hex());
        // Written and read back: the overlay is written into the file's one table.
        assertSame(decodeSnapshot(concat(encodeSnapshot(cur.snapshot).parts)), snaps.at(-1)!);
        // Diffs from a snapshot with an overlay (the publisher's rebuilt head) are exact too.
        const back = applyDelta(cur, diffSnapshots(cur.snapshot, snaps[0]!));
        assertSame(back.snapshot, snaps[0]!);
      },
    ),
    { numRuns: 12 },
  );
});

const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

test('a delta that outgrows the tables rebuilds them', () => {
  const small = snap({ black: [[K(1), 1]] }, '2026-01-01T00:00:00.000Z');
  const many = Array.from({ length: 500 }, (_, i) => [K(i), 1] as const);
  const pairs = Array.from({ length: 100 }, (_, i) => [K(i), IMSI(i)] as const);
  const big = snap({ black: many, exceptions: pairs }, '2026-01-02T00:00:00.000Z');
  const d = decodeDelta(encodeDelta(diffSnapshots(small, big)));
  // Past the overlay's bound, the changes are folded into a new, larger table.
  const got = applyDelta(digested(small), d, { maxOverlay: 100 });
  assert.equal(got.snapshot.index.overlay, null);
  assert.ok(got.snapshot.index.capacity > small.index.capacity);
  assert.ok(got.snapshot.pairs.capacity > small.pairs.capacity);
  assertSame(got.snapshot, big);
  // Within it, they lie over the base's table, shared and unchanged.
  const over = applyDelta(digested(small), d);
  assert.equal(over.snapshot.index.buckets, small.index.buckets);
  assert.equal(over.snapshot.index.overlay?.size, 500);
  assertSame(over.snapshot, big);
  assertSame(small, snap({ black: [[K(1), 1]] }, '2026-01-01T00:00:00.000Z'));
});

test('a delta is refused on another base, corrupt bytes or a wrong result', () => {
  const a = snap({ black: [[K(1), 1]] }, '2026-01-01T00:00:00.000Z');
  const b = snap({ black: [[K(2), 1]] }, '2026-01-02T00:00:00.000Z');
  const c = snap({ grey: [[K(3), 1]] }, '2026-01-03T00:00:00.000Z');
  const ab = encodeDelta(diffSnapshots(a, b));
  const kind = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof SnapshotDeltaError, String(e));
      return e.kind;
    }
    return 'none';
  };
  assert.equal(
    kind(() => applyDelta(digested(c), decodeDelta(ab))),
    'base',
  );
  const flipped = ab.slice();
  flipped[flipped.length - 40]! ^= 1;
  assert.equal(
    kind(() => decodeDelta(flipped)),
    'corrupt',
  );
  assert.equal(
    kind(() => decodeDelta(ab.subarray(0, 20))),
    'corrupt',
  );
  // A delta claiming the right base but another target digest.
  const d = diffSnapshots(a, b);
  const lying = { ...d, to: { ...d.to, digest: contentDigest(c).hex() } };
  assert.equal(
    kind(() => applyDelta(digested(a), decodeDelta(encodeDelta(lying)))),
    'mismatch',
  );
});

test('the content digest ignores table layout but not content', () => {
  const l: TestLists = {
    black: [
      [K(1), 1],
      [K(2), 2],
    ],
    grey: [[K(3), 1]],
    tacs: ['35209900'],
  };
  const x = snap(l, '2026-01-01T00:00:00.000Z');
  const y = snap({ ...l, black: [...l.black!].reverse() }, '2026-01-05T00:00:00.000Z');
  assert.equal(contentDigest(x).hex(), contentDigest(y).hex());
  assert.notEqual(
    contentDigest(x).hex(),
    contentDigest(
      snap(
        {
          ...l,
          black: [
            [K(1), 2],
            [K(2), 2],
          ],
        },
        'x',
      ),
    ).hex(),
  );
});
