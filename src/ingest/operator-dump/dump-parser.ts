/**
 * Byte-level parser of an operator network dump (domain.md section 3): header
 * `date,imei,imsi,msisdn,rat` in any order and case, one row per distinct date-IMEI-IMSI-MSISDN.
 * It validates each row, counts what the quality gates need and feeds the triplet table, without
 * allocating per row. Normalisation follows core/ids (DIRBS rule: 14 leading digits, else the
 * trimmed upper-cased value, kept as malformed); a property test holds the two in step.
 */
import { ceirError, type CeirError } from '../../core/errors.js';
import { normaliseImei } from '../../core/ids/imei.js';
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
/** The IMEI key of a row without an IMEI (0 is the valid all-zero IMEI 00000000000000). */
const NO_IMEI = -Infinity;
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
  /** Import rows dated outside the period too (when the date_in_period gate is off). */
  readonly keepOutsidePeriod?: boolean;
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
}

/** Adds `b`'s counts into `a` (parsers of one file in several threads). */
export function addCounters(a: DumpCounters, b: DumpCounters): void {
  for (const k of Object.keys(a) as (keyof DumpCounters)[]) a[k] += b[k];
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Reads the header line: columns case-insensitive, in any order, extra columns ignored.
 * Returns the field of each column, or the error naming the missing column.
 */
export function parseDumpHeader(line: string, file: string): number[] | CeirError {
  const names = line
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '')
    .split(',')
    .map((x) => x.trim().toLowerCase());
  const cols = names.map((n) => {
    const i = FIELD_NAMES.indexOf(n);
    return i < 0 ? F_SKIP : i;
  });
  for (const [i, n] of FIELD_NAMES.entries())
    if (!cols.includes(i))
      return ceirError(
        'CEIR_ERR_PARSE',
        `header has no column "${n}" (found: ${names.join(',')})`,
        { file, line: 1, field: n },
        'header',
      );
  return cols;
}

/** Where a row is: the chunk it came in and its 1-based line within that chunk. */
export interface ChunkLine {
  readonly seq: number;
  readonly line: number;
}

/**
 * Parses chunks of complete data lines (the header is parsed beforehand by `parseDumpHeader`).
 * Line numbers are local to each chunk; the caller, who knows how many lines every chunk held,
 * maps them to file lines. This lets several parsers share one file in worker threads.
 */
export class DumpParser {
  readonly counters = new DumpCounters();
  readonly days = new Map<number, DayStats>();
  /** The first fatal error, with its line local to chunk `errorAt.seq`. */
  error: CeirError | undefined;
  errorAt: ChunkLine | undefined;
  /** The first row dated outside the period. */
  firstOutsidePeriod: ChunkLine | undefined;
  private seq = 0;
  private line = 0;
  private readonly mccs: DigitPrefix[];
  private readonly ccs: DigitPrefix[];
  private readonly ops: DigitPrefix[];

  constructor(
    private readonly o: DumpParserOptions,
    private readonly table: TripletTable,
    /** Months seen so far, shared with the triplet table (month index -> month). */
    readonly months: MonthRef[],
    private readonly cols: readonly number[],
  ) {
    this.mccs = digitPrefixes(o.countryMccs);
    this.ccs = digitPrefixes(o.msisdnCountryCodes);
    this.ops = digitPrefixes(o.operatorMccMncs);
  }

  /**
   * Parses one chunk of whole lines (it ends with '\n'); returns how many lines it held.
   * After a fatal error, later chunks are only counted.
   */
  parseChunk(seq: number, buf: Buffer): number {
    this.seq = seq;
    this.line = 0;
    if (this.error) return countLines(buf);
    this.parseLines(buf, buf.length);
    return this.error ? countLines(buf) : this.line;
  }

  private fail(line: number, field: string | undefined, msg: string, rule?: string): void {
    if (this.error) return;
    this.error = ceirError(
      'CEIR_ERR_PARSE',
      msg,
      { file: this.o.file, line, ...(field ? { field } : {}) },
      rule,
    );
    this.errorAt = { seq: this.seq, line };
  }

  /**
   * Parses the complete lines in [from, limit): the byte before `limit` is a newline, so every
   * field scan stops at a ',' or '\n' without a bounds check. Each field parser scans its own
   * bytes once and leaves `pos` on the delimiter (no per-field native calls).
   */
  private parseLines(buf: Buffer, limit: number, from = 0): void {
    const cols = this.cols;
    const c = this.counters;
    let p = from;
    while (p < limit && !this.error) {
      this.line++;
      if (buf[p] === 10 || (buf[p] === 13 && buf[p + 1] === 10)) {
        p += buf[p] === 10 ? 1 : 2;
        continue; // blank line
      }
      let day: DayStats | undefined;
      let imei = NO_IMEI;
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
        if (c.outsidePeriod++ === 0) this.firstOutsidePeriod = { seq: this.seq, line: this.line };
        if (!this.o.keepOutsidePeriod) continue;
      }
      if (imei !== NO_IMEI) {
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
    this.ts = p;
    let b = buf[p]!;
    while (b >= 48 && b <= 57) {
      v = v * 10 + (b - 48);
      n++;
      b = buf[++p]!;
    }
    if (n === 8 && (b === 44 || b === 10 || b === 13)) {
      this.te = p;
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
      return this.cleanImei(n, buf[s]!);
    }
    this.skip(buf, s);
    // The rare path: decode the text and apply the core rule itself (Unicode trim included).
    const n2 = normaliseImei(buf.toString('utf8', this.ts, this.te));
    if (n2.norm === '') {
      c.nullImei++;
      return NO_IMEI;
    }
    if (n2.kind === 'valid') return this.cleanImei(Number(n2.norm), n2.norm.charCodeAt(0));
    c.uncleanImei++;
    return this.table.intern(n2.norm);
  }

  /** Counts a clean IMEI for the leading-zero gate (first digit given as its char code). */
  private cleanImei(n: number, first: number): number {
    const c = this.counters;
    if (first === 48) c.imeiStarts0++;
    else if (first === 49) {
      c.imeiStarts1++;
      const t = Math.floor(n / 1e7); // '0' + first 7 digits, as a TAC number
      if ((this.o.tacBits[t >>> 3]! >>> (t & 7)) & 1) c.imeiStarts1TacWith0++;
    }
    return n;
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

  /** A `|`-joined list of RAT codes (spaces around codes allowed); -1 after a fatal error. */
  private rat(buf: Buffer, p: number): number {
    this.skip(buf, p);
    const te = this.te;
    if (this.ts === te) {
      this.counters.nullRat++;
      return 0;
    }
    let mask = 0;
    let code = 0;
    let len = 0;
    let gap = false; // a space after digits: only spaces or '|' may follow
    for (let k = this.ts; k <= te; k++) {
      const b = k === te ? 124 : buf[k]!;
      if (b === 124) {
        const bit = len > 0 && len <= 3 ? RAT_MASK[code]! : 0;
        if (bit === 0) return this.badRat(buf, te);
        mask |= bit;
        code = 0;
        len = 0;
        gap = false;
      } else if (b === 32 || b === 9) {
        if (len > 0) gap = true;
      } else if (b >= 48 && b <= 57 && !gap) {
        code = code * 10 + (b - 48);
        len++;
      } else return this.badRat(buf, te);
    }
    return mask;
  }

  private badRat(buf: Buffer, te: number): number {
    this.fail(
      this.line,
      'rat',
      `Cannot parse RAT "${buf.toString('utf8', this.ts, te)}": expected |-joined known RAT codes`,
      'rat',
    );
    return -1;
  }
}

function matchesPrefix(value: number, len: number, prefixes: readonly DigitPrefix[]): boolean {
  if (value < 0) return false;
  for (const p of prefixes)
    if (len >= p.length && Math.floor(value / POW10[len - p.length]!) === p.value) return true;
  return false;
}
