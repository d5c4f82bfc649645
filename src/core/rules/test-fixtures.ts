/**
 * Hand-built classification data for tests: sightings (one per IMEI, day, IMSI, MSISDN,
 * operator) aggregated into monthly triplets as the store does.
 */
import type { DeploymentProfile } from '../deployment.js';
import { ratBit } from '../ids/index.js';
import { addDays, dayNumber } from './dates.js';
import type {
  ClassificationData,
  PairingEntry,
  RegistrationEntry,
  StolenEntry,
  TacInfo,
  Triplet,
} from './data-model.js';

export const DEMOLAND: DeploymentProfile = Object.freeze({
  country: { name: 'Demoland', mcc: ['001'], msisdn_country_codes: ['999'] },
  operators: [
    { id: 'alpha', name: 'Alpha Mobile', mcc_mnc: ['00101'] },
    { id: 'beta', name: 'Beta Telecom', mcc_mnc: ['00102', '00103'] },
  ],
});

/** One network observation. Defaults: operator alpha, IMSI `001010000000001`, no MSISDN, RAT 006. */
export interface Sighting {
  readonly imei: string;
  readonly date: string;
  readonly imsi?: string | null;
  readonly msisdn?: string | null;
  readonly operator?: string;
  readonly rats?: readonly string[];
}

export interface FixtureInput {
  readonly asOf: string;
  readonly sightings?: readonly Sighting[];
  readonly tacs?: Readonly<Record<string, Partial<TacInfo>>>;
  readonly stolen?: Readonly<Record<string, string | null>>;
  readonly registration?: Readonly<Record<string, Partial<RegistrationEntry>>>;
  readonly golden?: readonly string[];
  readonly barred?: readonly string[];
  readonly barredTac?: readonly string[];
  readonly monitoring?: readonly string[];
  readonly pairing?: Readonly<Record<string, readonly PairingEntry[]>>;
  readonly deployment?: DeploymentProfile;
}

export const IMSI_A = '001010000000001';

/** Aggregate sightings into triplets and assemble the data. */
export function buildData(input: FixtureInput): ClassificationData {
  const byKey = new Map<string, { imei: string; t: Triplet }>();
  for (const s of input.sightings ?? []) {
    const month = `${s.date.slice(0, 7)}-01`;
    const imsi = s.imsi === undefined ? IMSI_A : s.imsi;
    const msisdn = s.msisdn ?? null;
    const operator = s.operator ?? 'alpha';
    const key = JSON.stringify([s.imei, operator, month, imsi, msisdn]);
    const day = Number(s.date.slice(8, 10));
    const rat = (s.rats ?? ['006']).reduce((m, c) => m | (1 << ratBit(c)), 0);
    const prev = byKey.get(key)?.t;
    const t: Triplet = {
      operator,
      month,
      imsi,
      msisdn,
      firstSeen: prev && prev.firstSeen < s.date ? prev.firstSeen : s.date,
      lastSeen: prev && prev.lastSeen > s.date ? prev.lastSeen : s.date,
      dayMask: (prev?.dayMask ?? 0) | (1 << (day - 1)),
      ratMask: (prev?.ratMask ?? 0) | rat,
    };
    byKey.set(key, { imei: s.imei, t });
  }
  const triplets = new Map<string, Triplet[]>();
  for (const { imei, t } of byKey.values()) {
    const list = triplets.get(imei) ?? [];
    list.push(t);
    triplets.set(imei, list);
  }
  const tacs = new Map<string, TacInfo>();
  for (const [tac, info] of Object.entries(input.tacs ?? {})) {
    tacs.set(tac, { caps: 0, allocationDate: null, deviceType: null, ...info });
  }
  const stolen = new Map<string, StolenEntry>();
  for (const [imei, status] of Object.entries(input.stolen ?? {})) stolen.set(imei, { status });
  const registration = new Map<string, RegistrationEntry>();
  for (const [imei, e] of Object.entries(input.registration ?? {})) {
    registration.set(imei, { status: null, deviceType: null, ...e });
  }
  return {
    asOf: input.asOf,
    deployment: input.deployment ?? DEMOLAND,
    triplets,
    tacs,
    lists: {
      stolen,
      registration,
      golden: new Set(input.golden ?? []),
      barred: new Set(input.barred ?? []),
      barredTac: new Set(input.barredTac ?? []),
      monitoring: new Set(input.monitoring ?? []),
      pairing: new Map(Object.entries(input.pairing ?? {})),
    },
  };
}

/** Every date from `from` to `to`, inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; dayNumber(d) <= dayNumber(to); d = addDays(d, 1)) out.push(d);
  return out;
}

/** Sightings of one IMEI on each of `dates`, with the rest of `s`. */
export function on(dates: readonly string[], s: Omit<Sighting, 'date'>): Sighting[] {
  return dates.map((date) => ({ ...s, date }));
}

/** A set's members, sorted (for assertions). */
export function sorted(set: Iterable<string>): string[] {
  return [...set].sort();
}
