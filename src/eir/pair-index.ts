/**
 * IMEI+IMSI exception pairs (pairings: the genuine owner's SIM keeps working while clones of the
 * IMEI are blocked): open addressing over two parallel Float64Arrays, the IMEI number and the
 * IMSI key `1<digits>` (core/ids/digit-key.ts), hashed together.
 */
import { EMPTY_KEY, capacityFor } from './imei-index.js';

const TWO_32 = 4294967296;

/** Slot of a pair in a table of 2^(32 - shift) slots. */
export function pairSlot(imei: number, imsi: number, shift: number): number {
  let h = Math.imul((imei >>> 0) ^ Math.imul((imei / TWO_32) | 0, 0x85ebca6b), 0x9e3779b1);
  h = Math.imul(h ^ (imsi >>> 0), 0xcc9e2d51);
  h = Math.imul(h ^ ((imsi / TWO_32) | 0), 0x1b873593);
  return (h ^ (h >>> 15)) >>> shift;
}

export class PairIndex {
  private readonly mask: number;
  private readonly shift: number;

  /** Parallel power-of-two arrays; EMPTY_KEY in `imeis` marks a free slot. */
  constructor(
    readonly imeis: Float64Array,
    readonly imsis: Float64Array,
  ) {
    const cap = imeis.length;
    if (cap < 2 || (cap & (cap - 1)) !== 0 || imsis.length !== cap)
      throw new RangeError(
        `PairIndex needs power-of-two parallel arrays, got ${cap}/${imsis.length}`,
      );
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Builds the table from parallel pair arrays (duplicates are kept once). */
  static build(imeis: Float64Array, imsis: Float64Array): PairIndex {
    if (imeis.length !== imsis.length) throw new RangeError('PairIndex.build: lengths differ');
    const cap = capacityFor(imeis.length, 0.5);
    const ti = new Float64Array(cap).fill(EMPTY_KEY);
    const ts = new Float64Array(cap);
    const shift = 32 - Math.log2(cap);
    const mask = cap - 1;
    for (let j = 0; j < imeis.length; j++) {
      const a = imeis[j]!;
      const b = imsis[j]!;
      if (!(Number.isSafeInteger(a) && a >= 0 && a < 1e14 && Number.isSafeInteger(b) && b > 0))
        throw new RangeError(`Not an IMEI+IMSI key pair: ${a}, ${b}`);
      let i = pairSlot(a, b, shift);
      for (;;) {
        const k = ti[i]!;
        if (k === EMPTY_KEY) {
          ti[i] = a;
          ts[i] = b;
          break;
        }
        if (k === a && ts[i] === b) break;
        i = (i + 1) & mask;
      }
    }
    return new PairIndex(ti, ts);
  }

  /** Whether (IMEI number, IMSI key) is an exception pair. */
  has(imei: number, imsi: number): boolean {
    const ti = this.imeis;
    const mask = this.mask;
    let i = pairSlot(imei, imsi, this.shift);
    for (;;) {
      const k = ti[i]!;
      if (k === EMPTY_KEY) return false;
      if (k === imei && this.imsis[i] === imsi) return true;
      i = (i + 1) & mask;
    }
  }

  get capacity(): number {
    return this.imeis.length;
  }
}
