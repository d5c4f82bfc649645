import type { TransientImeiParams } from '../condition.js';
import { lastDays } from '../dates.js';
import { type ClassificationData, tripletsInWindow } from '../data-model.js';
import { identitiesPerDay } from './identity-counts.js';

/**
 * `transient_imei`: one IMEI cycling through many MSISDNs in sequence on one operator, the
 * signature of a SIM box (DIRBS `transient_imei`).
 *
 * Exact rule: window W = `asOf - periodDays + 1 ..= asOf`. Among the IMEI's triplets with a
 * day in W and a non-null MSISDN:
 * 1. volume: sum over days d of W of the distinct MSISDNs seen on d >= `numMsisdns * periodDays`
 *    (DIRBS: `floor(count / period) >= num_msisdns`, the same for integers; DIRBS counted
 *    (IMSI, MSISDN) pairs a day, we count MSISDNs);
 * 2. one operator: those triplets all have the same `operator`;
 * 3. arithmetic progression: their distinct MSISDNs, all digits, are at least 2, and sorted by
 *    numeric value (not by text) have one common difference between neighbours. (DIRBS's SQL
 *    meant this but ordered its LAG by a constant; a MSISDN with a non-digit fails the rule.)
 */
export function transientImei(
  params: TransientImeiParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const w = lastDays(asOf, params.periodDays);
  const out = new Set<string>();
  for (const [imei, all] of tripletsInWindow(data, w)) {
    const ts = all.filter((t) => t.msisdn !== null);
    if (new Set(ts.map((t) => t.operator)).size !== 1) continue;
    let volume = 0;
    for (const e of identitiesPerDay(ts, w, true).values()) volume += e.ids.size;
    if (volume < params.numMsisdns * params.periodDays) continue;
    if (isArithmeticProgression(new Set(ts.map((t) => t.msisdn as string)))) out.add(imei);
  }
  return out;
}

/** Whether >= 2 all-digit numbers, sorted by value, have one common difference. */
export function isArithmeticProgression(values: ReadonlySet<string>): boolean {
  if (values.size < 2) return false;
  const nums: bigint[] = [];
  for (const v of values) {
    if (!/^[0-9]+$/.test(v)) return false;
    nums.push(BigInt(v));
  }
  nums.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const step = nums[1]! - nums[0]!;
  if (step === 0n) return false; // "01" and "1": the same number twice
  for (let i = 2; i < nums.length; i++) if (nums[i]! - nums[i - 1]! !== step) return false;
  return true;
}
