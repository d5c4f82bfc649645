/**
 * Deltas between check snapshots (snapshot-delta-format.ts): `diffSnapshots(A, B)` lists what
 * changed, `applyDelta(A, delta)` makes a new snapshot that answers every check as B does.
 *
 * Applying never touches A (it may be serving checks): the tables are copied, changed and
 * wrapped in a new snapshot, which the caller swaps in. An IMEI that leaves every list keeps its
 * lane with status 0 (a check treats status 0 as "in no list", exactly as an absent IMEI), and a
 * removed pair keeps its slot with IMSI key 0 (never a valid key): lookups probe past them and
 * later inserts reuse them. A table that would grow past its load limit is rebuilt. The result's
 * content digest, updated per change, must be the target's, else the delta is refused.
 */
import { checkPolicy } from './check-engine.js';
import {
  BUCKET_WORDS,
  EMPTY_KEY,
  ImeiIndex,
  ImeiIndexBuilder,
  LANES,
  imeiSlot,
} from './imei-index.js';
import { PairIndex, pairSlot } from './pair-index.js';
import { ContentDigest, DigestTag, contentDigest } from './snapshot-digest.js';
import { SnapshotDeltaError, type SnapshotDelta } from './snapshot-delta-format.js';
import type { EirSnapshot } from './snapshot-format.js';

/** A snapshot with its content digest (what a follower keeps). */
export interface DigestedSnapshot {
  readonly snapshot: EirSnapshot;
  readonly digest: string;
}

const statusView = (f: Float64Array) => new Uint16Array(f.buffer, f.byteOffset, f.length * 4);

/** Live (status != 0) entries of an index. */
function* liveEntries(index: ImeiIndex): Generator<[number, number]> {
  for (const [k, s] of index.entries()) if (s !== 0) yield [k, s];
}

/** Live pairs of a pair index. */
function* livePairs(p: PairIndex): Generator<[number, number]> {
  for (let i = 0; i < p.imeis.length; i++)
    if (p.imeis[i] !== EMPTY_KEY && p.imsis[i]! > 0) yield [p.imeis[i]!, p.imsis[i]!];
}

/** The delta that turns `a` into `b`. Digests are computed when not given. */
export function diffSnapshots(
  a: EirSnapshot,
  b: EirSnapshot,
  digests: { a?: string; b?: string } = {},
): SnapshotDelta {
  const keys: number[] = [];
  const statuses: number[] = [];
  // Every live entry of `from` whose status in `other` differs (`gone`: only those absent there).
  const scan = (from: ImeiIndex, other: ImeiIndex, gone: boolean) => {
    const f = from.buckets;
    const st = statusView(f);
    for (let w = 0; w < f.length; w += BUCKET_WORDS)
      for (let j = 0; j < LANES; j++) {
        const k = f[w + j]!;
        if (k === EMPTY_KEY) continue;
        const s = st[w * 4 + 24 + j]!;
        if (s === 0) continue;
        const o = other.get(k);
        if (gone ? o === 0 : o !== s) {
          keys.push(k);
          statuses.push(gone ? 0 : s);
        }
      }
  };
  scan(b.index, a.index, false);
  scan(a.index, b.index, true);
  const pairs = (from: PairIndex, notIn: PairIndex) => {
    const i: number[] = [];
    const s: number[] = [];
    for (const [x, y] of livePairs(from))
      if (!notIn.has(x, y)) {
        i.push(x);
        s.push(y);
      }
    return { imeis: Float64Array.from(i), imsis: Float64Array.from(s) };
  };
  const offsets: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < b.tacBitmap.length; i++)
    if (a.tacBitmap[i] !== b.tacBitmap[i]) {
      offsets.push(i);
      values.push(b.tacBitmap[i]!);
    }
  return {
    from: { id: a.version.id, digest: digests.a ?? contentDigest(a).hex() },
    to: {
      version: b.version,
      policy: b.policy,
      counts: b.counts,
      reasonSets: b.reasonSets,
      malformed: b.malformed,
      tacCount: b.tacCount,
      digest: digests.b ?? contentDigest(b).hex(),
    },
    imeis: Float64Array.from(keys),
    statuses: Uint16Array.from(statuses),
    pairsAdded: pairs(b.pairs, a.pairs),
    pairsRemoved: pairs(a.pairs, b.pairs),
    tacOffsets: Uint32Array.from(offsets),
    tacValues: Uint8Array.from(values),
  };
}

/** Non-empty lanes of a bucket array. */
function occupied(f: Float64Array): number {
  let n = 0;
  for (let b = 0; b < f.length; b += BUCKET_WORDS)
    for (let j = 0; j < LANES; j++) if (f[b + j] !== EMPTY_KEY) n++;
  return n;
}

/** Sets the status of `key` in a bucket array (inserting it, reusing a status-0 lane first). */
function setStatus(f: Float64Array, st: Uint16Array, key: number, status: number): void {
  const nb = f.length / BUCKET_WORDS;
  const shift = 32 - Math.log2(nb);
  let reuse = -1;
  let b = imeiSlot(key, shift);
  for (;;) {
    const base = b * BUCKET_WORDS;
    for (let j = 0; j < LANES; j++) {
      const k = f[base + j]!;
      if (k === key) {
        st[base * 4 + 24 + j] = status;
        return;
      }
      if (k === EMPTY_KEY) {
        if (status === 0) return;
        const w = reuse >= 0 ? reuse : base + j;
        f[w] = key;
        st[(w - (w % BUCKET_WORDS)) * 4 + 24 + (w % BUCKET_WORDS)] = status;
        return;
      }
      if (reuse < 0 && st[base * 4 + 24 + j] === 0) reuse = base + j;
    }
    b = (b + 1) & (nb - 1);
  }
}

function applyIndex(a: ImeiIndex, d: SnapshotDelta, digest: ContentDigest): ImeiIndex {
  let inserts = 0;
  for (let i = 0; i < d.imeis.length; i++) {
    const k = d.imeis[i]!;
    const s = d.statuses[i]!;
    if (!(Number.isSafeInteger(k) && k >= 0 && k < 1e14))
      throw new SnapshotDeltaError('corrupt', `delta: not an IMEI number: ${k}`);
    const old = a.get(k);
    if (old !== 0) digest.update(DigestTag.IMEI, k, old, -1);
    else if (s !== 0) inserts++;
    if (s !== 0) digest.update(DigestTag.IMEI, k, s, 1);
  }
  if (occupied(a.buckets) + inserts <= a.capacity * 0.9) {
    const f = a.buckets.slice();
    const st = statusView(f);
    for (let i = 0; i < d.imeis.length; i++) setStatus(f, st, d.imeis[i]!, d.statuses[i]!);
    return new ImeiIndex(f);
  }
  // Past the load limit: rebuild from the live entries.
  const changed = new Map<number, number>();
  for (let i = 0; i < d.imeis.length; i++) changed.set(d.imeis[i]!, d.statuses[i]!);
  const b = new ImeiIndexBuilder(occupied(a.buckets) + inserts);
  const put = (k: number, s: number) => b.add(k, s & 15, s >>> 4);
  for (const [k, s] of liveEntries(a)) if (!changed.has(k)) put(k, s);
  for (const [k, s] of changed) if (s !== 0) put(k, s);
  return b.build();
}

function applyPairs(p: PairIndex, d: SnapshotDelta, digest: ContentDigest): PairIndex {
  const removed = d.pairsRemoved;
  const added = d.pairsAdded;
  const live = [...livePairs(p)].length;
  if (live + added.imeis.length > p.capacity * 0.75) {
    const gone = new Set<string>();
    for (let i = 0; i < removed.imeis.length; i++) {
      if (!p.has(removed.imeis[i]!, removed.imsis[i]!))
        throw new SnapshotDeltaError('base', 'delta removes a pair its base does not have');
      digest.update(DigestTag.PAIR, removed.imeis[i]!, removed.imsis[i]!, -1);
      gone.add(`${removed.imeis[i]},${removed.imsis[i]}`);
    }
    const imeis: number[] = [];
    const imsis: number[] = [];
    for (const [x, y] of livePairs(p))
      if (!gone.has(`${x},${y}`)) {
        imeis.push(x);
        imsis.push(y);
      }
    for (let i = 0; i < added.imeis.length; i++) {
      if (
        p.has(added.imeis[i]!, added.imsis[i]!) &&
        !gone.has(`${added.imeis[i]},${added.imsis[i]}`)
      )
        throw new SnapshotDeltaError('base', 'delta adds a pair its base already has');
      digest.update(DigestTag.PAIR, added.imeis[i]!, added.imsis[i]!, 1);
      imeis.push(added.imeis[i]!);
      imsis.push(added.imsis[i]!);
    }
    return PairIndex.build(Float64Array.from(imeis), Float64Array.from(imsis));
  }
  const ti = p.imeis.slice();
  const ts = p.imsis.slice();
  const mask = ti.length - 1;
  const shift = 32 - Math.log2(ti.length);
  for (let j = 0; j < removed.imeis.length; j++) {
    const a = removed.imeis[j]!;
    const b = removed.imsis[j]!;
    let i = pairSlot(a, b, shift);
    for (;;) {
      if (ti[i] === EMPTY_KEY)
        throw new SnapshotDeltaError('base', 'delta removes a pair its base does not have');
      if (ti[i] === a && ts[i] === b) break;
      i = (i + 1) & mask;
    }
    ts[i] = 0;
    digest.update(DigestTag.PAIR, a, b, -1);
  }
  for (let j = 0; j < added.imeis.length; j++) {
    const a = added.imeis[j]!;
    const b = added.imsis[j]!;
    if (!(Number.isSafeInteger(a) && a >= 0 && a < 1e14 && Number.isSafeInteger(b) && b > 0))
      throw new SnapshotDeltaError('corrupt', `delta: not an IMEI+IMSI key pair: ${a}, ${b}`);
    let i = pairSlot(a, b, shift);
    let reuse = -1;
    for (;;) {
      if (ti[i] === EMPTY_KEY) break;
      if (ti[i] === a && ts[i] === b)
        throw new SnapshotDeltaError('base', 'delta adds a pair its base already has');
      if (reuse < 0 && ts[i] === 0) reuse = i;
      i = (i + 1) & mask;
    }
    const w = reuse >= 0 ? reuse : i;
    ti[w] = a;
    ts[w] = b;
    digest.update(DigestTag.PAIR, a, b, 1);
  }
  return new PairIndex(ti, ts);
}

/**
 * Applies `d` to `base` (whose content digest is `base.digest`). Throws SnapshotDeltaError:
 * `base` when the delta was made from another snapshot, `mismatch` when the result is not the
 * target. `base` is left unchanged.
 */
export function applyDelta(base: DigestedSnapshot, d: SnapshotDelta): DigestedSnapshot {
  const a = base.snapshot;
  if (d.from.id !== a.version.id || d.from.digest !== base.digest)
    throw new SnapshotDeltaError(
      'base',
      `delta from ${d.from.id} (${d.from.digest}) does not apply to ${a.version.id} (${base.digest})`,
    );
  const digest = ContentDigest.parse(base.digest);
  // Tables without changes are shared with the base (a served snapshot is never written to).
  const index = d.imeis.length > 0 ? applyIndex(a.index, d, digest) : a.index;
  const pairs =
    d.pairsAdded.imeis.length + d.pairsRemoved.imeis.length > 0
      ? applyPairs(a.pairs, d, digest)
      : a.pairs;
  const tacBitmap = d.tacOffsets.length > 0 ? a.tacBitmap.slice() : a.tacBitmap;
  for (let i = 0; i < d.tacOffsets.length; i++) {
    const o = d.tacOffsets[i]!;
    if (o >= tacBitmap.length)
      throw new SnapshotDeltaError('corrupt', `delta: TAC-bitmap offset ${o} out of range`);
    if (tacBitmap[o] !== 0) digest.update(DigestTag.TAC, o, tacBitmap[o]!, -1);
    tacBitmap[o] = d.tacValues[i]!;
    if (tacBitmap[o] !== 0) digest.update(DigestTag.TAC, o, tacBitmap[o]!, 1);
  }
  if (digest.hex() !== d.to.digest)
    throw new SnapshotDeltaError(
      'mismatch',
      `delta to ${d.to.version.id}: content digest ${digest.hex()} after applying, expected ${d.to.digest}`,
    );
  const t = d.to;
  return {
    snapshot: {
      version: t.version,
      policy: checkPolicy(t.policy),
      counts: t.counts,
      reasonSets: t.reasonSets,
      index,
      pairs,
      tacBitmap,
      tacCount: t.tacCount,
      malformed: t.malformed,
      sha256: '',
    },
    digest: digest.hex(),
  };
}
