/** Shared rule of the three `used_by_*` dimensions: a triplet's IMSI class in a look-back. */
import type { DeploymentProfile } from '../../deployment.js';
import type { LookbackParams } from '../condition.js';
import { lastDays } from '../dates.js';
import { type ClassificationData, tripletsInWindow } from '../data-model.js';

/** Where an IMSI comes from, by configured prefixes. */
export type ImsiHome = 'home' | 'local_roamer' | 'international_roamer';

const startsWithAny = (s: string, prefixes: readonly string[]) =>
  prefixes.some((p) => p.length > 0 && s.startsWith(p));

/**
 * `home`: starts with an operator's MCC-MNC; `local_roamer`: starts with one of the country's
 * MCCs but with no operator's MCC-MNC (a national network outside the CEIR, e.g. an MVNO
 * not configured); `international_roamer`: starts with none of the country's MCCs.
 */
export function imsiHome(imsi: string, deployment: DeploymentProfile): ImsiHome {
  if (deployment.operators.some((o) => startsWithAny(imsi, o.mcc_mnc))) return 'home';
  if (startsWithAny(imsi, deployment.country.mcc)) return 'local_roamer';
  return 'international_roamer';
}

/**
 * IMEIs with at least one triplet that has a day in the last `lookbackDays` days up to and
 * including `asOf` (`asOf - lookbackDays + 1 ..= asOf`) and a non-null IMSI of class `home`.
 * Null IMSIs never match.
 */
export function usedBy(
  home: ImsiHome,
  params: LookbackParams,
  data: ClassificationData,
  asOf: string,
): Set<string> {
  const out = new Set<string>();
  for (const [imei, ts] of tripletsInWindow(data, lastDays(asOf, params.lookbackDays))) {
    if (ts.some((t) => t.imsi !== null && imsiHome(t.imsi, data.deployment) === home)) {
      out.add(imei);
    }
  }
  return out;
}
