import type { NoParams } from '../condition.js';
import { type ClassificationData, isCleanImeiNorm, seenImeis } from '../data-model.js';

/**
 * Whether a 14-digit `imei_norm` is a placeholder no manufacturer allocates: one digit repeated
 * (`00000000000000`, `11111111111111`) or a run ascending or descending by one, modulo 10
 * (`12345678901234`, `98765432109876`). Such values are what reprogramming tools and
 * counterfeit factories write (3GPP TS 22.016 forbids changing an IMEI at all).
 */
export function isImplausibleImei(imeiNorm: string): boolean {
  if (!isCleanImeiNorm(imeiNorm)) return false;
  const d = [...imeiNorm].map(Number);
  for (const step of [0, 1, 9])
    if (d.every((x, i) => i === 0 || x === (d[i - 1]! + step) % 10)) return true;
  return false;
}

/** `implausible_imei`: SEEN clean IMEIs that are {@link isImplausibleImei}. */
export function implausibleImei(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const imei of seenImeis(data, asOf)) if (isImplausibleImei(imei)) out.add(imei);
  return out;
}
