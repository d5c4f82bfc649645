/**
 * The IMEI index of the check engine: open addressing (linear probing, Fibonacci hashing) over a
 * Float64Array of 14-digit IMEI numbers with a parallel Uint16Array of status bits. One probe
 * returns every bit a decision needs: BLACK, GREY, GOLDEN, HAS_EXCEPTION and the reason-set id
 * (bits 4-15). 10M IMEIs take 2^24 slots: 128 MiB of keys and 32 MiB of status.
 */

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

export class ImeiIndex {
  private readonly mask: number;
  private readonly shift: number;

  /** `keys` (EMPTY_KEY where free) and `status` have the same power-of-two length. */
  constructor(
    readonly keys: Float64Array,
    readonly status: Uint16Array,
  ) {
    const cap = keys.length;
    if (cap < 2 || (cap & (cap - 1)) !== 0 || status.length !== cap)
      throw new RangeError(
        `ImeiIndex needs power-of-two parallel arrays, got ${cap}/${status.length}`,
      );
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  get capacity(): number {
    return this.keys.length;
  }

  /** The status bits of an IMEI number, 0 when it is in no list. */
  get(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = imeiSlot(key, this.shift);
    for (;;) {
      const k = keys[i]!;
      if (k === key) return this.status[i]!;
      if (k === EMPTY_KEY) return 0;
      i = (i + 1) & mask;
    }
  }

  /** Entries in use (a scan; for reports and tests). */
  count(): number {
    let n = 0;
    for (const k of this.keys) if (k !== EMPTY_KEY) n++;
    return n;
  }
}

/** Builds an ImeiIndex: entries are merged by OR of their flags; a later reason replaces. */
export class ImeiIndexBuilder {
  private keys: Float64Array;
  private status: Uint16Array;
  private shift: number;
  private size = 0;

  /** `expected`: an upper bound of the distinct IMEIs (the table never grows past it). */
  constructor(expected: number) {
    const cap = capacityFor(expected);
    this.keys = new Float64Array(cap).fill(EMPTY_KEY);
    this.status = new Uint16Array(cap);
    this.shift = 32 - Math.log2(cap);
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
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = imeiSlot(key, this.shift);
    for (;;) {
      const k = keys[i]!;
      if (k === key) break;
      if (k === EMPTY_KEY) {
        if (this.size + 1 > keys.length * 0.9)
          throw new RangeError('ImeiIndexBuilder: more entries than expected');
        keys[i] = key;
        this.size++;
        break;
      }
      i = (i + 1) & mask;
    }
    let s = this.status[i]! | (flags & ((1 << REASON_SHIFT) - 1));
    if (reasonSet > 0) s = (s & ((1 << REASON_SHIFT) - 1)) | (reasonSet << REASON_SHIFT);
    this.status[i] = s;
  }

  /** The index, rebuilt smaller when fewer distinct IMEIs came than expected. */
  build(): ImeiIndex {
    const cap = capacityFor(this.size);
    if (cap >= this.keys.length) return new ImeiIndex(this.keys, this.status);
    const keys = new Float64Array(cap).fill(EMPTY_KEY);
    const status = new Uint16Array(cap);
    const shift = 32 - Math.log2(cap);
    const mask = cap - 1;
    const old = this.keys;
    for (let j = 0; j < old.length; j++) {
      const k = old[j]!;
      if (k === EMPTY_KEY) continue;
      let i = imeiSlot(k, shift);
      while (keys[i] !== EMPTY_KEY) i = (i + 1) & mask;
      keys[i] = k;
      status[i] = this.status[j]!;
    }
    return new ImeiIndex(keys, status);
  }
}
