/**
 * Seeded, allocation-free randomness for the generator. Two tools:
 * - `mix32` / `hash2`: stateless 32-bit hashes, so any property of a device, or of a (device, day)
 *   pair, is derived from its index without storing anything (memory flat in the row count);
 * - `Rng`: a small sequential PRNG (splitmix32) for the setup phase (TAC catalogue, planted cases).
 */

/** murmur3 fmix32 finaliser: a bijection on 32-bit integers with good avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a pair of non-negative integers (< 2^31) under a salt, as an unsigned 32-bit integer. */
export function hash2(a: number, b: number, salt: number): number {
  return mix32((Math.imul(a, 0x9e3779b1) + Math.imul(b ^ salt, 0x85ebca77)) ^ salt);
}

/** A probability in [0, 1] as a 32-bit threshold: `hash < threshold` happens with that probability. */
export function threshold(p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 0x100000000;
  return Math.floor(p * 0x100000000);
}

/** splitmix32: sequential PRNG for the setup phase. */
export class Rng {
  private s: number;
  constructor(seed: number, stream: number) {
    this.s = mix32((seed >>> 0) ^ mix32(Math.floor(seed / 0x100000000) + stream * 0x632be5ab)) | 0;
  }
  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 0x100000000;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(a: readonly T[]): T {
    if (a.length === 0) throw new Error('pick from an empty array');
    return a[this.int(a.length)]!;
  }
  /** Picks by integer weights. */
  weighted<T>(a: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of a) total += w;
    let x = this.next() * total;
    for (const [v, w] of a) {
      if (x < w) return v;
      x -= w;
    }
    return a[a.length - 1]![0];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
