/**
 * Byte-level parser of an operator network dump (domain.md section 3): header
 * `date,imei,imsi,msisdn,rat` in any order and case, one row per distinct date-IMEI-IMSI-MSISDN.
 * It validates each row, counts what the quality gates need and feeds the triplet table, without
 * allocating per row. Normalisation follows core/ids (DIRBS rule: 14 leading digits, else the
 * trimmed upper-cased value, kept as malformed); a property test holds the two in step.
 */
import { ceirError, type CeirError } from '../../core/errors.js';
import { ratBit } from '../../core/ids/rat.js';
import { HyperLogLog } from './hll.js';
import { isValidYmd, ymdToIso } from './dump-name.js';
import { MAX_MONTHS, type MonthRef, type TripletTable } from './triplet-table.js';

const F_DATE = 0;
const F_IMEI = 1;
const F_IMSI = 2;
const F_MSISDN = 3;
const F_RAT = 4;
const F_SKIP = 5;
const FIELD_NAMES = ['date', 'imei', 'imsi', 'msisdn', 'rat'];
const POW10 = Array.from({ length: 17 }, (_, i) => 10 ** i);
/** RAT code (0..999) -> bit mask, 0 when unknown. */
const RAT_MASK = new Int32Array(1000).map((_, c) => {
  const b = ratBit(String(c).padStart(3, '0'));
  return b < 0 ? 0 : 1 << b;
});

export interface DigitPrefix {
  readonly value: number;
  readonly length: number;
}

export function digitPrefixes(list: readonly string[]): DigitPrefix[] {
  return list.map((p) => ({ value: Number(p), length: p.length }));
}

export interface DumpParserOptions {
  readonly file: string;
  readonly period: { readonly start: number; readonly end: number };
  readonly countryMccs: readonly string[];
  readonly msisdnCountryCodes: readonly string[];
  readonly operatorMccMncs: readonly string[];
  /** Bitmap of known TACs (bit t), for the leading-zero gate. */
  readonly tacBits: Uint8Array;
}

export interface DayStats {
  readonly ymd: number;
  readonly monthIdx: number;
  readonly dom: number;
  readonly imeis: HyperLogLog;
  readonly imsis: HyperLogLog;
  readonly msisdns: HyperLogLog;
}

/** What the quality gates read (domain.md section 3). */
export class DumpCounters {
  rows = 0;
  nullImei = 0;
  nullImsi = 0;
  nullMsisdn = 0;
  nullRat = 0;
  uncleanImei = 0;
  imsiBadLength = 0;
  imsiOutsideCountry = 0;
  imsiOutsideOperator = 0;
  msisdnOutsideCountry = 0;
  imeiStarts0 = 0;
  imeiStarts1 = 0;
  imeiStarts1TacWith0 = 0;
  outsidePeriod = 0;
  firstOutsidePeriodLine = 0;
}

export class DumpParser {
  readonly counters = new DumpCounters();
  readonly days = new Map<number, DayStats>();
  error: CeirError | undefined;
  private cols: number[] = [];
  private line = 0;
  private leftover: Buffer | undefined;
  private readonly mccs: DigitPrefix[];
  private readonly ccs: DigitPrefix[];
  private readonly ops: DigitPrefix[];

  constructor(
    private readonly o: DumpParserOptions,
    private readonly table: TripletTable,
    /** Months seen so far, shared with the triplet table (month index -> month). */
    readonly months: MonthRef[],
  ) {
    this.mccs = digitPrefixes(o.countryMccs);
    this.ccs = digitPrefixes(o.msisdnCountryCodes);
    this.ops = digitPrefixes(o.operatorMccMncs);
  }

  /** Feeds a chunk; returns false once a fatal error stopped parsing. */
  push(chunk: Buffer): boolean {
    if (this.error) return false;
    let from = 0;
    if (this.leftover) {
      // Complete the line split across chunks by copying only that line, not the whole chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.leftover = Buffer.concat([this.leftover, chunk]);
        return true;
      }
      const line = Buffer.concat([this.leftover, chunk.subarray(0, nl + 1)]);
      this.leftover = undefined;
      this.parseLines(line, line.length);
      from = nl + 1;
    }
    const end = chunk.lastIndexOf(10);
    if (end >= from) this.parseLines(chunk, end + 1, from);
    const rest = Math.max(end + 1, from);
    if (rest < chunk.length) this.leftover = Buffer.from(chunk.subarray(rest));
    return !this.error;
  }

  /** Ends the input (a last line without a newline is parsed). */
  end(): void {
    if (this.error) return;
    if (this.leftover && this.leftover.length > 0) {
      const b = Buffer.concat([this.leftover, Buffer.from('\n')]);
      this.leftover = undefined;
      this.parseLines(b, b.length);
    }
    if (this.line === 0)
      this.fail(1, undefined, 'file is empty: expected header date,imei,imsi,msisdn,rat');
  }

  private fail(line: number, field: string | undefined, msg: string, rule?: string): void {
    this.error ??= ceirError(
      'CEIR_ERR_PARSE',
      msg,
      { file: this.o.file, line, ...(field ? { field } : {}) },
      rule,
    );
  }

  private parseHeader(buf: Buffer, s: number, e: number): void {
    const names = buf
      .toString('utf8', s, e)
      .replace(/^\uFEFF/, '')
      .split(',')
      .map((x) => x.trim().toLowerCase());
    this.cols = names.map((n) => {
      const i = FIELD_NAMES.indexOf(n);
      return i < 0 ? F_SKIP : i;
    });
    for (const [i, n] of FIELD_NAMES.entries())
      if (!this.cols.includes(i))
        this.fail(1, n, `header has no column "${n}" (found: ${names.join(',')})`, 'header');
  }

  /**
   * Parses the complete lines in [from, limit): the byte before `limit` is a newline, so every
   * field scan stops at a ',' or '\n' without a bounds check. Each field parser scans its own
   * bytes once and leaves `pos` on the delimiter (no per-field native calls).
   */
  private parseLines(buf: Buffer, limit: number, from = 0): void {
    let cols = this.cols;
    const c = this.counters;
    let p = from;
    while (p < limit && !this.error) {
      this.line++;
      if (this.line === 1) {
        let e = buf.indexOf(10, p);
        const next = e + 1;
        if (e > p && buf[e - 1] === 13) e--;
        this.parseHeader(buf, p, e);
        cols = this.cols;
        p = next;
        continue;
      }
      if (buf[p] === 10 || (buf[p] === 13 && buf[p + 1] === 10)) {
        p += buf[p] === 10 ? 1 : 2;
        continue; // blank line
      }
      let day: DayStats | undefined;
      let imei = 0;
      let imsi = 0;
      let msisdn = 0;
      let rat = 0;
      const lastCol = cols.length - 1;
      for (let k = 0; k <= lastCol; k++) {
        switch (cols[k]) {
          case F_DATE:
            day = this.date(buf, p);
            if (!day) return;
            break;
          case F_IMEI:
            imei = this.imei(buf, p);
            break;
          case F_IMSI:
            imsi = this.imsi(buf, p);
            break;
          case F_MSISDN:
            msisdn = this.msisdn(buf, p);
            break;
          case F_RAT:
            rat = this.rat(buf, p);
            if (rat < 0) return;
            break;
          default:
            this.skip(buf, p);
        }
        const d = buf[this.pos];
        if (k < lastCol) {
          if (d !== 44) {
            this.fail(
              this.line,
              undefined,
              `expected ${cols.length} columns, found ${k + 1}`,
              'columns',
            );
            return;
          }
        } else if (d !== 10) {
          this.fail(this.line, undefined, `expected ${cols.length} columns, found more`, 'columns');
          return;
        }
        p = this.pos + 1;
      }
      c.rows++;
      if (day === undefined) continue; // unreachable: date is a required column
      if (day.ymd < this.o.period.start || day.ymd > this.o.period.end) {
        if (c.outsidePeriod++ === 0) c.firstOutsidePeriodLine = this.line;
        continue;
      }
      if (imei !== 0) {
        day.imeis.add(imei);
        this.table.add(day.monthIdx, day.dom, imei, imsi, msisdn, rat);
      }
      if (imsi !== 0) day.imsis.add(imsi);
      if (msisdn !== 0) day.msisdns.add(msisdn);
    }
  }

  /** Position of the delimiter that ended the last field. */
  private pos = 0;
  /** Start and end (exclusive) of the last field's trimmed text. */
  private ts = 0;
  private te = 0;

  /** Moves to the field's delimiter, recording the trimmed extent; '\r' before '\n' is dropped. */
  private skip(buf: Buffer, p: number): void {
    let b = buf[p]!;
    while (b === 32 || b === 9) b = buf[++p]!;
    this.ts = p;
    let last = p;
    while (b !== 44 && b !== 10) {
      if (b !== 32 && b !== 9 && b !== 13) last = p + 1;
      b = buf[++p]!;
    }
    this.te = last;
    this.pos = p;
  }

  private dayCache: (DayStats | undefined)[] = [];

  private date(buf: Buffer, p: number): DayStats | undefined {
    let v = 0;
    let n = 0;
    let b = buf[p]!;
    while (b >= 48 && b <= 57) {
      v = v * 10 + (b - 48);
      n++;
      b = buf[++p]!;
    }
    if (n === 8 && (b === 44 || b === 10 || b === 13)) {
      if (b === 13) p++;
      this.pos = p;
      const cached = this.dayCache[v % 10000];
      if (cached !== undefined && cached.ymd === v) return cached;
    } else {
      this.skip(buf, p - n);
      v = -1;
    }
    return this.newDay(buf, v);
  }

  private newDay(buf: Buffer, v: number): DayStats | undefined {
    let day = this.days.get(v);
    if (!day) {
      if (v < 0 || !isValidYmd(v)) {
        this.fail(
          this.line,
          'date',
          `Cannot parse date "${buf.toString('utf8', this.ts, this.te)}": expected YYYYMMDD`,
          'date',
        );
        return undefined;
      }
      const iso = ymdToIso(v);
      const monthIso = `${iso.slice(0, 8)}01`;
      let monthIdx = this.months.findIndex((m) => m.iso === monthIso);
      if (monthIdx < 0) {
        if (this.months.length >= MAX_MONTHS) {
          this.fail(this.line, 'date', `a file may span at most ${MAX_MONTHS} months`, 'date');
          return undefined;
        }
        monthIdx = this.months.push({ iso: monthIso }) - 1;
      }
      day = {
        ymd: v,
        monthIdx,
        dom: v % 100,
        imeis: new HyperLogLog(),
        imsis: new HyperLogLog(),
        msisdns: new HyperLogLog(),
      };
      this.days.set(v, day);
    }
    this.dayCache[v % 10000] = day;
    return day;
  }

  private imei(buf: Buffer, p: number): number {
    const c = this.counters;
    let b = buf[p]!;
    while (b === 32 || b === 9) b = buf[++p]!;
    const s = p;
    let n = 0;
    while (b >= 48 && b <= 57 && p - s < 14) {
      n = n * 10 + (b - 48);
      b = buf[++p]!;
    }
    if (p - s === 14) {
      while (b !== 44 && b !== 10) b = buf[++p]!;
      this.pos = p;
      const first = buf[s];
      if (first === 48) c.imeiStarts0++;
      else if (first === 49) {
        c.imeiStarts1++;
        const t = Math.floor(n / 1e7); // '0' + first 7 digits, as a TAC number
        if ((this.o.tacBits[t >>> 3]! >>> (t & 7)) & 1) c.imeiStarts1TacWith0++;
      }
      return n;
    }
    this.skip(buf, s);
    if (this.ts === this.te) {
      c.nullImei++;
      return 0;
    }
    c.uncleanImei++;
    return this.table.intern(buf.toString('utf8', this.ts, this.te).toUpperCase());
  }

  /** Digit value and length of the last `digits` call (-1 when not plain digits). */
  private dValue = 0;
  private dLen = 0;

  /**
   * Scans a digit field: returns the `1<digits>` key (value and length kept in dValue/dLen),
   * 0 when empty, otherwise an interned id. A leading '+' is skipped when `plus` is set.
   */
  private digits(buf: Buffer, p: number, plus: boolean): number {
    let b = buf[p]!;
    while (b === 32 || b === 9) b = buf[++p]!;
    if (plus && b === 43) b = buf[++p]!;
    const s = p;
    let v = 0;
    while (b >= 48 && b <= 57) {
      v = v * 10 + (b - 48);
      b = buf[++p]!;
    }
    const len = p - s;
    if ((b === 44 || b === 10) && len <= 15) {
      this.pos = p;
      this.dValue = len === 0 ? -1 : v;
      this.dLen = len;
      return len === 0 ? 0 : POW10[len]! + v;
    }
    this.skip(buf, s);
    const te = this.te;
    if (te - this.ts === len && len <= 15) {
      // digits followed by spaces or '\r' only
      this.dValue = len === 0 ? -1 : v;
      this.dLen = len;
      return len === 0 ? 0 : POW10[len]! + v;
    }
    this.dValue = -1;
    this.dLen = te - this.ts;
    return this.table.intern(buf.toString('utf8', this.ts, te));
  }

  private imsi(buf: Buffer, p: number): number {
    const c = this.counters;
    const key = this.digits(buf, p, false);
    if (key === 0) {
      c.nullImsi++;
      return 0;
    }
    const v = this.dValue;
    const len = this.dLen;
    if (len < 14 || len > 15 || v < 0) c.imsiBadLength++;
    if (!matchesPrefix(v, len, this.mccs)) c.imsiOutsideCountry++;
    if (!matchesPrefix(v, len, this.ops)) c.imsiOutsideOperator++;
    return key;
  }

  private msisdn(buf: Buffer, p: number): number {
    const key = this.digits(buf, p, true);
    if (key === 0) {
      this.counters.nullMsisdn++;
      return 0;
    }
    if (!matchesPrefix(this.dValue, this.dLen, this.ccs)) this.counters.msisdnOutsideCountry++;
    return key;
  }

  private rat(buf: Buffer, p: number): number {
    let b = buf[p]!;
    while (b === 32 || b === 9) b = buf[++p]!;
    const s = p;
    let mask = 0;
    let code = 0;
    let len = 0;
    for (;;) {
      if (b === 124 || b === 44 || b === 10 || b === 13 || b === 32) {
        if (len === 0 && p === s && b !== 124) break; // empty field
        const bit = len > 0 && len <= 3 ? RAT_MASK[code]! : 0;
        if (bit === 0) {
          this.skip(buf, s);
          this.fail(
            this.line,
            'rat',
            `Cannot parse RAT "${buf.toString('utf8', this.ts, this.te)}": unknown RAT code`,
            'rat',
          );
          return -1;
        }
        mask |= bit;
        code = 0;
        len = 0;
        if (b !== 124) break;
      } else if (b >= 48 && b <= 57) {
        code = code * 10 + (b - 48);
        len++;
      } else len = 99;
      b = buf[++p]!;
    }
    this.skip(buf, p);
    if (mask === 0) this.counters.nullRat++;
    return mask;
  }
}

function matchesPrefix(value: number, len: number, prefixes: readonly DigitPrefix[]): boolean {
  if (value < 0) return false;
  for (const p of prefixes)
    if (len >= p.length && Math.floor(value / POW10[len - p.length]!) === p.value) return true;
  return false;
}
