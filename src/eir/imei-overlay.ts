/**
 * The changes a delta makes to an IMEI index, laid over it instead of copied into it: a small
 * open-addressing table (linear probing, the index's hash) of the IMEIs whose status differs from
 * the base table's, each with its new status (0: the IMEI left every list). A lookup asks the
 * overlay first and the base only when the overlay does not know the IMEI, so applying a delta
 * costs O(changes) and the 128 MB base table of a 10M-IMEI snapshot is shared, unchanged, by
 * every version built on it. An overlay is never changed once built: the next delta builds a new
 * one from the old one and its own changes. `foldOverlay` writes the overlay into a copy of the
 * base (at a full snapshot, when the file is written, or when the overlay grows past its bound).
 */
import {
  BUCKET_WORDS,
  EMPTY_KEY,
  ImeiIndex,
  ImeiIndexBuilder,
  LANES,
  capacityFor,
  imeiSlot,
} from './imei-index.js';

/**
 * Most IMEIs an overlay holds before it is folded into its base: its table (16,384 slots, 160 KB)
 * stays in cache, so a check with a full overlay runs at about 0.9 of the speed without one
 * (bench/RESULTS.md; 65,536 cost a third of the burst speed).
 */
export const MAX_OVERLAY = 1 << 13;

export class ImeiOverlay {
  private readonly mask: number;
  private readonly shift: number;

  private constructor(
    /** Power-of-two table of IMEI numbers; EMPTY_KEY marks a free slot. */
    readonly keys: Float64Array,
    /** The status word of each key (0: in no list). */
    readonly statuses: Uint16Array,
    /** IMEIs held. */
    readonly size: number,
  ) {
    this.mask = keys.length - 1;
    this.shift = 32 - Math.log2(keys.length);
  }

  /**
   * The overlay of `below` (or none) with `keys[i]` set to `statuses[i]` on top: a key in both
   * takes its new status. Throws a RangeError for a key that is not an IMEI number.
   */
  static build(
    keys: ArrayLike<number>,
    statuses: ArrayLike<number>,
    below: ImeiOverlay | null = null,
  ): ImeiOverlay {
    if (keys.length !== statuses.length) throw new RangeError('ImeiOverlay.build: lengths differ');
    const cap = capacityFor((below?.size ?? 0) + keys.length, 0.5);
    const t = new Float64Array(cap).fill(EMPTY_KEY);
    const st = new Uint16Array(cap);
    const shift = 32 - Math.log2(cap);
    let size = 0;
    const put = (key: number, status: number) => {
      let i = imeiSlot(key, shift);
      for (;;) {
        const k = t[i]!;
        if (k === key) break;
        if (k === EMPTY_KEY) {
          t[i] = key;
          size++;
          break;
        }
        i = (i + 1) & (cap - 1);
      }
      st[i] = status;
    };
    if (below)
      for (let i = 0; i < below.keys.length; i++)
        if (below.keys[i] !== EMPTY_KEY) put(below.keys[i]!, below.statuses[i]!);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (!(Number.isSafeInteger(k) && k >= 0 && k < 1e14))
        throw new RangeError(`Not an IMEI number: ${k}`);
      put(k, statuses[i]!);
    }
    return new ImeiOverlay(t, st, size);
  }

  /** The status the overlay gives `key`, or -1 when it leaves it to the base. */
  find(key: number): number {
    const t = this.keys;
    let i = imeiSlot(key, this.shift);
    for (;;) {
      const k = t[i]!;
      if (k === key) return this.statuses[i]!;
      if (k === EMPTY_KEY) return -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Every (key, status) pair, statuses 0 included. */
  *entries(): Generator<[number, number]> {
    for (let i = 0; i < this.keys.length; i++)
      if (this.keys[i] !== EMPTY_KEY) yield [this.keys[i]!, this.statuses[i]!];
  }
}

const statusView = (f: Float64Array) => new Uint16Array(f.buffer, f.byteOffset, f.length * 4);

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

/**
 * The index with its overlay written into a new base table (O(table)): a copy of the base with
 * each overlay entry set in it, or, past the load limit, a table rebuilt from the live entries.
 * An IMEI that left every list keeps its lane with status 0 (a check treats status 0 as "in no
 * list", exactly as an absent IMEI); later inserts reuse such lanes. The index itself is left
 * unchanged (it may be serving checks). An index without an overlay is returned as it is.
 */
export function foldOverlay(index: ImeiIndex): ImeiIndex {
  const o = index.overlay;
  if (o === null) return index;
  const base = new ImeiIndex(index.buckets);
  let inserts = 0;
  for (const [k, s] of o.entries()) if (s !== 0 && base.get(k) === 0) inserts++;
  const used = occupied(index.buckets);
  if (used + inserts <= index.capacity * 0.9) {
    const f = index.buckets.slice();
    const st = statusView(f);
    for (const [k, s] of o.entries()) setStatus(f, st, k, s);
    return new ImeiIndex(f);
  }
  // Past the load limit: rebuild from the live entries.
  const b = new ImeiIndexBuilder(used + inserts);
  for (const [k, s] of index.entries()) if (s !== 0) b.add(k, s & 15, s >>> 4);
  return b.build();
}
