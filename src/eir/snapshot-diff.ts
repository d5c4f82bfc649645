/**
 * The delta between two check snapshots (snapshot-delta-format.ts): `diffSnapshots(A, B)` lists
 * what changed, so that `applyDelta(A, delta)` (snapshot-delta.ts) answers every check as B does.
 *
 * Two snapshots built the same way with tables of the same sizes (one list run and the next)
 * hold most entries in the same lanes, byte for byte. So the tables are compared 4 KiB at a time
 * (memcmp), and only the lanes (pair slots, bitmap bytes) that differ are looked at. This gives
 * exactly the delta of a full scan: a lane identical in both tables holds the same entry with the
 * same status in both (each IMEI has one lane in a table), so it is in neither A \ B nor B \ A;
 * every other entry lies in a differing lane and is tested as the full scan tests it. B's content
 * digest follows the same way, in O(changes): A's, minus the live entries of A in the differing
 * lanes, plus those of B (identical lanes add the same to both sums). Tables of other sizes, or
 * with an overlay, take the full scan (O(entries)).
 */
import { BUCKET_WORDS, EMPTY_KEY, ImeiIndex, LANES } from './imei-index.js';
import { foldOverlay } from './imei-overlay.js';
import { PairIndex } from './pair-index.js';
import { ContentDigest, DigestTag, contentDigest } from './snapshot-digest.js';
import type { SnapshotDelta } from './snapshot-delta-format.js';
import type { EirSnapshot } from './snapshot-format.js';

/** Bytes compared at once before looking at lanes. */
const CHUNK = 4096;

/** Changes found: IMEIs and their new statuses, pairs added and removed, bitmap bytes. */
class Changes {
  readonly keys: number[] = [];
  readonly statuses: number[] = [];
  readonly added: [number[], number[]] = [[], []];
  readonly removed: [number[], number[]] = [[], []];
  readonly offsets: number[] = [];
  readonly values: number[] = [];
}

const bytesOf = (a: Float64Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Indexes of the CHUNK-byte chunks where two equally long arrays differ. */
function differingChunks(a: Float64Array | Uint8Array, b: Float64Array | Uint8Array): number[] {
  const x = bytesOf(a);
  const y = bytesOf(b);
  const out: number[] = [];
  for (let s = 0, c = 0; s < x.length; s += CHUNK, c++) {
    const e = Math.min(x.length, s + CHUNK);
    if (x.compare(y, s, e, s, e) !== 0) out.push(c);
  }
  return out;
}

const statusView = (f: Float64Array) => new Uint16Array(f.buffer, f.byteOffset, f.length * 4);

/** IMEI changes from the differing lanes of two tables of one size (no overlays). */
function imeiLanes(a: ImeiIndex, b: ImeiIndex, sum: ContentDigest, out: Changes): void {
  const fa = a.buckets;
  const fb = b.buckets;
  const sa = statusView(fa);
  const sb = statusView(fb);
  const wordsPerChunk = CHUNK / 8;
  for (const c of differingChunks(fa, fb)) {
    const end = Math.min(fa.length, (c + 1) * wordsPerChunk);
    for (let w = c * wordsPerChunk; w < end; w += BUCKET_WORDS)
      for (let j = 0; j < LANES; j++) {
        const ka = fa[w + j]!;
        const kb = fb[w + j]!;
        const va = ka === EMPTY_KEY ? 0 : sa[w * 4 + 24 + j]!;
        const vb = kb === EMPTY_KEY ? 0 : sb[w * 4 + 24 + j]!;
        if (ka === kb && va === vb) continue;
        if (vb !== 0) {
          sum.update(DigestTag.IMEI, kb, vb, 1);
          if (a.get(kb) !== vb) {
            out.keys.push(kb);
            out.statuses.push(vb);
          }
        }
        if (va !== 0) {
          sum.update(DigestTag.IMEI, ka, va, -1);
          if (b.get(ka) === 0) {
            out.keys.push(ka);
            out.statuses.push(0);
          }
        }
      }
  }
}

/** IMEI changes by a scan of both tables (any sizes, overlays folded). */
function imeiScan(a: ImeiIndex, b: ImeiIndex, out: Changes): void {
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
          out.keys.push(k);
          out.statuses.push(gone ? 0 : s);
        }
      }
  };
  const fa = foldOverlay(a);
  const fb = foldOverlay(b);
  scan(fb, fa, false);
  scan(fa, fb, true);
}

const live = (p: PairIndex, i: number) => p.imeis[i] !== EMPTY_KEY && p.imsis[i]! > 0;

/** Pair changes in the differing chunks of two tables of one size. */
function pairSlots(a: PairIndex, b: PairIndex, sum: ContentDigest | null, out: Changes): void {
  const per = CHUNK / 8;
  const look = (i: number) => {
    const ia = a.imeis[i]!;
    const ib = b.imeis[i]!;
    const la = live(a, i);
    const lb = live(b, i);
    if (la === lb && (!la || (ia === ib && a.imsis[i] === b.imsis[i]))) return;
    if (lb) {
      sum?.update(DigestTag.PAIR, ib, b.imsis[i]!, 1);
      if (!a.has(ib, b.imsis[i]!)) {
        out.added[0].push(ib);
        out.added[1].push(b.imsis[i]!);
      }
    }
    if (la) {
      sum?.update(DigestTag.PAIR, ia, a.imsis[i]!, -1);
      if (!b.has(ia, a.imsis[i]!)) {
        out.removed[0].push(ia);
        out.removed[1].push(a.imsis[i]!);
      }
    }
  };
  const chunks = new Set([
    ...differingChunks(a.imeis, b.imeis),
    ...differingChunks(a.imsis, b.imsis),
  ]);
  for (const c of chunks)
    for (let i = c * per; i < Math.min(a.capacity, (c + 1) * per); i++) look(i);
}

/** Pair changes of two tables of any sizes. */
function pairScan(a: PairIndex, b: PairIndex, out: Changes): void {
  for (let i = 0; i < b.capacity; i++)
    if (live(b, i) && !a.has(b.imeis[i]!, b.imsis[i]!)) {
      out.added[0].push(b.imeis[i]!);
      out.added[1].push(b.imsis[i]!);
    }
  for (let i = 0; i < a.capacity; i++)
    if (live(a, i) && !b.has(a.imeis[i]!, a.imsis[i]!)) {
      out.removed[0].push(a.imeis[i]!);
      out.removed[1].push(a.imsis[i]!);
    }
}

/** The delta that turns `a` into `b`. Digests are computed when not given. */
export function diffSnapshots(
  a: EirSnapshot,
  b: EirSnapshot,
  digests: { a?: string; b?: string } = {},
): SnapshotDelta {
  const out = new Changes();
  const da = digests.a ?? contentDigest(a).hex();
  const sameIndex =
    a.index.overlay === null &&
    b.index.overlay === null &&
    a.index.buckets.length === b.index.buckets.length;
  const samePairs = a.pairs.capacity === b.pairs.capacity;
  // B's digest from A's when every table compares lane by lane.
  const sum = sameIndex && samePairs ? ContentDigest.parse(da) : null;
  if (sum) imeiLanes(a.index, b.index, sum, out);
  else imeiScan(a.index, b.index, out);
  if (samePairs) pairSlots(a.pairs, b.pairs, sum, out);
  else pairScan(a.pairs, b.pairs, out);
  for (const c of differingChunks(a.tacBitmap, b.tacBitmap))
    for (let i = c * CHUNK; i < Math.min(b.tacBitmap.length, (c + 1) * CHUNK); i++) {
      const x = a.tacBitmap[i]!;
      const y = b.tacBitmap[i]!;
      if (x === y) continue;
      out.offsets.push(i);
      out.values.push(y);
      if (x !== 0) sum?.update(DigestTag.TAC, i, x, -1);
      if (y !== 0) sum?.update(DigestTag.TAC, i, y, 1);
    }
  return {
    from: { id: a.version.id, digest: da },
    to: {
      version: b.version,
      policy: b.policy,
      counts: b.counts,
      reasonSets: b.reasonSets,
      malformed: b.malformed,
      tacCount: b.tacCount,
      digest: digests.b ?? sum?.hex() ?? contentDigest(b).hex(),
    },
    imeis: Float64Array.from(out.keys),
    statuses: Uint16Array.from(out.statuses),
    pairsAdded: { imeis: Float64Array.from(out.added[0]), imsis: Float64Array.from(out.added[1]) },
    pairsRemoved: {
      imeis: Float64Array.from(out.removed[0]),
      imsis: Float64Array.from(out.removed[1]),
    },
    tacOffsets: Uint32Array.from(out.offsets),
    tacValues: Uint8Array.from(out.values),
  };
}
