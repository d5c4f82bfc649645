/**
 * Applying a delta between check snapshots (snapshot-delta-format.ts; snapshot-diff.ts makes
 * them): `applyDelta(A, delta)` makes a new snapshot that answers every check as the delta's
 * target B does.
 *
 * Applying never touches A (it may be serving checks). The IMEI changes go into a new overlay
 * (imei-overlay.ts) over A's base table, which the new snapshot shares: O(changes), whatever the
 * table's size; an overlay grown past its bound is folded into a copy of the base. The pair table
 * and the TAC bitmap, small, are copied and changed; a removed pair keeps its slot with IMSI key
 * 0 (never a valid key): lookups probe past it and later inserts reuse it. A pair table that
 * would grow past its load limit is rebuilt. The result's content digest, updated per change,
 * must be the target's, else the delta is refused.
 */
import { checkPolicy } from './check-engine.js';
import { EMPTY_KEY, ImeiIndex } from './imei-index.js';
import { ImeiOverlay, MAX_OVERLAY, foldOverlay } from './imei-overlay.js';
import { PairIndex, pairSlot } from './pair-index.js';
import { ContentDigest, DigestTag } from './snapshot-digest.js';
import { SnapshotDeltaError, type SnapshotDelta } from './snapshot-delta-format.js';
import type { EirSnapshot } from './snapshot-format.js';

/** A snapshot with its content digest (what a follower keeps). */
export interface DigestedSnapshot {
  readonly snapshot: EirSnapshot;
  readonly digest: string;
}

export interface ApplyOptions {
  /** Most IMEIs an overlay holds before it is folded into the base (default MAX_OVERLAY). */
  readonly maxOverlay?: number;
}

/** Live pairs of a pair index. */
function* livePairs(p: PairIndex): Generator<[number, number]> {
  for (let i = 0; i < p.imeis.length; i++)
    if (p.imeis[i] !== EMPTY_KEY && p.imsis[i]! > 0) yield [p.imeis[i]!, p.imsis[i]!];
}

function applyIndex(
  a: ImeiIndex,
  d: SnapshotDelta,
  digest: ContentDigest,
  maxOverlay: number,
): ImeiIndex {
  for (let i = 0; i < d.imeis.length; i++) {
    const k = d.imeis[i]!;
    const s = d.statuses[i]!;
    if (!(Number.isSafeInteger(k) && k >= 0 && k < 1e14))
      throw new SnapshotDeltaError('corrupt', `delta: not an IMEI number: ${k}`);
    const old = a.get(k);
    if (old !== 0) digest.update(DigestTag.IMEI, k, old, -1);
    if (s !== 0) digest.update(DigestTag.IMEI, k, s, 1);
  }
  const next = new ImeiIndex(a.buckets, ImeiOverlay.build(d.imeis, d.statuses, a.overlay));
  return next.overlay!.size > maxOverlay ? foldOverlay(next) : next;
}

function applyPairs(p: PairIndex, d: SnapshotDelta, digest: ContentDigest): PairIndex {
  const removed = d.pairsRemoved;
  const added = d.pairsAdded;
  let live = 0;
  for (let i = 0; i < p.imeis.length; i++) if (p.imeis[i] !== EMPTY_KEY && p.imsis[i]! > 0) live++;
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
export function applyDelta(
  base: DigestedSnapshot,
  d: SnapshotDelta,
  options: ApplyOptions = {},
): DigestedSnapshot {
  const a = base.snapshot;
  if (d.from.id !== a.version.id || d.from.digest !== base.digest)
    throw new SnapshotDeltaError(
      'base',
      `delta from ${d.from.id} (${d.from.digest}) does not apply to ${a.version.id} (${base.digest})`,
    );
  const digest = ContentDigest.parse(base.digest);
  // Tables without changes are shared with the base (a served snapshot is never written to).
  const index =
    d.imeis.length > 0
      ? applyIndex(a.index, d, digest, options.maxOverlay ?? MAX_OVERLAY)
      : a.index;
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
