/**
 * What a pure dimension evaluator sees of the store for one classification (the ORACLE's data):
 * every IMEI's monthly triplets, the current lists, the TAC database and the deployment.
 * Clarity over speed: plain maps and arrays, built by the store adapter (or by tests).
 *
 * Conventions every evaluator (and every SQL form of it) follows:
 * - IMEIs are keyed by `imei_norm` (`core/ids/imei.ts`): 14 digits, or for a malformed IMEI its
 *   trimmed upper-cased text.
 * - A triplet's days come from `dayMask` (bit d-1 = day d of `month`); bits beyond the length of
 *   the month are ignored. `firstSeen`/`lastSeen` are carried but not read: for a consistent
 *   triplet they are the first and last set day of the mask.
 * - Days after `asOf` are ignored everywhere, so classifying as of a past date sees what was
 *   known then (as far as the network data goes).
 * - The SEEN set of a classification is every IMEI with at least one triplet day on or before
 *   `asOf` ({@link seenImeis}). Every dimension matches a subset of it.
 */
import type { DeploymentProfile } from '../deployment.js';
import type { ForeignTrust } from './condition.js';
import { daysInMonth, dayNumber, type DayWindow } from './dates.js';

/** One monthly aggregate of an (operator, IMEI, IMSI, MSISDN) seen on the network. */
export interface Triplet {
  readonly operator: string;
  /** First day of the month, `YYYY-MM-01`. */
  readonly month: string;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  /** `YYYY-MM-DD`, informative (see the module comment). */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Bit d-1 set: seen on day d of the month. */
  readonly dayMask: number;
  /** RAT codes seen in the month, as `core/ids/rat.ts` masks. */
  readonly ratMask: number;
}

/** What the GSMA TAC database says of one TAC. */
export interface TacInfo {
  /** Radio capability from the Bands column: a `Generation` mask (0 = unknown). */
  readonly caps: number;
  readonly allocationDate: string | null;
  readonly deviceType: string | null;
  /** Model names (Model Name, Marketing Name, Internal Model Name; blanks left out). */
  readonly models?: readonly string[];
}

/**
 * An accepted Android key attestation with verdict `attested` (`attestations`, docs/attestation.md),
 * as the `attestation_mismatch` dimension reads it.
 */
export interface AttestationFact {
  /** UTC date of the submission, `YYYY-MM-DD`. */
  readonly day: string;
  /** The attested IMEIs (tags 714, 723), `imei_norm`s. */
  readonly imeis: readonly string[];
  /** The IMEI the client read from the modem (what the network sees), or null. */
  readonly claimedImei: string | null;
  /** attestationIdModel, or null. */
  readonly model: string | null;
}

export interface StolenEntry {
  /** Raw status; empty, null or `blacklist` blocks (see `stolenStatusBlocks`). */
  readonly status: string | null;
}

export interface RegistrationEntry {
  /** Raw status; empty, null or `whitelist` registers (see `registrationStatusRegisters`). */
  readonly status: string | null;
  readonly deviceType: string | null;
}

export interface PairingEntry {
  readonly imsi: string;
  readonly msisdn: string | null;
}

/** The lists as of the classification, keyed by `imei_norm` (barred TAC by TAC). */
export interface ClassificationLists {
  readonly stolen: ReadonlyMap<string, StolenEntry>;
  readonly registration: ReadonlyMap<string, RegistrationEntry>;
  readonly golden: ReadonlySet<string>;
  readonly barred: ReadonlySet<string>;
  readonly barredTac: ReadonlySet<string>;
  readonly monitoring: ReadonlySet<string>;
  readonly pairing: ReadonlyMap<string, readonly PairingEntry[]>;
}

/** Everything a classification as of `asOf` reads. */
export interface ClassificationData {
  /** The classification date, `YYYY-MM-DD`. */
  readonly asOf: string;
  readonly deployment: DeploymentProfile;
  /** Triplets per `imei_norm`. */
  readonly triplets: ReadonlyMap<string, readonly Triplet[]>;
  /** The GSMA TAC database, by 8-digit TAC. */
  readonly tacs: ReadonlyMap<string, TacInfo>;
  readonly lists: ClassificationLists;
  /**
   * Real-time clone flags (`realtime_clone_flags`, left by the EIR's streaming clone detector)
   * per `imei_norm`: the UTC dates (`YYYY-MM-DD`) of its flags. Absent: no flag at all.
   */
  readonly realtimeCloneFlags?: ReadonlyMap<string, readonly string[]>;
  /**
   * Active records received from peer CEIRs (`exchange_foreign`) per `imei_norm`: the trust of
   * the peer of each (block | greylist | inform). Absent: no foreign record at all.
   */
  readonly foreignRecords?: ReadonlyMap<string, readonly ForeignTrust[]>;
  /** Accepted `attested` attestations (absent: none). */
  readonly attestations?: readonly AttestationFact[];
}

/**
 * The day numbers (see `dates.ts`) on which a triplet was seen, ascending, limited to
 * `window` when given (inclusive at both ends).
 */
export function tripletDays(t: Triplet, window?: DayWindow): number[] {
  const first = dayNumber(t.month);
  const year = Number(t.month.slice(0, 4));
  const month = Number(t.month.slice(5, 7));
  const days: number[] = [];
  const n = Math.min(31, daysInMonth(year, month));
  for (let d = 1; d <= n; d++) {
    if ((t.dayMask & (1 << (d - 1))) === 0) continue;
    const day = first + d - 1;
    if (window && (day < window.from || day > window.to)) continue;
    days.push(day);
  }
  return days;
}

/** Whether the triplet was seen on at least one day of the window. */
export function seenInWindow(t: Triplet, window: DayWindow): boolean {
  return tripletDays(t, window).length > 0;
}

/** The window of every day up to and including `asOf`. */
export function upTo(asOf: string): DayWindow {
  return { from: Number.MIN_SAFE_INTEGER, to: dayNumber(asOf) };
}

/** The SEEN set: IMEIs with at least one triplet day on or before `asOf`. */
export function seenImeis(data: ClassificationData, asOf: string): Set<string> {
  const w = upTo(asOf);
  const out = new Set<string>();
  for (const [imei, ts] of data.triplets) {
    if (ts.some((t) => seenInWindow(t, w))) out.add(imei);
  }
  return out;
}

/** The triplets of each IMEI seen in the window, IMEIs without any left out. */
export function tripletsInWindow(
  data: ClassificationData,
  window: DayWindow,
): Map<string, Triplet[]> {
  const out = new Map<string, Triplet[]>();
  for (const [imei, ts] of data.triplets) {
    const kept = ts.filter((t) => seenInWindow(t, window));
    if (kept.length > 0) out.set(imei, kept);
  }
  return out;
}

/** The TAC of an `imei_norm`: its first 8 characters (also for a malformed IMEI). */
export function tacOfNorm(imeiNorm: string): string {
  return imeiNorm.slice(0, 8);
}

/** Whether an `imei_norm` is a clean 14-digit key. */
export function isCleanImeiNorm(imeiNorm: string): boolean {
  return /^[0-9]{14}$/.test(imeiNorm);
}

/** Stolen status that blocks: null, empty (after trimming) or `blacklist` (case-insensitive). */
export function stolenStatusBlocks(status: string | null): boolean {
  const s = (status ?? '').trim().toLowerCase();
  return s === '' || s === 'blacklist';
}

/** Registration status that registers: null, empty or `whitelist` (case-insensitive). */
export function registrationStatusRegisters(status: string | null): boolean {
  const s = (status ?? '').trim().toLowerCase();
  return s === '' || s === 'whitelist';
}

/** Keep only the IMEIs of `set` that are in `seen`. */
export function onlySeen(set: Iterable<string>, seen: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of set) if (seen.has(x)) out.add(x);
  return out;
}
