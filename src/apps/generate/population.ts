/**
 * The synthetic population, derived from indices so nothing per device is stored:
 * - normal devices 0..N-1, contiguous per home operator; device i's IMEI, IMSI, MSISDN, activity
 *   class and IMEI presentation are pure functions of i (affine permutations + hashes);
 * - a small share of each operator's devices also roam nationally on the next operator;
 * - international roamers 0..R-1, bucketed per (month, operator), with foreign IMSIs/MSISDNs;
 * - planted special entries (see planted.ts), kept as small precomputed byte rows.
 * A (device, day) pair is active when a hash of it falls below the device's threshold, so one
 * operator dump is generated day by day (rows in date order) in a single pass.
 */
import type { Config } from '../../config/schema.js';
import { ascii, DOUBLED, pad, tacLuhnSum, writeDigits } from './digits.js';
import { hash2, mix32, Rng, threshold } from './rand.js';
import type { Sink } from './sink.js';
import { ratOptions, type TacDb } from './tac-db.js';

export interface MonthInfo {
  readonly year: number;
  readonly month: number;
  readonly days: number;
  /** Global index of the month's first day (0 = first day of the dataset). */
  readonly firstG: number;
  /** `YYYYMMDD` of the first and last day. */
  readonly first: string;
  readonly last: string;
}

/** A prefix followed by an affine permutation of an index, written as fixed-width digits. */
export interface PermDigits {
  readonly prefix: string;
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly mod: number;
  readonly a: number;
  readonly b: number;
}

export interface OpInfo {
  readonly id: string;
  readonly idx: number;
  readonly prefixes: readonly PermDigits[];
  readonly share: number;
  devStart: number;
  devEnd: number;
  /** Devices [visStart, devEnd) also roam on the next operator. */
  visStart: number;
}

export interface ForeignNet {
  readonly imsi: PermDigits;
  readonly cc: PermDigits;
}

/** A planted subscription: the `imei,imsi,msisdn,` bytes plus when it is active. */
export interface SpecialEntry {
  readonly op: number;
  readonly tail: Uint8Array;
  readonly rats: readonly Uint8Array[];
  /** Active on day g if from <= g <= to and (g === force or both hashes fall below thresholds). */
  readonly s1: number;
  readonly t1: number;
  readonly s2: number;
  readonly t2: number;
  readonly from: number;
  readonly to: number;
  readonly force: number;
}

/** A SIM-box style IMEI: `perDay` new SIMs a day, MSISDNs in arithmetic progression. */
export interface TransientEntry {
  readonly op: number;
  readonly imei: Uint8Array;
  readonly subBase: number;
  readonly cc: PermDigits;
  readonly msisdnBase: number;
  readonly step: number;
  readonly perDay: number;
  readonly from: number;
  readonly to: number;
  readonly rats: readonly Uint8Array[];
}

/** IMEI presentation classes of normal devices, out of 65536 (drawn from the device hash). */
export const PRES_MALFORMED = 295; // 0.45 %: not 14 leading digits
export const PRES_CHECK0 = PRES_MALFORMED + 1966; // 3 %: check digit sent as 0
export const PRES_14 = PRES_CHECK0 + 655; // 1 %: check digit omitted (14 digits)
const PRES_NORMAL = 0xffff;

/** Activity classes (out of 256): light, medium, heavy users, and their daily probability. */
const CLASS_CUT = [51, 128, 256];
const CLASS_P = [0.1, 0.45, 0.85];
/** Share of a device's rows with an empty MSISDN / RAT (out of 2^20). */
const NULL_MSISDN = 315;
const NULL_RAT = 630;
/** Share of each operator's devices that also roam nationally, and their daily probability there. */
const VISITOR_SHARE = 0.03;
const VISITOR_P = 0.25;
/** Roamers: active on arrival day, then on a day of their stay with this probability. */
const ROAMER_P = 0.8;
const ROAMER_MIN_STAY = 2;
const ROAMER_STAY_SPAN = 20;
/** Planted IMEIs use SNRs from here up; normal devices stay below. */
export const SPECIAL_SNR_BASE = 500000;
/** Domestic subscriber indices of planted entries start here (normal devices stay below). */
export const SPECIAL_SUB_BASE = 1 << 27;

const FOREIGN: readonly [string, string][] = [
  ['20801', '33'],
  ['20810', '33'],
  ['23410', '44'],
  ['23415', '44'],
  ['40410', '91'],
  ['40445', '91'],
  ['310260', '1'],
  ['26201', '49'],
  ['62130', '234'],
  ['22201', '39'],
  ['42402', '971'],
  ['60201', '20'],
  ['25001', '7'],
  ['46000', '86'],
];

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** An affine permutation of [0, mod) whose products stay below 2^53 for indices < 2^28. */
function makePerm(rng: Rng, prefix: string, width: number, mod: number): PermDigits {
  const hi = Math.min(mod - 1, 3.3e7);
  let a = Math.max(1, Math.floor(hi / 4) + rng.int(Math.floor((hi * 3) / 4)));
  while (gcd(a, mod) !== 1) a++;
  return { prefix, bytes: ascii(prefix), width, mod, a, b: rng.int(mod) };
}

export function permValue(p: PermDigits, i: number): number {
  return (p.a * i + p.b) % p.mod;
}

export function permString(p: PermDigits, i: number): string {
  return p.prefix + pad(permValue(p, i), p.width);
}

function ymd(year: number, month: number, day: number): string {
  return `${year}${pad(month, 2)}${pad(day, 2)}`;
}

export interface PopulationInput {
  readonly seed: number;
  readonly config: Config;
  readonly operators: readonly string[];
  readonly startMonth: string;
  readonly months: number;
  readonly rows: number;
  readonly tacDb: TacDb;
}

export class Population {
  readonly seed: number;
  readonly months: MonthInfo[] = [];
  readonly totalDays: number;
  readonly dateBytes: Uint8Array[] = [];
  readonly ops: OpInfo[];
  /** Domestic MSISDNs: permutation region [0, mod); [mod, 10^width) is left for transients. */
  readonly ccs: PermDigits[];
  readonly foreign: ForeignNet[];
  /** Scales every daily probability down for tiny datasets so there are enough devices. */
  readonly alpha: number;
  readonly classThr: number[];
  readonly meanP: number;
  readonly thrVisitor: number;
  readonly thrRoamer: number;
  readonly saltClass: number;
  readonly saltDay: number;
  readonly saltVis: number;
  readonly saltRoam: number;
  readonly saltSpecial: number;
  readonly tacDb: TacDb;
  readonly tacBytes: Uint8Array;
  readonly tacLuhn: Int32Array;
  readonly tacRats: Uint8Array[][];
  // Set by finalize():
  N = 0;
  R = 0;
  D = 1;
  S = 1;
  Q = 1;
  aI = 1;
  cI = 0;
  slotTac = new Int32Array(0);
  slotOff = new Int32Array(0);
  /** SNR = tacBase[t] + (slotOff * Q + q) * spread: spreads ordinary SNRs over [0, 500000). */
  spread = 1;
  tacBase = new Int32Array(0);
  /** Roamer index ranges per (month * ops + op) bucket. */
  roamStart = new Float64Array(0);
  special: SpecialEntry[][] = [];
  transient: TransientEntry[][] = [];
  /** TAC index of the last IMEI written by writeImei. */
  lastTac = 0;

  constructor(o: PopulationInput) {
    this.seed = o.seed;
    this.tacDb = o.tacDb;
    const rng = new Rng(o.seed, 10);
    const [y0, m0] = o.startMonth.split('-').map(Number) as [number, number];
    let g = 0;
    for (let k = 0; k < o.months; k++) {
      const y = y0 + Math.floor((m0 - 1 + k) / 12);
      const m = ((m0 - 1 + k) % 12) + 1;
      const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
      this.months.push({
        year: y,
        month: m,
        days,
        firstG: g,
        first: ymd(y, m, 1),
        last: ymd(y, m, days),
      });
      for (let d = 1; d <= days; d++) this.dateBytes.push(ascii(`${ymd(y, m, d)},`));
      g += days;
    }
    this.totalDays = g;

    const byId = new Map(o.config.operators.map((op) => [op.id, op]));
    const weights = o.operators.map((_, k) => 1 / (1 + 0.35 * k));
    const wsum = weights.reduce((s, w) => s + w, 0);
    this.ops = o.operators.map((id, idx) => {
      const cfg = byId.get(id);
      if (!cfg) throw new Error(`unknown operator ${id}`);
      return {
        id,
        idx,
        share: weights[idx]! / wsum,
        prefixes: cfg.mcc_mnc.map((mm) =>
          makePerm(rng, mm, 15 - mm.length, 10 ** (15 - mm.length)),
        ),
        devStart: 0,
        devEnd: 0,
        visStart: 0,
      };
    });
    this.ccs = o.config.country.msisdn_country_codes.map((cc) => {
      const w = 12 - cc.length;
      return makePerm(rng, cc, w, 9 * 10 ** (w - 1));
    });
    const homeCc = o.config.country.msisdn_country_codes;
    const clash = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
    let foreign = FOREIGN.filter(
      ([mm, cc]) =>
        !o.config.country.mcc.includes(mm.slice(0, 3)) && !homeCc.some((h) => clash(h, cc)),
    );
    if (foreign.length === 0)
      foreign = FOREIGN.filter(([mm]) => !o.config.country.mcc.includes(mm.slice(0, 3)));
    this.foreign = foreign.map(([mm, cc]) => ({
      imsi: makePerm(rng, mm, 15 - mm.length, 10 ** (15 - mm.length)),
      cc: makePerm(rng, cc, 12 - cc.length, 10 ** (12 - cc.length)),
    }));

    const meanP1 = CLASS_P.reduce(
      (s, p, k) => s + (p * (CLASS_CUT[k]! - (CLASS_CUT[k - 1] ?? 0))) / 256,
      0,
    );
    this.alpha = Math.min(1, o.rows / (this.totalDays * meanP1 * 150));
    this.classThr = CLASS_P.map((p) => threshold(p * this.alpha));
    this.meanP = meanP1 * this.alpha;
    this.thrVisitor = threshold(VISITOR_P * this.alpha);
    this.thrRoamer = threshold(ROAMER_P * this.alpha);
    this.saltClass = rng.u32();
    this.saltDay = rng.u32();
    this.saltVis = rng.u32();
    this.saltRoam = rng.u32();
    this.saltSpecial = rng.u32();

    const T = o.tacDb.entries.length;
    this.tacBytes = new Uint8Array(T * 8);
    this.tacLuhn = new Int32Array(T);
    this.tacRats = [];
    o.tacDb.entries.forEach((e, t) => {
      this.tacBytes.set(ascii(e.tac), t * 8);
      this.tacLuhn[t] = tacLuhnSum(e.tac);
      this.tacRats.push(ratOptions(e).map(ascii));
    });
  }

  /** Expected rows of one normal device over the whole dataset (home + national roaming). */
  rowsPerDevice(): number {
    const vis = this.ops.length >= 2 ? VISITOR_SHARE * VISITOR_P * this.alpha : 0;
    return this.totalDays * (this.meanP + vis);
  }

  /** Expected rows of one roamer (stays cut at the dataset end are ignored). */
  static rowsPerRoamer(alpha: number): number {
    return 1 + (ROAMER_STAY_SPAN / 2 + ROAMER_MIN_STAY - 1) * ROAMER_P * alpha;
  }

  /** Fixes the device and roamer counts; builds the IMEI permutation and operator ranges. */
  finalize(N: number, R: number): void {
    this.N = N;
    this.R = R;
    this.D = N + R;
    const entries = this.tacDb.entries;
    const slots: number[] = [];
    const offs: number[] = [];
    entries.forEach((e, t) => {
      for (let k = 0; k < e.weight; k++) {
        slots.push(t);
        offs.push(k);
      }
    });
    this.S = slots.length;
    this.slotTac = Int32Array.from(slots);
    this.slotOff = Int32Array.from(offs);
    this.Q = Math.ceil(this.D / this.S);
    const maxW = Math.max(...entries.map((e) => e.weight));
    if (maxW * this.Q >= SPECIAL_SNR_BASE)
      throw new Error('too many devices for the TAC catalogue');
    this.spread = Math.max(1, Math.floor(SPECIAL_SNR_BASE / (maxW * this.Q)));
    this.tacBase = Int32Array.from(entries, (_, t) => hash2(t, 7, this.saltClass) % this.spread);
    if (this.D >= SPECIAL_SUB_BASE) throw new Error('too many devices');
    const rng = new Rng(this.seed, 11);
    const hi = Math.max(1, Math.min(this.D - 1, Math.floor(2 ** 53 / Math.max(1, this.D)) - 1));
    let a = 1 + rng.int(hi);
    while (gcd(a, this.D) !== 1) a++;
    this.aI = a;
    this.cI = rng.int(this.D);
    let start = 0;
    let acc = 0;
    for (const op of this.ops) {
      acc += op.share;
      const end = op.idx === this.ops.length - 1 ? N : Math.round(acc * N);
      op.devStart = start;
      op.devEnd = end;
      op.visStart = this.ops.length >= 2 ? end - Math.floor((end - start) * VISITOR_SHARE) : end;
      start = end;
    }
    // Roamers per (month, operator) bucket, by operator share.
    const B = this.months.length * this.ops.length;
    this.roamStart = new Float64Array(B + 1);
    let r = 0;
    let cum = 0;
    for (let m = 0; m < this.months.length; m++) {
      for (const op of this.ops) {
        this.roamStart[m * this.ops.length + op.idx] = r;
        cum += op.share / this.months.length;
        r = Math.min(R, Math.round(cum * R));
      }
    }
    this.roamStart[B] = R;
  }

  /** Device class hash of a normal device. */
  classHash(i: number): number {
    return mix32(i ^ this.saltClass);
  }

  presentation(i: number): number {
    return (this.classHash(i) >>> 8) & 0xffff;
  }

  deviceThreshold(i: number): number {
    const c = this.classHash(i) & 0xff;
    return c < CLASS_CUT[0]!
      ? this.classThr[0]!
      : c < CLASS_CUT[1]!
        ? this.classThr[1]!
        : this.classThr[2]!;
  }

  /** True if normal device i is seen on its home network at least once. */
  everActive(i: number): boolean {
    const thr = this.deviceThreshold(i);
    for (let g = 0; g < this.totalDays; g++) if (hash2(i, g, this.saltDay) < thr) return true;
    return false;
  }

  /**
   * True if normal device i is in some dump: seen on its home network, or (the last
   * VISITOR_SHARE of each operator's devices) as a national visitor on the next operator.
   */
  appears(i: number): boolean {
    if (this.everActive(i)) return true;
    if (this.ops.length < 2 || i < this.homeOp(i).visStart) return false;
    for (let g = 0; g < this.totalDays; g++)
      if (hash2(i, g, this.saltVis) < this.thrVisitor) return true;
    return false;
  }

  homeOp(i: number): OpInfo {
    for (const op of this.ops) if (i < op.devEnd) return op;
    throw new Error(`device ${i} out of range`);
  }

  /** TAC index and SNR of IMEI index x (normal device or N + roamer). */
  tacAndSnr(x: number): [number, number] {
    const h = (this.aI * x + this.cI) % this.D;
    const slot = h % this.S;
    const t = this.slotTac[slot]!;
    return [
      t,
      this.tacBase[t]! + (this.slotOff[slot]! * this.Q + (h - slot) / this.S) * this.spread,
    ];
  }

  /** The 14-digit IMEI of IMEI index x. */
  imei14(x: number): string {
    const [t, snr] = this.tacAndSnr(x);
    return this.tacDb.entries[t]!.tac + pad(snr, 6);
  }

  /**
   * Writes the IMEI of index x as the network presents it (class `pres`, see PRES_*), sets
   * lastTac; returns the new position.
   */
  writeImei(b: Uint8Array, p: number, x: number, pres: number, form: number): number {
    const h = (this.aI * x + this.cI) % this.D;
    const slot = h % this.S;
    const t = this.slotTac[slot]!;
    let snr = this.tacBase[t]! + (this.slotOff[slot]! * this.Q + (h - slot) / this.S) * this.spread;
    this.lastTac = t;
    const tb = t * 8;
    const tacBytes = this.tacBytes;
    const s5 = snr % 10;
    snr = (snr - s5) / 10;
    const s4 = snr % 10;
    snr = (snr - s4) / 10;
    const s3 = snr % 10;
    snr = (snr - s3) / 10;
    const s2 = snr % 10;
    snr = (snr - s2) / 10;
    const s1 = snr % 10;
    const s0 = (snr - s1) / 10;
    const sum = this.tacLuhn[t]! + s0 + DOUBLED[s1]! + s2 + DOUBLED[s3]! + s4 + DOUBLED[s5]!;
    const check = 48 + ((10 - (sum % 10)) % 10);
    if (pres < PRES_MALFORMED) {
      if (form === 0) {
        // A letter in place of the fifth digit: 3520C9001761481.
        for (let k = 0; k < 8; k++) b[p + k] = tacBytes[tb + k]!;
        b[p + 4] = 17 + b[p + 4]!;
        p += 8;
      } else {
        // Typed with separators: 35-209900-176148-1.
        b[p] = tacBytes[tb]!;
        b[p + 1] = tacBytes[tb + 1]!;
        b[p + 2] = 45;
        for (let k = 2; k < 8; k++) b[p + 1 + k] = tacBytes[tb + k]!;
        b[p + 9] = 45;
        p += 10;
      }
      b[p] = 48 + s0;
      b[p + 1] = 48 + s1;
      b[p + 2] = 48 + s2;
      b[p + 3] = 48 + s3;
      b[p + 4] = 48 + s4;
      b[p + 5] = 48 + s5;
      if (form === 0) {
        b[p + 6] = check;
        return p + 7;
      }
      b[p + 6] = 45;
      b[p + 7] = check;
      return p + 8;
    }
    for (let k = 0; k < 8; k++) b[p + k] = tacBytes[tb + k]!;
    b[p + 8] = 48 + s0;
    b[p + 9] = 48 + s1;
    b[p + 10] = 48 + s2;
    b[p + 11] = 48 + s3;
    b[p + 12] = 48 + s4;
    b[p + 13] = 48 + s5;
    if (pres < PRES_CHECK0) {
      b[p + 14] = 48;
      return p + 15;
    }
    if (pres < PRES_14) return p + 14;
    b[p + 14] = check;
    return p + 15;
  }

  /** The IMEI string of normal device i as it appears in the dumps. */
  presentedImei(i: number): string {
    const b = Buffer.alloc(32);
    const ch = this.classHash(i);
    const p = this.writeImei(b, 0, i, (ch >>> 8) & 0xffff, (ch >>> 24) & 1);
    return b.toString('latin1', 0, p);
  }

  imsiPerm(op: OpInfo, sub: number): PermDigits {
    return op.prefixes.length === 1 ? op.prefixes[0]! : op.prefixes[sub % op.prefixes.length]!;
  }

  imsi(op: number, sub: number): string {
    return permString(this.imsiPerm(this.ops[op]!, sub), sub);
  }

  ccOf(sub: number): PermDigits {
    return this.ccs.length === 1 ? this.ccs[0]! : this.ccs[sub % this.ccs.length]!;
  }

  msisdn(sub: number): string {
    return permString(this.ccOf(sub), sub);
  }

  foreignOf(r: number): ForeignNet {
    return this.foreign[hash2(r, 3, this.saltRoam) % this.foreign.length]!;
  }

  /** Arrival day and stay length of roamer r of month m. */
  roamerStay(r: number, m: MonthInfo): [number, number] {
    return [
      m.firstG + (hash2(r, 1, this.saltRoam) % m.days),
      ROAMER_MIN_STAY + (hash2(r, 2, this.saltRoam) % (ROAMER_STAY_SPAN + 1)),
    ];
  }

  roamerActive(r: number, g: number, arrive: number, stay: number): boolean {
    return (
      g >= arrive &&
      g < arrive + stay &&
      (g === arrive || hash2(r, g, this.saltRoam ^ 0x5bd1e995) < this.thrRoamer)
    );
  }

  monthOfRoamer(r: number): number {
    const K = this.ops.length;
    for (let b = 0; b < this.roamStart.length - 1; b++)
      if (r < this.roamStart[b + 1]!) return Math.floor(b / K);
    return this.months.length - 1;
  }

  /** Exact number of rows roamers produce (cheap: R x stay). */
  roamerRows(): number {
    let n = 0;
    for (let m = 0; m < this.months.length; m++) {
      const mi = this.months[m]!;
      const r0 = this.roamStart[m * this.ops.length]!;
      const r1 = this.roamStart[(m + 1) * this.ops.length]!;
      for (let r = r0; r < r1; r++) {
        const [a, L] = this.roamerStay(r, mi);
        for (let g = a; g < a + L && g < this.totalDays; g++)
          if (this.roamerActive(r, g, a, L)) n++;
      }
    }
    return n;
  }

  static specialActive(e: SpecialEntry, g: number, salt: number): boolean {
    return (
      g >= e.from &&
      g <= e.to &&
      (g === e.force || (hash2(e.s1, g, salt) < e.t1 && hash2(e.s2, g, salt ^ 0x27d4eb2f) < e.t2))
    );
  }

  /**
   * Writes the dump of one operator for one month: header, then day by day the rows of home
   * devices, national visitors, roamers, planted entries and transient IMEIs.
   */
  async writeDump(
    opIdx: number,
    monthIdx: number,
    sink: Sink,
    onRows: (rows: number) => void,
  ): Promise<number> {
    const CH = 1 << 20;
    let b = Buffer.allocUnsafe(CH + 8192);
    let p = b.write('date,imei,imsi,msisdn,rat\n', 0, 'latin1');
    let rows = 0;
    let reported = 0;
    const op = this.ops[opIdx]!;
    const K = this.ops.length;
    const prevOp = this.ops[(opIdx + K - 1) % K]!;
    const month = this.months[monthIdx]!;
    const saltClass = this.saltClass;
    const saltDay = this.saltDay;
    const saltVis = this.saltVis;
    const saltSp = this.saltSpecial;
    const thrVis = this.thrVisitor;
    const [thr0, thr1, thr2] = this.classThr as [number, number, number];
    const [cut0, cut1] = CLASS_CUT as [number, number];
    const tacRats = this.tacRats;
    const specials = this.special[opIdx] ?? [];
    const transients = this.transient[opIdx] ?? [];
    for (let g = month.firstG; g < month.firstG + month.days; g++) {
      const date = this.dateBytes[g]!;
      // Home devices, then devices of the previous operator roaming here.
      for (let pass = 0; pass < 2; pass++) {
        if (pass === 1 && K < 2) break;
        const home = pass === 0 ? op : prevOp;
        const i0 = pass === 0 ? op.devStart : prevOp.visStart;
        const i1 = pass === 0 ? op.devEnd : prevOp.devEnd;
        const salt = pass === 0 ? saltDay : saltVis;
        const pf0 = home.prefixes[0]!;
        const npf = home.prefixes.length;
        for (let i = i0; i < i1; i++) {
          const h = hash2(i, g, salt);
          const ch = mix32(i ^ saltClass);
          const c = ch & 0xff;
          const thr = pass === 1 ? thrVis : c < cut0 ? thr0 : c < cut1 ? thr1 : thr2;
          if (h >= thr) continue;
          for (let k = 0; k < 9; k++) b[p + k] = date[k]!;
          p = this.writeImei(b, p + 9, i, (ch >>> 8) & 0xffff, (ch >>> 24) & 1);
          b[p++] = 44;
          const pf = npf === 1 ? pf0 : home.prefixes[i % npf]!;
          const pb = pf.bytes;
          for (let k = 0; k < pb.length; k++) b[p + k] = pb[k]!;
          p = writeDigits(b, p + pb.length, (pf.a * i + pf.b) % pf.mod, pf.width);
          b[p++] = 44;
          const nul = h & 0xfffff;
          if (nul >= NULL_MSISDN) {
            const cc = this.ccOf(i);
            const cb = cc.bytes;
            for (let k = 0; k < cb.length; k++) b[p + k] = cb[k]!;
            p = writeDigits(b, p + cb.length, (cc.a * i + cc.b) % cc.mod, cc.width);
          }
          b[p++] = 44;
          if (nul < NULL_MSISDN || nul >= NULL_RAT) {
            const opts = tacRats[this.lastTac]!;
            const rat = opts[(h >>> 20) % opts.length]!;
            for (let k = 0; k < rat.length; k++) b[p + k] = rat[k]!;
            p += rat.length;
          }
          b[p++] = 10;
          rows++;
          if (p > CH) {
            const w = sink.write(b.subarray(0, p));
            b = Buffer.allocUnsafe(CH + 8192);
            p = 0;
            onRows(rows - reported);
            reported = rows;
            if (w) await w;
          }
        }
      }
      // International roamers that arrived this month or last month.
      for (let m = Math.max(0, monthIdx - 1); m <= monthIdx; m++) {
        const mi = this.months[m]!;
        const r0 = this.roamStart[m * K + opIdx]!;
        const r1 = this.roamStart[m * K + opIdx + 1]!;
        for (let r = r0; r < r1; r++) {
          const [a, L] = this.roamerStay(r, mi);
          if (!this.roamerActive(r, g, a, L)) continue;
          for (let k = 0; k < 9; k++) b[p + k] = date[k]!;
          p = this.writeImei(b, p + 9, this.N + r, PRES_NORMAL, 0);
          b[p++] = 44;
          const fn = this.foreignOf(r);
          b.set(fn.imsi.bytes, p);
          p = writeDigits(b, p + fn.imsi.bytes.length, permValue(fn.imsi, r), fn.imsi.width);
          b[p++] = 44;
          b.set(fn.cc.bytes, p);
          p = writeDigits(b, p + fn.cc.bytes.length, permValue(fn.cc, r), fn.cc.width);
          b[p++] = 44;
          const opts = tacRats[this.lastTac]!;
          const rat = opts[hash2(r, g, 0x3c6ef372) % opts.length]!;
          b.set(rat, p);
          p += rat.length;
          b[p++] = 10;
          rows++;
          if (p > CH) {
            const w = sink.write(b.subarray(0, p));
            b = Buffer.allocUnsafe(CH + 8192);
            p = 0;
            onRows(rows - reported);
            reported = rows;
            if (w) await w;
          }
        }
      }
      // Planted entries.
      for (const e of specials) {
        if (!Population.specialActive(e, g, saltSp)) continue;
        for (let k = 0; k < 9; k++) b[p + k] = date[k]!;
        p += 9;
        b.set(e.tail, p);
        p += e.tail.length;
        const rat = e.rats[e.rats.length === 1 ? 0 : hash2(e.s2, g, 0x165667b1) % e.rats.length]!;
        b.set(rat, p);
        p += rat.length;
        b[p++] = 10;
        rows++;
        if (p > CH) {
          const w = sink.write(b.subarray(0, p));
          b = Buffer.allocUnsafe(CH + 8192);
          p = 0;
          onRows(rows - reported);
          reported = rows;
          if (w) await w;
        }
      }
      for (const t of transients) {
        if (g < t.from || g > t.to) continue;
        const hop = this.ops[t.op]!;
        for (let j = 0; j < t.perDay; j++) {
          const k = (g - t.from) * t.perDay + j;
          const sub = t.subBase + k;
          for (let q = 0; q < 9; q++) b[p + q] = date[q]!;
          p += 9;
          b.set(t.imei, p);
          p += t.imei.length;
          b[p++] = 44;
          const pf = this.imsiPerm(hop, sub);
          b.set(pf.bytes, p);
          p = writeDigits(b, p + pf.bytes.length, permValue(pf, sub), pf.width);
          b[p++] = 44;
          b.set(t.cc.bytes, p);
          p = writeDigits(b, p + t.cc.bytes.length, t.msisdnBase + k * t.step, t.cc.width);
          b[p++] = 44;
          const rat = t.rats[hash2(sub, g, 0x61c88647) % t.rats.length]!;
          b.set(rat, p);
          p += rat.length;
          b[p++] = 10;
          rows++;
          if (p > CH) {
            const w = sink.write(b.subarray(0, p));
            b = Buffer.allocUnsafe(CH + 8192);
            p = 0;
            onRows(rows - reported);
            reported = rows;
            if (w) await w;
          }
        }
      }
    }
    if (p > 0) {
      const w = sink.write(b.subarray(0, p));
      if (w) await w;
    }
    onRows(rows - reported);
    return rows;
  }
}
