/**
 * The IMEI index of the check engine: open addressing (linear probing over cache-line buckets,
 * Fibonacci hashing) of 14-digit IMEI numbers, each with its status bits in the same line. One
 * probe returns every bit a decision needs: BLACK, GREY, GOLDEN, HAS_EXCEPTION and the
 * reason-set id (bits 4-15). 10M IMEIs take 2^21 buckets of 64 bytes: 128 MiB. An index made by
 * applying deltas has an overlay (imei-overlay.ts): the changed IMEIs, asked before the base.
 */
import type { ImeiOverlay } from './imei-overlay.js';

/** Status bits of an IMEI; the reason-set id sits above them (`status >>> REASON_SHIFT`). */
export const ImeiBit = {
  BLACK: 1,
  GREY: 2,
  GOLDEN: 4,
  HAS_EXCEPTION: 8,
} as const;
export const REASON_SHIFT = 4;
/** Reason-set ids fit 12 bits. */
export const MAX_REASON_SET = (1 << (16 - REASON_SHIFT)) - 1;
/** The key of an empty slot (IMEI numbers are >= 0). */
export const EMPTY_KEY = -1;
/** Largest load factor a table is built with. */
const MAX_LOAD = 0.75;

const TWO_32 = 4294967296;

/** Slot of `key` in a table of 2^(32 - shift) slots. */
export function imeiSlot(key: number, shift: number): number {
  const lo = key >>> 0;
  const hi = (key / TWO_32) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}

/** The smallest power of two (at least 16) holding `n` entries at the maximal load. */
export function capacityFor(n: number, maxLoad = MAX_LOAD): number {
  let cap = 16;
  while (cap * maxLoad < n) cap *= 2;
  if (cap > 2 ** 30) throw new RangeError(`Too many entries for one index: ${n}`);
  return cap;
}

/**
 * Buckets of one 64-byte cache line: six IMEI keys (float64), then their six status words
 * (uint16), then padding. A probe reads one line, so a lookup costs one cache miss where two
 * parallel arrays cost two (measured: about 2-3M decisions/s at 10M entries before).
 */
export const LANES = 6;
/** Float64 words per bucket. */
export const BUCKET_WORDS = 8;
/** Largest load (entries / lanes) a table is built with. */
const MAX_BUCKET_LOAD = 0.85;

/** The smallest power of two of buckets (at least 2) holding `n` entries. */
export function bucketsFor(n: number): number {
  let b = 2;
  while (b * LANES * MAX_BUCKET_LOAD < n) b *= 2;
  if (b > 2 ** 27) throw new RangeError(`Too many entries for one index: ${n}`);
  return b;
}

/** A bucket array with every key lane empty. */
function emptyBuckets(nBuckets: number): Float64Array {
  const f = new Float64Array(nBuckets * BUCKET_WORDS);
  for (let b = 0; b < nBuckets; b++) f.fill(EMPTY_KEY, b * BUCKET_WORDS, b * BUCKET_WORDS + LANES);
  return f;
}

export class ImeiIndex {
  private readonly mask: number;
  private readonly shift: number;
  private readonly status: Uint16Array;

  /**
   * `buckets`: the base table, a power of two of buckets, BUCKET_WORDS float64 each (see LANES).
   * `overlay`: the statuses that replace the base's (null: none). With an overlay the base
   * table alone is not the index's content: read it through `get`, `getMany` and `entries`.
   */
  constructor(
    readonly buckets: Float64Array,
    readonly overlay: ImeiOverlay | null = null,
  ) {
    const n = buckets.length / BUCKET_WORDS;
    if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0)
      throw new RangeError(`ImeiIndex needs a power of two of buckets, got ${n}`);
    this.mask = n - 1;
    this.shift = 32 - Math.log2(n);
    this.status = new Uint16Array(buckets.buffer, buckets.byteOffset, buckets.length * 4);
  }

  /** Entry lanes. */
  get capacity(): number {
    return (this.buckets.length / BUCKET_WORDS) * LANES;
  }

  /** The status bits of an IMEI number, 0 when it is in no list. */
  get(key: number): number {
    const o = this.overlay;
    if (o !== null) {
      const s = o.find(key);
      if (s >= 0) return s;
    }
    return this.getBase(key);
  }

  /** The status bits of an IMEI number in the base table (the overlay not asked). */
  getBase(key: number): number {
    const f = this.buckets;
    let b = imeiSlot(key, this.shift);
    for (;;) {
      const base = b * BUCKET_WORDS;
      for (let j = 0; j < LANES; j++) {
        const k = f[base + j]!;
        if (k === key) return this.status[base * 4 + 24 + j]!;
        if (k === EMPTY_KEY) return 0;
      }
      b = (b + 1) & this.mask;
    }
  }

  /**
   * The status bits of `keys[0, n)` into `out` (a bulk lookup, as DPDK's rte_hash_lookup_bulk):
   * a first pass reads the home bucket line of every key, so that their cache and TLB misses
   * overlap instead of being paid one after the other; the second pass probes lines already
   * on their way. Same answers as `get`.
   */
  getMany(keys: Float64Array, n: number, out: Uint16Array, slots: Int32Array): void {
    const f = this.buckets;
    let touch = 0;
    for (let i = 0; i < n; i++) {
      const b = imeiSlot(keys[i]!, this.shift);
      slots[i] = b;
      touch += f[b * BUCKET_WORDS]!;
    }
    this.sink = touch;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      let b = slots[i]!;
      let s = -1;
      while (s < 0) {
        const base = b * BUCKET_WORDS;
        for (let j = 0; j < LANES; j++) {
          const k = f[base + j]!;
          if (k === key) {
            s = this.status[base * 4 + 24 + j]!;
            break;
          }
          if (k === EMPTY_KEY) {
            s = 0;
            break;
          }
        }
        b = (b + 1) & this.mask;
      }
      out[i] = s;
    }
    if (this.overlay !== null) this.overlayMany(this.overlay, keys, n, out);
  }

  /** The overlay's statuses over `getMany`'s answers (apart, so that getMany stays small). */
  private overlayMany(o: ImeiOverlay, keys: Float64Array, n: number, out: Uint16Array): void {
    for (let i = 0; i < n; i++) {
      const s = o.find(keys[i]!);
      if (s >= 0) out[i] = s;
    }
  }

  /** Keeps the first pass of `getMany` from being optimised away. */
  private sink = 0;

  /** Entries in use, status 0 included (a scan; for reports and tests). */
  count(): number {
    let n = 0;
    if (this.overlay !== null) {
      const it = this.entries();
      while (!it.next().done) n++;
      return n;
    }
    const f = this.buckets;
    for (let b = 0; b < f.length; b += BUCKET_WORDS)
      for (let j = 0; j < LANES; j++) if (f[b + j] !== EMPTY_KEY) n++;
    return n;
  }

  /**
   * Every (key, status) pair, for rebuilding: the base's lanes in use (status 0 included) that
   * the overlay does not replace, then the overlay's entries.
   */
  *entries(): Generator<[number, number]> {
    const f = this.buckets;
    const o = this.overlay;
    for (let b = 0; b < f.length; b += BUCKET_WORDS)
      for (let j = 0; j < LANES; j++) {
        const k = f[b + j]!;
        if (k !== EMPTY_KEY && (o === null || o.find(k) < 0))
          yield [k, this.status[b * 4 + 24 + j]!];
      }
    if (o !== null) yield* o.entries();
  }
}

/** Builds an ImeiIndex: entries are merged by OR of their flags; a later reason replaces. */
export class ImeiIndexBuilder {
  private buckets: Float64Array;
  private status: Uint16Array;
  private shift: number;
  private size = 0;

  /** `expected`: an upper bound of the distinct IMEIs (the table never grows past it). */
  constructor(expected: number) {
    const n = bucketsFor(expected);
    this.buckets = emptyBuckets(n);
    this.status = new Uint16Array(this.buckets.buffer);
    this.shift = 32 - Math.log2(n);
  }

  /** Word index (float64) of the key's lane, inserting the key when absent. */
  private lane(key: number): number {
    const f = this.buckets;
    const mask = f.length / BUCKET_WORDS - 1;
    let b = imeiSlot(key, this.shift);
    for (;;) {
      const base = b * BUCKET_WORDS;
      for (let j = 0; j < LANES; j++) {
        const k = f[base + j]!;
        if (k === key) return base + j;
        if (k === EMPTY_KEY) {
          if (this.size + 1 > (f.length / BUCKET_WORDS) * LANES * 0.95)
            throw new RangeError('ImeiIndexBuilder: more entries than expected');
          f[base + j] = key;
          this.size++;
          return base + j;
        }
      }
      b = (b + 1) & mask;
    }
  }

  /**
   * Adds `flags` to an IMEI; with `reasonSet` (> 0) the IMEI's reason-set id becomes it.
   * Throws a RangeError for a key that is not an IMEI number or a reason-set id out of range.
   */
  add(key: number, flags: number, reasonSet = 0): void {
    if (!(Number.isSafeInteger(key) && key >= 0 && key < 1e14))
      throw new RangeError(`Not an IMEI number: ${key}`);
    if (!(Number.isInteger(reasonSet) && reasonSet >= 0 && reasonSet <= MAX_REASON_SET))
      throw new RangeError(`Reason-set id out of range: ${reasonSet}`);
    const w = this.lane(key);
    const si = (w - (w % BUCKET_WORDS)) * 4 + 24 + (w % BUCKET_WORDS);
    let s = this.status[si]! | (flags & ((1 << REASON_SHIFT) - 1));
    if (reasonSet > 0) s = (s & ((1 << REASON_SHIFT) - 1)) | (reasonSet << REASON_SHIFT);
    this.status[si] = s;
  }

  /** The index, rebuilt smaller when fewer distinct IMEIs came than expected. */
  build(): ImeiIndex {
    const full = new ImeiIndex(this.buckets);
    if (bucketsFor(this.size) >= this.buckets.length / BUCKET_WORDS) return full;
    const b = new ImeiIndexBuilder(this.size);
    for (const [k, st] of full.entries()) {
      const w = b.lane(k);
      b.status[(w - (w % BUCKET_WORDS)) * 4 + 24 + (w % BUCKET_WORDS)] = st;
    }
    return new ImeiIndex(b.buckets);
  }
}
