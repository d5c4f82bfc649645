/**
 * In-memory aggregation of operator rows into monthly triplets, before they reach the store.
 * Open addressing over one typed-array buffer (no per-row objects), 32 bytes a slot so a probe
 * touches one cache line: key = (month, IMEI, IMSI, MSISDN) as numbers; value = first/last day,
 * day bitmask, RAT bitmask. When the table fills, it is flushed to a spool file and cleared, so
 * memory stays flat however large the file (the store merges partial aggregates of one key).
 *
 * Number encoding: a valid IMEI is its 14-digit value; IMSI/MSISDN are `1<digits>` (see
 * core/ids/digit-key.ts), 0 = absent; any other value (a malformed IMEI, a non-digit IMSI) is
 * interned as a negative id, valid until the next flush, and spooled as text.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface MonthRef {
  /** First day of the month, YYYY-MM-DD. */
  readonly iso: string;
}

/** Spool header; the format is documented in core/ports/store.ts (OperatorDumpCommit). */
export const TRIPLET_SPOOL_HEADER =
  'month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,first_day,last_day,day_mask,rat_mask\n';

/** Months a single file may span (the month index has 7 bits). */
export const MAX_MONTHS = 126;

const STRIDE = 4; // float64 words per slot: imei, imsi, msisdn, (day_mask:u32 | meta:u32)
const BUF_SIZE = 1 << 20;

export class TripletTable {
  private readonly mask: number;
  private readonly f64: Float64Array;
  /** u32 view: [slot*8+6] = day mask, [slot*8+7] = meta (see pack). 0 meta = empty slot. */
  private readonly u32: Uint32Array;
  private readonly limit: number;
  private used = 0;
  private readonly interned = new Map<string, number>();
  private readonly internedBack: string[] = [];
  readonly spools: string[] = [];
  /** Triplets written to spool files so far (partial aggregates). */
  spooledTriplets = 0;

  constructor(
    private readonly months: MonthRef[],
    private readonly spoolPath: (n: number) => string,
    capacityLog2 = 22,
  ) {
    const cap = 1 << capacityLog2;
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.7);
    this.f64 = new Float64Array(cap * STRIDE);
    this.u32 = new Uint32Array(this.f64.buffer);
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

  get size(): number {
    return this.used;
  }

  /**
   * Adds one sighting. meta packs month index + 1 (7 bits), first day (5), last day (5) and the
   * RAT mask (15 bits).
   */
  add(
    monthIdx: number,
    day: number,
    imei: number,
    imsi: number,
    msisdn: number,
    rat: number,
  ): void {
    const m1 = monthIdx + 1;
    let h =
      Math.imul((imei | 0) ^ Math.imul((imei / 4294967296) | 0, 0x27d4eb2f), 0x9e3779b1) ^
      Math.imul((imsi | 0) ^ ((imsi / 4294967296) | 0), 0x85ebca6b) ^
      Math.imul((msisdn | 0) + m1, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    const f = this.f64;
    const u = this.u32;
    let i = h & this.mask;
    for (;;) {
      const b = i * STRIDE;
      const meta = u[b * 2 + 7]!;
      if (meta === 0) {
        f[b] = imei;
        f[b + 1] = imsi;
        f[b + 2] = msisdn;
        u[b * 2 + 6] = 1 << (day - 1);
        u[b * 2 + 7] = (m1 << 25) | (day << 20) | (day << 15) | rat;
        if (++this.used >= this.limit) this.flush();
        return;
      }
      if (meta >>> 25 === m1 && f[b] === imei && f[b + 1] === imsi && f[b + 2] === msisdn) {
        u[b * 2 + 6]! |= 1 << (day - 1);
        const first = Math.min((meta >>> 20) & 31, day);
        const last = Math.max((meta >>> 15) & 31, day);
        u[b * 2 + 7] = (m1 << 25) | (first << 20) | (last << 15) | (meta & 0x7fff) | rat;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Writes every entry to a new spool file and clears the table. */
  flush(): void {
    if (this.used === 0) return;
    const path = this.spoolPath(this.spools.length);
    const fd = openSync(path, 'w');
    const w = new SpoolWriter(fd);
    try {
      w.text(TRIPLET_SPOOL_HEADER);
      const f = this.f64;
      const u = this.u32;
      const months = this.months.map((m) => Buffer.from(`${m.iso},`));
      for (let i = 0; i <= this.mask; i++) {
        const b = i * STRIDE;
        const meta = u[b * 2 + 7]!;
        if (meta === 0) continue;
        w.bytes(months[(meta >>> 25) - 1]!);
        this.key(w, f[b]!);
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
      w.end();
    } finally {
      closeSync(fd);
    }
    this.spools.push(path);
    this.spooledTriplets += this.used;
    this.f64.fill(0);
    this.used = 0;
    this.interned.clear();
    this.internedBack.length = 0;
  }

  /** A number column and its text twin: `n,` + `,` or `,text,` for interned, `,` + `,` for 0. */
  private key(w: SpoolWriter, n: number): void {
    if (n > 0) w.int(n);
    w.comma();
    if (n < 0) w.text(csvField(this.internedBack[-n - 1]!));
    w.comma();
  }
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

/** CSV field quoting for values that may hold commas, quotes or line breaks. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
