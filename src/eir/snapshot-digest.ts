/**
 * The content digest of a check snapshot: a checksum of what the snapshot answers, independent of
 * the hash-table layout (two snapshots with the same entries in differently built tables have the
 * same digest, where their file SHA-256s differ). It is a 64-bit multiset hash: the sum, modulo
 * 2^32 in each of two lanes, of a mixed hash of every live element (an IMEI entry with a non-zero
 * status, an exception pair, a non-zero TAC-bitmap byte). A sum can be updated in O(changes):
 * applying a delta subtracts the hashes of the elements it replaces and adds those of the new
 * ones, so a follower checks the result of every delta without rescanning the tables.
 *
 * It detects a delta applied to the wrong base or applied wrongly, not tampering (the delta's
 * SHA-256 and the transport's authentication cover transport integrity). The list metadata
 * (reason sets, malformed texts, policy, counts) travels whole in each delta and is not hashed.
 */
import { BUCKET_WORDS, EMPTY_KEY, LANES } from './imei-index.js';
import type { EirSnapshot } from './snapshot-format.js';

const TWO_32 = 4294967296;

/** Element kinds hashed into separate domains. */
export const DigestTag = { IMEI: 1, PAIR: 2, TAC: 3 } as const;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function mix(seed: number, tag: number, a: number, b: number): number {
  let h = fmix(seed ^ tag);
  h = fmix(h ^ (a >>> 0));
  h = fmix(h ^ ((a / TWO_32) >>> 0));
  h = fmix(h ^ (b >>> 0));
  return fmix(h ^ ((b / TWO_32) >>> 0));
}

/** A running content digest (two 32-bit lanes). */
export class ContentDigest {
  constructor(
    public lo = 0,
    public hi = 0,
  ) {}

  static parse(hex: string): ContentDigest {
    if (!/^[0-9a-f]{16}$/.test(hex)) throw new RangeError(`Not a content digest: "${hex}"`);
    return new ContentDigest(parseInt(hex.slice(8), 16), parseInt(hex.slice(0, 8), 16));
  }

  /** Adds (sign 1) or removes (sign -1) one element: numbers below 2^53. */
  update(tag: number, a: number, b: number, sign: 1 | -1): void {
    const l = mix(0x6a09e667, tag, a, b);
    const h = mix(0xbb67ae85, tag, a, b);
    this.lo = (sign === 1 ? this.lo + l : this.lo - l) >>> 0;
    this.hi = (sign === 1 ? this.hi + h : this.hi - h) >>> 0;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/**
 * The content digest of a snapshot, by one scan of its tables (O(entries + 12.5 MB)); the
 * IMEI index's overlay, if any, counts instead of the base entries it replaces.
 */
export function contentDigest(s: EirSnapshot): ContentDigest {
  const d = new ContentDigest();
  const f = s.index.buckets;
  const st = new Uint16Array(f.buffer, f.byteOffset, f.length * 4);
  for (let b = 0; b < f.length; b += BUCKET_WORDS)
    for (let j = 0; j < LANES; j++) {
      const k = f[b + j]!;
      const v = st[b * 4 + 24 + j]!;
      if (k !== EMPTY_KEY && v !== 0) d.update(DigestTag.IMEI, k, v, 1);
    }
  // An overlay's entries replace the base's.
  const o = s.index.overlay;
  if (o !== null)
    for (const [k, v] of o.entries()) {
      const was = s.index.getBase(k);
      if (was !== 0) d.update(DigestTag.IMEI, k, was, -1);
      if (v !== 0) d.update(DigestTag.IMEI, k, v, 1);
    }
  const pi = s.pairs.imeis;
  const ps = s.pairs.imsis;
  for (let i = 0; i < pi.length; i++) {
    const k = pi[i]!;
    if (k !== EMPTY_KEY && ps[i]! > 0) d.update(DigestTag.PAIR, k, ps[i]!, 1);
  }
  const t = s.tacBitmap;
  // Mostly zero: skip it a word at a time where aligned.
  const words =
    t.byteOffset % 4 === 0 ? new Uint32Array(t.buffer, t.byteOffset, t.length >>> 2) : null;
  for (let i = 0; i < t.length; i++) {
    if (words && (i & 3) === 0 && i + 4 <= t.length && words[i >>> 2] === 0) {
      i += 3;
      continue;
    }
    if (t[i] !== 0) d.update(DigestTag.TAC, i, t[i]!, 1);
  }
  return d;
}
