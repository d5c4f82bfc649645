/**
 * In-memory aggregation of operator rows into monthly triplets, before they reach the store.
 * Open addressing over typed arrays (no per-row objects), 32 bytes a slot so a probe touches one
 * cache line, split in radix partitions: key = (month, IMEI, IMSI, MSISDN) as numbers; value = first/last day,
 * day bitmask, RAT bitmask. When the table fills, it is spilled to a spool file and cleared, so
 * memory stays flat however large the file (the store merges partial aggregates of one key).
 *
 * Number encoding: a valid IMEI is its 14-digit value; IMSI/MSISDN are `1<digits>` (see
 * core/ids/digit-key.ts), 0 = absent; any other value (a malformed IMEI, a non-digit IMSI) is
 * interned as a negative id, kept until a spill with no rows pending, and spooled as text.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { csvField } from '../../core/csv-field.js';

export interface MonthRef {
  /** First day of the month, YYYY-MM-DD. */
  readonly iso: string;
}

/** Spool header; the format is documented in core/ports/store.ts (OperatorDumpCommit). */
export const TRIPLET_SPOOL_HEADER =
  'month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,first_day,last_day,day_mask,rat_mask\n';

/** Months a single file may span (the month index has 7 bits). */
export const MAX_MONTHS = 126;

const STRIDE = 4; // float64 words per slot or record: imei, imsi, msisdn, (u32, u32)
const BUF_SIZE = 1 << 20;
/** Radix partitions: rows are first appended to a partition buffer (sequential writes), then
 * aggregated partition by partition into a table small enough to stay in cache. A random probe
 * into one large table cost about 160 ns a row (cache and TLB misses); this costs a fraction. */
const PART_BITS = 8;
const PARTS = 1 << PART_BITS;
const BATCH = 16384;
const MIN_PART_LOG2 = 8;

export class TripletTable {
  /** Per partition: slot mask (capacity - 1); tables start small and double up to maxPartCap. */
  private readonly masks = new Int32Array(PARTS);
  private readonly maxPartCap: number;
  /** Per partition: slots of STRIDE words; u32 [slot*8+6] = day mask, [slot*8+7] = meta. */
  private readonly f64: Float64Array[] = [];
  private readonly u32: Uint32Array[] = [];
  private readonly used = new Int32Array(PARTS);
  /** Pending rows per partition: imei, imsi, msisdn, (row meta u32, hash u32). */
  private pend64: Float64Array;
  private pend32: Uint32Array;
  private readonly pending = new Int32Array(PARTS);
  private total = 0;
  private readonly limit: number;
  private readonly interned = new Map<string, number>();
  private readonly internedBack: string[] = [];
  readonly spools: string[] = [];
  /** Triplets written to spool files so far (partial aggregates). */
  spooledTriplets = 0;

  constructor(
    private readonly months: MonthRef[],
    private readonly spoolPath: (n: number) => string,
    capacityLog2 = 24,
  ) {
    this.maxPartCap = 1 << Math.max(MIN_PART_LOG2, capacityLog2 - PART_BITS);
    this.limit = Math.floor(this.maxPartCap * PARTS * 0.7);
    for (let p = 0; p < PARTS; p++) this.allocate(p, 1 << MIN_PART_LOG2);
    this.pend64 = new Float64Array(PARTS * BATCH * STRIDE);
    this.pend32 = new Uint32Array(this.pend64.buffer);
  }

  private allocate(p: number, cap: number): void {
    const f = new Float64Array(cap * STRIDE);
    this.f64[p] = f;
    this.u32[p] = new Uint32Array(f.buffer);
    this.masks[p] = cap - 1;
  }

  /** Doubles a partition's table (load above one half), rehashing its entries. */
  private grow(p: number): void {
    const oldF = this.f64[p]!;
    const oldU = this.u32[p]!;
    const oldCap = this.masks[p]! + 1;
    this.allocate(p, oldCap * 2);
    const f = this.f64[p]!;
    const u = this.u32[p]!;
    const mask = this.masks[p]!;
    for (let j = 0; j < oldCap; j++) {
      const ob = j * STRIDE;
      if (oldU[ob * 2 + 7] === 0) continue;
      let i = slotHash(oldF[ob]!, oldF[ob + 1]!, oldF[ob + 2]!, oldU[ob * 2 + 7]! >>> 25) & mask;
      while (u[i * STRIDE * 2 + 7] !== 0) i = (i + 1) & mask;
      const b = i * STRIDE;
      f[b] = oldF[ob]!;
      f[b + 1] = oldF[ob + 1]!;
      f[b + 2] = oldF[ob + 2]!;
      u[b * 2 + 6] = oldU[ob * 2 + 6]!;
      u[b * 2 + 7] = oldU[ob * 2 + 7]!;
    }
  }

  /** Negative id for a value that is not a plain digit string. */
  intern(s: string): number {
    let id = this.interned.get(s);
    if (id === undefined) {
      this.internedBack.push(s);
      id = -this.internedBack.length;
      this.interned.set(s, id);
    }
    return id;
  }

  /** Distinct triplets held (after pending rows are aggregated). */
  get size(): number {
    for (let p = 0; p < PARTS; p++) this.drainOrSpill(p);
    return this.total;
  }

  /** Adds one sighting: day of month 1..31, RAT bitmask (15 bits). */
  add(
    monthIdx: number,
    day: number,
    imei: number,
    imsi: number,
    msisdn: number,
    rat: number,
  ): void {
    const m1 = monthIdx + 1;
    const h = slotHash(imei, imsi, msisdn, m1);
    const p = h >>> (32 - PART_BITS);
    const n = this.pending[p]!;
    const r = (p * BATCH + n) * STRIDE;
    this.pend64[r] = imei;
    this.pend64[r + 1] = imsi;
    this.pend64[r + 2] = msisdn;
    this.pend32[r * 2 + 6] = (m1 << 20) | (day << 15) | rat;
    this.pend32[r * 2 + 7] = h;
    this.pending[p] = n + 1;
    if (n + 1 === BATCH) this.drainOrSpill(p);
  }

  /** Drains a partition's pending rows, spilling the whole table whenever it fills. */
  private drainOrSpill(p: number): void {
    while (this.pending[p]! > 0) {
      const full = this.drain(p);
      if (full || this.total >= this.limit) this.spill();
    }
  }

  /**
   * Aggregates a partition's pending rows into its table; returns true when the table is full,
   * in which case the rows not yet aggregated stay pending. Slot meta packs month index + 1
   * (7 bits), first day (5), last day (5) and the RAT mask (15).
   */
  private drain(p: number): boolean {
    const n = this.pending[p]!;
    if (n === 0) return false;
    // The table doubles when its load passes one half (most rows update an entry, so it is
    // sized by the entries, not the batch), up to the partition's maximum, where it is full at
    // 0.85 and spills.
    let f = this.f64[p]!;
    let u = this.u32[p]!;
    let mask = this.masks[p]!;
    const atMax = () => mask + 1 >= this.maxPartCap;
    let limit = atMax() ? Math.floor((mask + 1) * 0.85) : (mask + 1) >>> 1;
    const pf = this.pend64;
    const pu = this.pend32;
    const base = p * BATCH * STRIDE;
    for (let k = 0; k < n; k++) {
      if (this.used[p]! >= limit && !atMax()) {
        this.grow(p);
        f = this.f64[p]!;
        u = this.u32[p]!;
        mask = this.masks[p]!;
        limit = atMax() ? Math.floor((mask + 1) * 0.85) : (mask + 1) >>> 1;
      }
      if (this.used[p]! >= limit) {
        // Full: keep the rest pending (moved to the front) for after the spill.
        pf.copyWithin(base, base + k * STRIDE, base + n * STRIDE);
        this.pending[p] = n - k;
        return true;
      }
      const r = base + k * STRIDE;
      const imei = pf[r]!;
      const imsi = pf[r + 1]!;
      const msisdn = pf[r + 2]!;
      const rm = pu[r * 2 + 6]!;
      const m1 = rm >>> 20;
      const day = (rm >>> 15) & 31;
      const rat = rm & 0x7fff;
      let i = pu[r * 2 + 7]! & mask;
      for (;;) {
        const b = i * STRIDE;
        const meta = u[b * 2 + 7]!;
        if (meta === 0) {
          f[b] = imei;
          f[b + 1] = imsi;
          f[b + 2] = msisdn;
          u[b * 2 + 6] = 1 << (day - 1);
          u[b * 2 + 7] = (m1 << 25) | (day << 20) | (day << 15) | rat;
          this.total++;
          this.used[p]!++;
          break;
        }
        if (meta >>> 25 === m1 && f[b] === imei && f[b + 1] === imsi && f[b + 2] === msisdn) {
          u[b * 2 + 6]! |= 1 << (day - 1);
          const first = Math.min((meta >>> 20) & 31, day);
          const last = Math.max((meta >>> 15) & 31, day);
          u[b * 2 + 7] = (m1 << 25) | (first << 20) | (last << 15) | (meta & 0x7fff) | rat;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    this.pending[p] = 0;
    return false;
  }

  /** Writes every aggregated entry to a new spool file and clears the tables (not pending rows). */
  private spill(): void {
    if (this.total === 0) return;
    const path = this.spoolPath(this.spools.length);
    const fd = openSync(path, 'w');
    const w = new SpoolWriter(fd);
    try {
      w.text(TRIPLET_SPOOL_HEADER);
      const months = this.months.map((m) => Buffer.from(`${m.iso},`));
      for (let p = 0; p < PARTS; p++) {
        const f = this.f64[p]!;
        const u = this.u32[p]!;
        for (let i = 0; i <= this.masks[p]!; i++) {
          const b = i * STRIDE;
          const meta = u[b * 2 + 7]!;
          if (meta === 0) continue;
          w.bytes(months[(meta >>> 25) - 1]!);
          this.key(w, f[b]!, true);
          this.key(w, f[b + 1]!);
          this.key(w, f[b + 2]!);
          w.int((meta >>> 20) & 31);
          w.comma();
          w.int((meta >>> 15) & 31);
          w.comma();
          w.int(u[b * 2 + 6]!);
          w.comma();
          w.int(meta & 0x7fff);
          w.newline();
        }
        this.allocate(p, 1 << MIN_PART_LOG2);
        this.used[p] = 0;
      }
      w.end();
    } finally {
      closeSync(fd);
    }
    this.spools.push(path);
    this.spooledTriplets += this.total;
    this.total = 0;
    // Pending rows may still reference interned ids: forget them only when none are pending.
    if (this.pending.every((n) => n === 0)) {
      this.interned.clear();
      this.internedBack.length = 0;
    }
  }

  /**
   * Aggregates every pending row and writes what remains to spool files, then releases the
   * table's memory (the store's commit runs next, with its own memory).
   */
  finish(): void {
    for (let p = 0; p < PARTS; p++) this.drainOrSpill(p);
    this.spill();
    for (let p = 0; p < PARTS; p++) this.allocate(p, 1);
    this.pend64 = new Float64Array(0);
    this.pend32 = new Uint32Array(0);
  }

  /**
   * A number column and its text twin: `n,` + `,`; `,text,` for interned ids; `,` + `,` for 0
   * (absent IMSI/MSISDN), except for IMEIs, where 0 is the all-zero IMEI.
   */
  private key(w: SpoolWriter, n: number, zeroIsValue = false): void {
    if (n > 0 || (n === 0 && zeroIsValue)) w.int(n);
    w.comma();
    if (n < 0) w.text(csvField(this.internedBack[-n - 1]!));
    w.comma();
  }
}

/** 32-bit hash of a triplet key; the top bits pick the partition, the low bits the slot. */
function slotHash(imei: number, imsi: number, msisdn: number, m1: number): number {
  let h =
    Math.imul((imei | 0) ^ Math.imul((imei / 4294967296) | 0, 0x27d4eb2f), 0x9e3779b1) ^
    Math.imul((imsi | 0) ^ ((imsi / 4294967296) | 0), 0x85ebca6b) ^
    Math.imul((msisdn | 0) + m1, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Writes spool bytes through one reused buffer. */
class SpoolWriter {
  private readonly buf = Buffer.allocUnsafe(BUF_SIZE);
  private pos = 0;

  constructor(private readonly fd: number) {}

  private room(n: number): void {
    if (this.pos + n > BUF_SIZE) {
      writeSync(this.fd, this.buf, 0, this.pos);
      this.pos = 0;
    }
  }

  /** A non-negative integer below 2^53, in decimal. */
  int(n: number): void {
    this.room(20);
    const b = this.buf;
    let len = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    let x = n;
    do {
      const q = Math.floor(x / 10);
      b[--p] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  comma(): void {
    this.room(1);
    this.buf[this.pos++] = 44;
  }

  newline(): void {
    this.room(1);
    this.buf[this.pos++] = 10;
  }

  bytes(src: Buffer): void {
    this.room(src.length);
    src.copy(this.buf, this.pos);
    this.pos += src.length;
  }

  text(s: string): void {
    const b = Buffer.from(s);
    if (b.length > BUF_SIZE) {
      this.end();
      writeSync(this.fd, b);
    } else this.bytes(b);
  }

  end(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }
}
