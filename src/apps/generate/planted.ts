/**
 * Planted cases: special subscriptions (clones, unallocated and test TACs, malformed IMEIs,
 * inconsistent RAT, dual-SIM, SIM swaps, SIM-box transient IMEIs, barred-TAC devices), picks of
 * ordinary devices for the lists (stolen, registered, paired, golden, barred, monitored), and the
 * ground truth recording which IMEI was planted as what.
 */
import { ascii, pad, withCheckDigit } from './digits.js';
import {
  Population,
  PRES_MALFORMED,
  SPECIAL_SNR_BASE,
  SPECIAL_SUB_BASE,
  type SpecialEntry,
  type TransientEntry,
} from './population.js';
import { Rng, threshold } from './rand.js';
import { G2, G3, INCONSISTENT_2G_RATS, ratOptions, type TacEntry } from './tac-db.js';

export const CATEGORIES = [
  'clone',
  'stolen',
  'unallocated_tac',
  'malformed',
  'test_tac',
  'inconsistent_rat',
  'roamer',
  'national_roamer',
  'multi_sim',
  'sim_swap',
  'transient',
  'registered',
  'paired',
  'golden',
  'barred',
  'barred_tac',
  'barred_tac_device',
  'monitoring',
  'all_zero',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Per category: the true count and at most `cap` stored values. */
export class GroundTruth {
  readonly counts = new Map<Category, number>();
  readonly items = new Map<Category, string[]>();
  constructor(readonly cap: number) {
    for (const c of CATEGORIES) {
      this.counts.set(c, 0);
      this.items.set(c, []);
    }
  }
  add(c: Category, value: string): void {
    this.counts.set(c, this.counts.get(c)! + 1);
    const a = this.items.get(c)!;
    if (a.length < this.cap) a.push(value);
  }
  /** Adds `total` values, computing only the ones stored. */
  addMany(c: Category, total: number, value: (k: number) => string): void {
    this.counts.set(c, this.counts.get(c)! + total);
    const a = this.items.get(c)!;
    for (let k = 0; k < total && a.length < this.cap; k++) a.push(value(k));
  }
}

/** Key of an IMEI in the ground truth: 14 leading digits, or the whole value upper-cased. */
export function normImei(raw: string): string {
  const t = raw.trim();
  return /^[0-9]{14}/.test(t) ? t.slice(0, 14) : t.toUpperCase();
}

export interface PlantCounts {
  clones: number;
  cloneMaxSubs: number;
  stolen: number;
  unallocated: number;
  malformed: number;
  testTac: number;
  inconsistent: number;
  multiSim: number;
  simSwap: number;
  transient: number;
  transientPerDay: number;
  transientMaxDays: number;
  registered: number;
  paired: number;
  golden: number;
  barred: number;
  barredTacDevices: number;
  monitoring: number;
}

/** How many of each planted case, from the estimated number of ordinary devices. */
export function plantCounts(n0: number, rows: number): PlantCounts {
  const n = (frac: number, min: number, max: number) =>
    Math.max(min, Math.min(max, Math.round(n0 * frac)));
  return {
    clones: n(0.0002, 1, 2000),
    cloneMaxSubs: Math.max(5, Math.min(50, 5 + Math.floor(rows / 2000))),
    stolen: n(0.002, 1, 20000),
    unallocated: n(0.0003, 1, 5000),
    malformed: n(0.00002, 2, 200),
    testTac: n(0.0002, 1, 2000),
    inconsistent: n(0.0003, 1, 5000),
    multiSim: n(0.001, 1, 10000),
    simSwap: n(0.0005, 1, 5000),
    transient: n(0.000005, 1, 50),
    transientPerDay: rows < 20000 ? 3 : 6,
    transientMaxDays: rows < 20000 ? 7 : 28,
    registered: n(0.02, 1, 100000),
    paired: n(0.001, 1, 10000),
    golden: n(0.0002, 1, 2000),
    barred: n(0.0001, 1, 1000),
    barredTacDevices: n(0.0001, 1, 1000),
    monitoring: n(0.0002, 1, 2000),
  };
}

export interface Lists {
  stolen: [string, string, string][];
  registration: string[][];
  pairing: [string, string, string][];
  golden: string[];
  barred: string[];
  barredTac: string[];
  monitoring: string[];
}

export class Planter {
  private sub = SPECIAL_SUB_BASE;
  private snr = SPECIAL_SNR_BASE;
  private salt = 1;
  private readonly rng: Rng;
  readonly special: SpecialEntry[][];
  readonly transient: TransientEntry[][];
  readonly lists: Lists = {
    stolen: [],
    registration: [],
    pairing: [],
    golden: [],
    barred: [],
    barredTac: [],
    monitoring: [],
  };
  barredTac: TacEntry | undefined;

  constructor(
    private readonly pop: Population,
    private readonly gt: GroundTruth,
    private readonly c: PlantCounts,
  ) {
    this.rng = new Rng(pop.seed, 2);
    this.special = pop.ops.map(() => []);
    this.transient = pop.ops.map(() => []);
  }

  /** Number of planted IMEIs drawn from the special SNR range. */
  get plantedImeis(): number {
    return this.snr - SPECIAL_SNR_BASE;
  }

  private nextSub(n = 1): number {
    const s = this.sub;
    this.sub += n;
    return s;
  }

  /** A fresh IMEI (15 digits, valid check digit) of `tac` from the planted SNR range. */
  private specialImei(tac: string, n = 1): string {
    const k = this.snr;
    this.snr += n;
    if (this.snr >= 1_000_000) throw new Error('too many planted IMEIs');
    return withCheckDigit(tac + pad(k, 6));
  }

  private pickOp(): number {
    let x = this.rng.next();
    for (const op of this.pop.ops) {
      if (x < op.share) return op.idx;
      x -= op.share;
    }
    return this.pop.ops.length - 1;
  }

  private day(from = 0, to = this.pop.totalDays - 1): number {
    return this.rng.range(from, to);
  }

  private add(
    op: number,
    imei: string,
    sub: number,
    rats: readonly string[],
    o: Partial<Omit<SpecialEntry, 'op' | 'tail' | 'rats'>> = {},
  ): void {
    const from = o.from ?? 0;
    const to = o.to ?? this.pop.totalDays - 1;
    this.special[op]!.push({
      op,
      tail: ascii(`${imei},${this.pop.imsi(op, sub)},${this.pop.msisdn(sub)},`),
      rats: rats.map(ascii),
      s1: o.s1 ?? this.salt++,
      t1: o.t1 ?? threshold(0.35 * this.pop.alpha),
      s2: o.s2 ?? this.salt++,
      t2: o.t2 ?? 0x100000000,
      from,
      to,
      force: o.force ?? this.day(from, to),
    });
  }

  /** Plants every special subscription; returns the exact number of rows they produce. */
  plantSpecials(): number {
    const { pop, rng, gt, c } = this;
    const tacs = pop.tacDb.entries;
    const smart = tacs.filter((e) => e.deviceType === 'Smartphone');
    const only2g = tacs.filter((e) => e.gens === G2 && !e.lpwa);
    const last = pop.totalDays - 1;
    const alpha = pop.alpha;
    const generic = ['006', '002|006', '002|001|006', '002'];

    // The barred TAC: an ordinary (not 2G-only) TAC taken out of ordinary use.
    const barredCandidates = tacs.filter((e) => e.gens !== G2 && e.deviceType !== 'Smartphone');
    const barredTac = rng.pick(barredCandidates.length ? barredCandidates : tacs);
    barredTac.weight = 0;
    this.barredTac = barredTac;
    this.lists.barredTac.push(barredTac.tac);
    gt.add('barred_tac', barredTac.tac);
    for (let k = 0; k < c.barredTacDevices; k++) {
      const imei = this.specialImei(barredTac.tac);
      this.add(this.pickOp(), imei, this.nextSub(), ratOptions(barredTac));
      gt.add('barred_tac_device', normImei(imei));
    }

    // Clones: one IMEI, 5-50 subscribers, mostly across operators, active on shared days.
    const clusters: { imei: string; rats: string[]; n: number }[] = [];
    for (let k = 0; k < c.clones; k++) {
      const tac = rng.pick(smart);
      const u = rng.next();
      clusters.push({
        imei: this.specialImei(tac.tac),
        rats: ratOptions(tac),
        n: Math.min(c.cloneMaxSubs, 5 + Math.floor(u * u * (c.cloneMaxSubs - 4))),
      });
    }
    // The all-zero IMEI circulates on many handsets too.
    clusters.push({ imei: '000000000000000', rats: generic, n: Math.min(c.cloneMaxSubs, 8) });
    for (const [k, cl] of clusters.entries()) {
      const s1 = this.salt++;
      const force = this.day();
      const homeOp = this.pickOp();
      for (let s = 0; s < cl.n; s++) {
        const op = s === 0 || rng.chance(0.3) ? homeOp : this.pickOp();
        const sub = this.nextSub();
        this.add(op, cl.imei, sub, cl.rats, {
          s1,
          t1: threshold(0.4 * alpha),
          t2: threshold(0.6),
          force,
        });
        // The genuine owner of some clone clusters is paired (exception list).
        if (s === 0 && k < clusters.length - 1 && rng.chance(0.3)) {
          this.lists.pairing.push([cl.imei, pop.imsi(op, sub), pop.msisdn(sub)]);
          gt.add('paired', normImei(cl.imei));
        }
      }
      gt.add('clone', normImei(cl.imei));
      if (k === clusters.length - 1) {
        gt.add('all_zero', normImei(cl.imei));
        gt.add('unallocated_tac', normImei(cl.imei));
      }
    }

    // Devices whose TAC is absent from the TAC database.
    const unallocTacs: string[] = [];
    const nTacs = Math.max(1, Math.min(50, Math.ceil(c.unallocated / 10)));
    while (unallocTacs.length < nTacs) {
      const tac = rng.pick(['35', '86', '35', '91', '01']) + pad(rng.int(1_000_000), 6);
      if (!pop.tacDb.byTac.has(tac) && !unallocTacs.includes(tac)) unallocTacs.push(tac);
    }
    for (let k = 0; k < c.unallocated; k++) {
      const imei = this.specialImei(unallocTacs[k % nTacs]!);
      this.add(this.pickOp(), imei, this.nextSub(), rng.pick([generic, ['006', '006|010']]));
      gt.add('unallocated_tac', normImei(imei));
    }

    // Malformed IMEIs with their own subscribers (ordinary devices add more, see population.ts).
    // A truncated IMEI keeps a real TAC, so it is used on that TAC's RATs: on others it would
    // also be an inconsistent-RAT case that the ground truth does not list.
    for (let k = 0; k < c.malformed; k++) {
      let imei: string;
      let rats = generic;
      if (k % 2 === 0) imei = 'A' + pad((1234567890123 + (k / 2) * 1000003) % 1e13, 13);
      else {
        const j = (k - 1) / 2;
        const tac = tacs[j % tacs.length]!;
        imei = tac.tac + pad(Math.floor(j / tacs.length) % 1000, 3);
        rats = ratOptions(tac);
      }
      this.add(this.pickOp(), imei, this.nextSub(), rats);
      gt.add('malformed', normImei(imei));
    }

    // Test TACs 001001xx-001017xx.
    for (let k = 0; k < c.testTac; k++) {
      const tac = '0010' + pad(1 + (k % 17), 2) + pad(rng.int(100), 2);
      const imei = this.specialImei(tac);
      this.add(this.pickOp(), imei, this.nextSub(), generic);
      gt.add('test_tac', normImei(imei));
    }

    // 2G-only handsets reported on 4G / 5G.
    for (let k = 0; k < c.inconsistent; k++) {
      const imei = this.specialImei(rng.pick(only2g).tac);
      this.add(this.pickOp(), imei, this.nextSub(), INCONSISTENT_2G_RATS);
      gt.add('inconsistent_rat', normImei(imei));
    }

    // Dual-SIM phones: two consecutive IMEIs of one TAC, two SIMs, used on the same days.
    for (let k = 0; k < c.multiSim; k++) {
      const tac = rng.pick(smart);
      const imeiA = this.specialImei(tac.tac, 2);
      const imeiB = withCheckDigit(String(Number(imeiA.slice(0, 14)) + 1).padStart(14, '0'));
      const opA = this.pickOp();
      const opB = rng.chance(0.6) ? opA : this.pickOp();
      const s1 = this.salt++;
      const force = this.day();
      const t1 = threshold(0.5 * alpha);
      this.add(opA, imeiA, this.nextSub(), ratOptions(tac), { s1, t1, force });
      this.add(opB, imeiB, this.nextSub(), ratOptions(tac), { s1, t1, force });
      gt.add('multi_sim', normImei(imeiA));
      gt.add('multi_sim', normImei(imeiB));
    }

    // SIM swappers: one IMEI, one SIM until the swap day, another after.
    for (let k = 0; k < c.simSwap; k++) {
      const tac = rng.pick(tacs.filter((e) => e.weight > 0));
      const imei = this.specialImei(tac.tac);
      const swap = last >= 1 ? this.day(1, last) : 0;
      const opA = this.pickOp();
      const opB = rng.chance(0.7) ? opA : this.pickOp();
      const t1 = threshold(0.5 * alpha);
      this.add(opA, imei, this.nextSub(), ratOptions(tac), { from: 0, to: swap - 1, t1 });
      this.add(opB, imei, this.nextSub(), ratOptions(tac), { from: swap, to: last, t1 });
      gt.add('sim_swap', normImei(imei));
    }

    // Transient IMEIs (SIM boxes): perDay new SIMs a day, MSISDNs in arithmetic progression.
    const cc = pop.ccs[0]!;
    const space = 10 ** cc.width - cc.mod;
    const stride = Math.floor(space / c.transient);
    const boxTacs = tacs.filter((e) => e.deviceType === 'Modem' || e.gens === (G2 | G3));
    let transientRows = 0;
    for (let k = 0; k < c.transient; k++) {
      const tac = rng.pick(boxTacs.length ? boxTacs : tacs);
      const imei = this.specialImei(tac.tac);
      const L = Math.min(pop.totalDays, rng.range(5, c.transientMaxDays));
      const from = rng.int(pop.totalDays - L + 1);
      const perDay = rng.range(3, c.transientPerDay);
      const step = rng.pick([1, 2, 3, 5, 10]);
      if (L * perDay * step >= stride) throw new Error('transient MSISDN range too small');
      const op = this.pickOp();
      this.transient[op]!.push({
        op,
        imei: ascii(imei),
        subBase: this.nextSub(L * perDay),
        cc,
        msisdnBase: cc.mod + k * stride + rng.int(stride - L * perDay * step),
        step,
        perDay,
        from,
        to: from + L - 1,
        rats: ratOptions(tac).map(ascii),
      });
      transientRows += L * perDay;
      gt.add('transient', normImei(imei));
    }

    let rows = transientRows;
    for (const list of this.special)
      for (const e of list)
        for (let g = e.from; g <= e.to; g++)
          if (Population.specialActive(e, g, pop.saltSpecial)) rows++;
    return rows;
  }

  /** Ground truth of the procedural populations (after Population.finalize). */
  recordPopulation(): void {
    const { pop, gt } = this;
    // Only devices that appear in a dump: a device never active (likely in small datasets,
    // whose daily probabilities are scaled down) would otherwise be a malformed IMEI no
    // classification can find.
    for (let i = 0; i < pop.N; i++)
      if (pop.presentation(i) < PRES_MALFORMED && pop.appears(i))
        gt.add('malformed', normImei(pop.presentedImei(i)));
    gt.addMany('roamer', pop.R, (r) => pop.imei14(pop.N + r));
    if (pop.ops.length >= 2)
      for (const op of pop.ops)
        gt.addMany('national_roamer', op.devEnd - op.visStart, (k) => pop.imei14(op.visStart + k));
  }

  /** Picks distinct ordinary, well-formed, seen devices for the lists. */
  pickListDevices(): void {
    const { pop, gt, c, lists } = this;
    const rng = new Rng(pop.seed, 3);
    const used = new Set<number>();
    const pick = (): number | undefined => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const i = rng.int(pop.N);
        if (used.has(i) || pop.presentation(i) < PRES_MALFORMED || !pop.everActive(i)) continue;
        used.add(i);
        return i;
      }
      return undefined;
    };
    const many = (n: number, f: (i: number, imei15: string) => void) => {
      for (let k = 0; k < n; k++) {
        const i = pick();
        if (i === undefined) return;
        f(i, withCheckDigit(pop.imei14(i)));
      }
    };
    const first = pop.months[0]!;
    const startDay = Math.floor(Date.UTC(first.year, first.month - 1, 1) / 86400000);
    many(c.stolen, (_i, imei) => {
      const day = startDay - 365 + rng.int(365 + pop.totalDays);
      const d = new Date(day * 86400000);
      const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
      lists.stolen.push([imei, date, rng.chance(0.95) ? 'blacklist' : '']);
      gt.add('stolen', normImei(imei));
    });
    many(c.registered, (i, imei) => {
      const [t] = pop.tacAndSnr(i);
      const e = pop.tacDb.entries[t]!;
      lists.registration.push([
        imei,
        e.manufacturer,
        e.modelName,
        'whitelist',
        e.internalModel,
        e.brand,
        e.deviceType,
        e.radioInterface,
        `DEV${pad(lists.registration.length + 1, 9)}`,
      ]);
      gt.add('registered', normImei(imei));
    });
    many(c.paired, (i, imei) => {
      const op = pop.homeOp(i);
      lists.pairing.push([imei, pop.imsi(op.idx, i), pop.msisdn(i)]);
      gt.add('paired', normImei(imei));
    });
    many(c.golden, (_i, imei) => {
      lists.golden.push(imei);
      gt.add('golden', normImei(imei));
    });
    many(c.barred, (_i, imei) => {
      lists.barred.push(imei);
      gt.add('barred', normImei(imei));
    });
    many(c.monitoring, (_i, imei) => {
      lists.monitoring.push(imei);
      gt.add('monitoring', normImei(imei));
    });
  }
}
