/**
 * HyperLogLog distinct-count sketch (Flajolet et al. 2007), 2^12 registers (~1.6% error): the
 * history gate only needs approximate daily distinct counts, in constant memory per day.
 */
const P = 12;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

/** 32-bit mix of a non-negative integer-valued double (or a negative intern id). */
export function hashNumber(n: number): number {
  const lo = n | 0;
  const hi = (n / 4294967296) | 0;
  let h = Math.imul(lo ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(hi ^ 0x27d4eb2f, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

export class HyperLogLog {
  readonly registers = new Uint8Array(M);

  add(n: number): void {
    const h = hashNumber(n);
    const idx = h >>> (32 - P);
    const rest = (h << P) | (1 << (P - 1));
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers[idx]!) this.registers[idx] = rank;
  }

  /** Merges another sketch's registers into this one (union of the two sets). */
  merge(registers: Uint8Array): void {
    for (let i = 0; i < M; i++)
      if (registers[i]! > this.registers[i]!) this.registers[i] = registers[i]!;
  }

  count(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const est = (ALPHA * M * M) / sum;
    if (est <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(est);
  }
}
