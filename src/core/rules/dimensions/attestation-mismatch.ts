import type { NoParams } from '../condition.js';
import { dayNumber } from '../dates.js';
import { type ClassificationData, seenImeis, tacOfNorm } from '../data-model.js';

/** A model name compared across sources: its ASCII letters and digits, lower-cased. */
export function modelKey(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/**
 * `attestation_mismatch`: the hardware of a device proves one IMEI while the network sees
 * another (docs/attestation.md). Reads accepted attestations with verdict `attested`
 * (`data.attestations`) submitted on or before `asOf` (UTC date). A SEEN IMEI X matches when:
 *
 * 1. X is the IMEI a submitting client read from the device's modem (`claimedImei`, what the
 *    network sees) and the hardware attests one or more IMEIs, none of them X: the modem's IMEI
 *    was reprogrammed; or
 * 2. X is an attested IMEI with an attested model M (non-empty `modelKey`), X's TAC is in the TAC
 *    database with at least one model name, and no model name of the TAC has M's `modelKey`: the
 *    IMEI is used on hardware of another model than its TAC's allocation.
 *
 * The SIM's IMSI of a submission is recorded but not used: a SIM moved between phones on the
 * same day would flag the other phone.
 */
export function attestationMismatch(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  const facts = data.attestations;
  if (facts === undefined || facts.length === 0) return out;
  const seen = seenImeis(data, asOf);
  const end = dayNumber(asOf);
  for (const f of facts) {
    if (dayNumber(f.day) > end) continue;
    const c = f.claimedImei;
    if (c !== null && f.imeis.length > 0 && !f.imeis.includes(c) && seen.has(c)) out.add(c);
    const m = f.model === null ? '' : modelKey(f.model);
    if (m === '') continue;
    for (const imei of f.imeis) {
      if (!seen.has(imei)) continue;
      const names = (data.tacs.get(tacOfNorm(imei))?.models ?? []).map(modelKey).filter(Boolean);
      if (names.length > 0 && !names.includes(m)) out.add(imei);
    }
  }
  return out;
}
