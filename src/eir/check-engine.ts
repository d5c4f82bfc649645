/**
 * The check engine: one decision per (IMEI, optional IMSI) from a loaded snapshot, in memory,
 * without allocation (every answer is a frozen object made when the engine is built).
 *
 * Decision order:
 * 1. The IMEI as received: 14 leading digits (after trimming) are the key (a check digit or an
 *    IMEISV's SVN is ignored). Anything else is malformed: a malformed text on the black or
 *    pending lists gets that list's status, else the `malformedImei` policy.
 * 2. One probe of the IMEI index gives every bit. GOLDEN: WHITELISTED (`golden_imei`).
 * 3. HAS_EXCEPTION and the IMSI forms an exception pair with the IMEI: WHITELISTED
 *    (`paired_imsi`), even when the IMEI is black or pending (the genuine owner keeps working).
 * 4. BLACK: BLACKLISTED with the list's reasons. GREY (pending block): the `grey` policy,
 *    GREYLISTED by default, with the reasons and `pending_block`.
 * 5. In no list: when a TAC DB is loaded and the TAC is not in it, the `unknownTac` policy;
 *    otherwise the `unknownDevice` policy (WHITELISTED by default).
 */
import {
  EquipmentStatus,
  type EquipmentCheckResult,
  type EquipmentChecker,
} from '../core/check/equipment-check.js';
import { normaliseImei } from '../core/ids/imei.js';
import { ImeiBit, MAX_REASON_SET, REASON_SHIFT } from './imei-index.js';
import type { EirSnapshot } from './snapshot-format.js';

/** What a policy decides: a status, or unknown equipment (404 / 5422). */
export type PolicyOutcome = 'unknown' | 'blacklisted' | 'greylisted' | 'whitelisted';

export interface CheckPolicy {
  /** An IMEI that does not start with 14 digits and is on no list. */
  readonly malformedImei: PolicyOutcome;
  /** A listed-nowhere IMEI whose TAC is not in the TAC DB (ignored when no TAC DB is loaded). */
  readonly unknownTac: PolicyOutcome;
  /** A listed-nowhere IMEI with a known TAC. */
  readonly unknownDevice: PolicyOutcome;
  /** An IMEI pending block (on a notification list). */
  readonly grey: Exclude<PolicyOutcome, 'unknown'>;
}

export const DEFAULT_CHECK_POLICY: CheckPolicy = Object.freeze({
  malformedImei: 'unknown',
  unknownTac: 'unknown',
  unknownDevice: 'whitelisted',
  grey: 'greylisted',
});

/** Checks looked up together by `checkMany`: enough misses in flight, scratch in L1. */
const BURST = 32;

const OUTCOMES: readonly PolicyOutcome[] = ['unknown', 'blacklisted', 'greylisted', 'whitelisted'];

/** The policy with defaults filled in; throws a RangeError naming a bad value. */
export function checkPolicy(p: Partial<CheckPolicy> = {}): CheckPolicy {
  const out = { ...DEFAULT_CHECK_POLICY, ...p };
  for (const k of ['malformedImei', 'unknownTac', 'unknownDevice', 'grey'] as const) {
    const v = out[k];
    if (!OUTCOMES.includes(v) || (k === 'grey' && v === 'unknown'))
      throw new RangeError(`Check policy ${k} cannot be "${String(v)}"`);
  }
  return Object.freeze(out);
}

/** Reasons the engine adds (policy names; lists add their condition reasons). */
export const CheckReasons = {
  GOLDEN: 'golden_imei',
  PAIRED: 'paired_imsi',
  PENDING: 'pending_block',
  MALFORMED: 'malformed_imei',
  UNKNOWN_TAC: 'unknown_tac',
  NOT_LISTED: 'not_listed',
} as const;

function result(outcome: PolicyOutcome, reasons: readonly string[]): EquipmentCheckResult {
  const r = Object.freeze([...reasons]);
  if (outcome === 'unknown') return Object.freeze({ kind: 'unknown', reasons: r });
  const status =
    outcome === 'blacklisted'
      ? EquipmentStatus.BLACKLISTED
      : outcome === 'greylisted'
        ? EquipmentStatus.GREYLISTED
        : EquipmentStatus.WHITELISTED;
  return Object.freeze({ kind: 'status', status, reasons: r });
}

/** The IMEI number of a received IMEI (14 leading digits after trimming), or -1 (malformed). */
export function imeiKeyOf(imei: string): number {
  if (imei.length >= 14) {
    let k = 0;
    let i = 0;
    for (; i < 14; i++) {
      const d = imei.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      k = k * 10 + d;
    }
    if (i === 14) return k;
  }
  const n = normaliseImei(imei);
  return n.kind === 'valid' ? Number(n.norm) : -1;
}

/** The IMSI key `1<digits>` of 1-15 digits, or -1 (absent or not digits: no pair can match). */
export function imsiKeyOf(imsi: string | undefined): number {
  if (imsi === undefined) return -1;
  const n = imsi.length;
  if (n === 0 || n > 15) return -1;
  let k = 1;
  for (let i = 0; i < n; i++) {
    const d = imsi.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    k = k * 10 + d;
  }
  return k;
}

export class CheckEngine implements EquipmentChecker {
  readonly version: string;
  readonly policy: CheckPolicy;
  private readonly black: EquipmentCheckResult[];
  private readonly grey: EquipmentCheckResult[];
  private readonly golden: EquipmentCheckResult;
  private readonly paired: EquipmentCheckResult;
  private readonly malformedPolicy: EquipmentCheckResult;
  private readonly unknownTac: EquipmentCheckResult;
  private readonly unknownDevice: EquipmentCheckResult;
  private readonly malformed: ReadonlyMap<string, EquipmentCheckResult>;
  private readonly tacCheck: boolean;

  /** `policy` overrides the snapshot's own. */
  constructor(
    readonly snapshot: EirSnapshot,
    policy?: Partial<CheckPolicy>,
  ) {
    this.version = snapshot.version.id;
    this.policy =
      policy === undefined ? snapshot.policy : checkPolicy({ ...snapshot.policy, ...policy });
    const sets = snapshot.reasonSets;
    if (sets.length - 1 > MAX_REASON_SET) throw new RangeError('Too many reason sets');
    this.black = sets.map((s) => result('blacklisted', s));
    this.grey = sets.map((s) => result(this.policy.grey, [...s, CheckReasons.PENDING]));
    this.golden = result('whitelisted', [CheckReasons.GOLDEN]);
    this.paired = result('whitelisted', [CheckReasons.PAIRED]);
    this.malformedPolicy = result(this.policy.malformedImei, [CheckReasons.MALFORMED]);
    this.unknownTac = result(this.policy.unknownTac, [CheckReasons.UNKNOWN_TAC]);
    this.unknownDevice = result(this.policy.unknownDevice, [CheckReasons.NOT_LISTED]);
    const m = new Map<string, EquipmentCheckResult>();
    for (const e of snapshot.malformed) {
      const r = e.kind === 'black' ? this.black[e.reasonSet] : this.grey[e.reasonSet];
      if (r === undefined)
        throw new RangeError(`Malformed entry with unknown reason set ${e.reasonSet}`);
      // Black wins over pending for the same text.
      if (e.kind === 'black' || !m.has(e.text)) m.set(e.text, r);
    }
    this.malformed = m;
    this.tacCheck = snapshot.tacCount > 0;
  }

  check(imei: string, imsi?: string): EquipmentCheckResult {
    const key = imeiKeyOf(imei);
    if (key < 0) return this.malformedResult(imei);
    return this.decide(key, this.snapshot.index.get(key), imsi);
  }

  /**
   * Decisions for a burst of checks (`imeis[i]` with `imsis?.[i]`, i < n) into `out`: the same
   * answers as `check`, faster at scale because the index probes of the burst overlap in memory
   * (`ImeiIndex.getMany`). A server uses it for the requests one read brought in.
   */
  checkMany(
    imeis: readonly string[],
    imsis: readonly (string | undefined)[] | undefined,
    out: EquipmentCheckResult[],
    n = imeis.length,
  ): void {
    for (let start = 0; start < n; start += BURST) {
      const m = Math.min(BURST, n - start);
      const keys = this.burstKeys;
      let valid = 0;
      for (let i = 0; i < m; i++) {
        const k = imeiKeyOf(imeis[start + i]!);
        this.burstPos[i] = k < 0 ? -1 : valid;
        if (k >= 0) keys[valid++] = k;
      }
      this.snapshot.index.getMany(keys, valid, this.burstStatus, this.burstSlots);
      for (let i = 0; i < m; i++) {
        const at = this.burstPos[i]!;
        out[start + i] =
          at < 0
            ? this.malformedResult(imeis[start + i]!)
            : this.decide(keys[at]!, this.burstStatus[at]!, imsis?.[start + i]);
      }
    }
  }

  private readonly burstKeys = new Float64Array(BURST);
  private readonly burstStatus = new Uint16Array(BURST);
  private readonly burstSlots = new Int32Array(BURST);
  private readonly burstPos = new Int32Array(BURST);

  private malformedResult(imei: string): EquipmentCheckResult {
    return this.malformed.get(normaliseImei(imei).norm) ?? this.malformedPolicy;
  }

  /** The decision for IMEI number `key` whose index status is `s`. */
  private decide(key: number, s: number, imsi: string | undefined): EquipmentCheckResult {
    if (s !== 0) {
      if (s & ImeiBit.GOLDEN) return this.golden;
      if (s & ImeiBit.HAS_EXCEPTION && imsi !== undefined) {
        const k = imsiKeyOf(imsi);
        if (k > 0 && this.snapshot.pairs.has(key, k)) return this.paired;
      }
      if (s & ImeiBit.BLACK) return this.black[s >>> REASON_SHIFT]!;
      if (s & ImeiBit.GREY) return this.grey[s >>> REASON_SHIFT]!;
    }
    if (this.tacCheck) {
      const tac = Math.floor(key / 1e6);
      if ((this.snapshot.tacBitmap[tac >>> 3]! & (1 << (tac & 7))) === 0) return this.unknownTac;
    }
    return this.unknownDevice;
  }
}
