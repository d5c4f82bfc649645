/**
 * In-memory aggregation of operator rows into monthly triplets, before they reach the store.
 * Open addressing over typed arrays (no per-row objects): key = (month, IMEI, IMSI, MSISDN) as
 * numbers; value = first/last day, day bitmask, RAT bitmask. When the table fills, it is flushed
 * to a spool file and cleared, so memory stays flat however large the file (the store merges
 * partial aggregates of the same key).
 *
 * Number encoding: a valid IMEI is its 14-digit value; IMSI/MSISDN are `1<digits>` (see
 * core/ids/imsi.ts), 0 = absent; any other value (a malformed IMEI, a non-digit IMSI) is interned
 * as a negative id, valid until the next flush.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface MonthRef {
  /** First day of the month, YYYY-MM-DD. */
  readonly iso: string;
  /** YYYY-MM- prefix for day formatting. */
  readonly prefix: string;
}

export class TripletTable {
  private readonly mask: number;
  private readonly imei: Float64Array;
  private readonly imsi: Float64Array;
  private readonly msisdn: Float64Array;
  /** month index + 1; 0 = empty slot. */
  private readonly month: Int32Array;
  private readonly first: Uint8Array;
  private readonly last: Uint8Array;
  private readonly days: Int32Array;
  private readonly rats: Int32Array;
  private readonly limit: number;
  private used = 0;
  private readonly interned = new Map<string, number>();
  private readonly internedBack: string[] = [];
  readonly spools: string[] = [];
  /** Triplets written to spool files so far (partial aggregates). */
  spooledTriplets = 0;

  constructor(
    private readonly operator: string,
    private readonly months: MonthRef[],
    private readonly spoolPath: (n: number) => string,
    capacityLog2 = 22,
  ) {
    const cap = 1 << capacityLog2;
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.7);
    this.imei = new Float64Array(cap);
    this.imsi = new Float64Array(cap);
    this.msisdn = new Float64Array(cap);
    this.month = new Int32Array(cap);
    this.first = new Uint8Array(cap);
    this.last = new Uint8Array(cap);
    this.days = new Int32Array(cap);
    this.rats = new Int32Array(cap);
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
    h ^= h >>> 16;
    let i = h & this.mask;
    for (;;) {
      const m = this.month[i]!;
      if (m === 0) {
        this.month[i] = m1;
        this.imei[i] = imei;
        this.imsi[i] = imsi;
        this.msisdn[i] = msisdn;
        this.first[i] = day;
        this.last[i] = day;
        this.days[i] = 1 << (day - 1);
        this.rats[i] = rat;
        if (++this.used >= this.limit) this.flush();
        return;
      }
      if (m === m1 && this.imei[i] === imei && this.imsi[i] === imsi && this.msisdn[i] === msisdn) {
        if (day < this.first[i]!) this.first[i] = day;
        if (day > this.last[i]!) this.last[i] = day;
        this.days[i]! |= 1 << (day - 1);
        this.rats[i]! |= rat;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private decodeImei(n: number): string {
    return n < 0 ? csvField(this.internedBack[-n - 1]!) : String(n).padStart(14, '0');
  }

  private decodeDigits(n: number): string {
    if (n === 0) return '';
    return n < 0 ? csvField(this.internedBack[-n - 1]!) : String(n).slice(1);
  }

  /** Writes every entry to a new spool file and clears the table. */
  flush(): void {
    if (this.used === 0) return;
    const path = this.spoolPath(this.spools.length);
    const fd = openSync(path, 'w');
    try {
      let buf = 'month,operator,imei_norm,imsi,msisdn,first_seen,last_seen,day_mask,rat_mask\n';
      const op = csvField(this.operator);
      for (let i = 0; i <= this.mask; i++) {
        const m = this.month[i]!;
        if (m === 0) continue;
        const ref = this.months[m - 1]!;
        const f = this.first[i]!;
        const l = this.last[i]!;
        buf += `${ref.iso},${op},${this.decodeImei(this.imei[i]!)},${this.decodeDigits(this.imsi[i]!)},${this.decodeDigits(this.msisdn[i]!)},${ref.prefix}${f < 10 ? '0' : ''}${f},${ref.prefix}${l < 10 ? '0' : ''}${l},${this.days[i]},${this.rats[i]}\n`;
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
    this.spools.push(path);
    this.spooledTriplets += this.used;
    this.month.fill(0);
    this.used = 0;
    this.interned.clear();
    this.internedBack.length = 0;
  }
}

/** CSV field quoting for values that may hold commas, quotes or line breaks. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s === '' ? `"${s.replaceAll('"', '""')}"` : s;
}
