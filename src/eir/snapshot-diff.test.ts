import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EMPTY_KEY, ImeiIndex } from './imei-index.js';
import { ImeiOverlay } from './imei-overlay.js';
import { diffSnapshots } from './snapshot-diff.js';
import { contentDigest } from './snapshot-digest.js';
import { snapshotFromData, type EirSnapshot } from './snapshot-format.js';
import { testData, type TestLists } from './test-data.js';

const K = (n: number) => String(35209900000000 + n);
const IMSI = (n: number) => `00101${String(n).padStart(10, '0')}`;

const entry = fc.tuple(fc.integer({ min: 0, max: 200 }).map(K), fc.integer({ min: 0, max: 2 }));
const lists = fc.record({
  black: fc.array(entry, { maxLength: 60 }),
  grey: fc.array(entry, { maxLength: 20 }),
  golden: fc.array(fc.integer({ min: 0, max: 200 }).map(K), { maxLength: 5 }),
  exceptions: fc.array(
    fc.tuple(fc.integer({ min: 0, max: 200 }).map(K), fc.integer({ min: 0, max: 3 }).map(IMSI)),
    { maxLength: 20 },
  ),
  tacs: fc.array(fc.integer({ min: 35209890, max: 35209910 }).map(String), { maxLength: 8 }),
});
/** The next list run: a few entries of each list dropped, added or moved to another reason. */
const edits = fc.record({
  drop: fc.array(fc.nat(), { maxLength: 4 }),
  black: fc.array(entry, { maxLength: 4 }),
  grey: fc.array(entry, { maxLength: 2 }),
  exceptions: fc.array(
    fc.tuple(fc.integer({ min: 0, max: 200 }).map(K), fc.integer({ min: 0, max: 3 }).map(IMSI)),
    { maxLength: 3 },
  ),
  tacs: fc.array(fc.integer({ min: 35209890, max: 35209910 }).map(String), { maxLength: 2 }),
});

const uniq = <T extends readonly [string, unknown]>(xs: readonly T[]) => [
  ...new Map(xs.map((x) => [x[0], x])).values(),
];
const snap = (l: TestLists, run: number) =>
  snapshotFromData(
    testData({
      ...l,
      listRun: run,
      black: uniq(l.black ?? []),
      grey: uniq(l.grey ?? []),
      exceptions: [...new Map((l.exceptions ?? []).map((e) => [e.join(), e])).values()],
    }),
    { createdAt: `2026-01-0${run}T00:00:00.000Z` },
  );

function edit(l: TestLists, e: typeof edits extends fc.Arbitrary<infer T> ? T : never): TestLists {
  const without = <T>(xs: readonly T[]) => xs.filter((_, i) => !e.drop.includes(i));
  return {
    ...l,
    black: [...without(l.black ?? []), ...e.black],
    grey: [...without(l.grey ?? []), ...e.grey],
    exceptions: [...without(l.exceptions ?? []), ...e.exceptions],
    tacs: [...without(l.tacs ?? []), ...e.tacs],
  };
}

/** The oracle: every IMEI whose status differs, pairs only in one, bitmap bytes that differ. */
function expected(a: EirSnapshot, b: EirSnapshot, tacs: readonly string[]) {
  const content = (s: EirSnapshot) => new Map([...s.index.entries()].filter(([, v]) => v !== 0));
  const pairs = (s: EirSnapshot) => {
    const out = new Set<string>();
    for (let i = 0; i < s.pairs.capacity; i++)
      if (s.pairs.imeis[i] !== EMPTY_KEY && s.pairs.imsis[i]! > 0)
        out.add(`${s.pairs.imeis[i]}/${s.pairs.imsis[i]}`);
    return out;
  };
  const ca = content(a);
  const cb = content(b);
  const imeis: string[] = [];
  for (const k of new Set([...ca.keys(), ...cb.keys()]))
    if ((ca.get(k) ?? 0) !== (cb.get(k) ?? 0)) imeis.push(`${k}:${cb.get(k) ?? 0}`);
  const pa = pairs(a);
  const pb = pairs(b);
  // Bytes of the TACs in either (every other byte is 0 in both).
  const tac: string[] = [];
  for (const i of [...new Set(tacs.map((t) => Number(t) >>> 3))].sort((x, y) => x - y))
    if (a.tacBitmap[i] !== b.tacBitmap[i]) tac.push(`${i}:${b.tacBitmap[i]}`);
  return {
    imeis: imeis.sort(),
    added: [...pb].filter((p) => !pa.has(p)).sort(),
    removed: [...pa].filter((p) => !pb.has(p)).sort(),
    tac,
  };
}

function got(a: EirSnapshot, b: EirSnapshot) {
  const d = diffSnapshots(a, b, { a: contentDigest(a).hex() });
  const pairs = (p: { imeis: Float64Array; imsis: Float64Array }) =>
    [...p.imeis].map((x, i) => `${x}/${p.imsis[i]}`).sort();
  return {
    delta: {
      imeis: [...d.imeis].map((k, i) => `${k}:${d.statuses[i]}`).sort(),
      added: pairs(d.pairsAdded),
      removed: pairs(d.pairsRemoved),
      tac: [...d.tacOffsets].map((o, i) => `${o}:${d.tacValues[i]}`),
    },
    digest: d.to.digest,
  };
}

test('the diff finds exactly the changes, and the target digest, lane by lane or by a scan', () => {
  let lanes = 0;
  let scans = 0;
  fc.assert(
    fc.property(lists, fc.array(edits, { minLength: 1, maxLength: 3 }), (l, es) => {
      let prev = snap(l, 1);
      let cur: TestLists = l;
      for (const [i, e] of es.entries()) {
        cur = edit(cur, e);
        const next = snap(cur, i + 2);
        const g = got(prev, next);
        assert.deepEqual(
          g.delta,
          expected(prev, next, [...(l.tacs ?? []), ...es.flatMap((x) => x.tacs)]),
        );
        assert.equal(g.digest, contentDigest(next).hex());
        if (prev.index.buckets.length === next.index.buckets.length) lanes++;
        else scans++;
        prev = next;
      }
    }),
    { numRuns: 60 },
  );
  // Both ways were taken.
  assert.ok(lanes > 0 && scans > 0, `${lanes} lane-by-lane, ${scans} scans`);
});

test('the diff reads an overlay as the content it gives', () => {
  const a = snap(
    {
      black: [
        [K(1), 1],
        [K(2), 1],
      ],
    },
    1,
  );
  const b = snap(
    {
      black: [
        [K(2), 2],
        [K(3), 1],
      ],
    },
    2,
  );
  // `a` with an overlay that already removed K(1): only K(2) and K(3) are left to change.
  const over: EirSnapshot = {
    ...a,
    index: new ImeiIndex(a.index.buckets, ImeiOverlay.build([Number(K(1))], [0])),
  };
  const g = got(over, b);
  assert.deepEqual(g.delta, expected(over, b, []));
  assert.deepEqual(g.delta.imeis.length, 2);
  assert.equal(g.digest, contentDigest(b).hex());
});
