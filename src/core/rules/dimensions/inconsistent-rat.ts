import { Generation, ratMaskGenerations } from '../../ids/index.js';
import type { NoParams } from '../condition.js';
import type { ClassificationData } from '../data-model.js';
import { seenRatsWithTac } from './rat-seen.js';

/** The generations `inconsistent_rat` checks; 5G is `rat_beyond_tac`'s. */
export const INCONSISTENT_RAT_GENERATIONS = Generation.G2 | Generation.G3 | Generation.G4;

/**
 * `inconsistent_rat`: used on a 2G, 3G or 4G radio technology its TAC's bands do not have
 * (DIRBS `inconsistent_rat`; 5G NR is the separate `rat_beyond_tac`).
 *
 * Exact rule: among SEEN IMEIs whose TAC is known with caps != 0 (`seenRatsWithTac`):
 * g = `ratMaskGenerations(OR of ratMask of triplets with a day <= asOf)` (codes without a
 * generation, WLAN 003 / GAN 004 / Virtual 007, add nothing); match iff
 * `g & ~caps & (G2|G3|G4) != 0`. Generation bits: 2G=1, 3G=2, 4G=4, 5G=8; RAT codes map to
 * generations per `core/ids/rat.ts` (e.g. 008 NB-IoT and 009 LTE-M are 4G, 104 1xRTT is 2G).
 * DIRBS ORed capabilities over all TACs of the same model; we use the TAC's own.
 */
export function inconsistentRat(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const [imei, { ratMask, tac }] of seenRatsWithTac(data, asOf)) {
    if (ratMaskGenerations(ratMask) & ~tac.caps & INCONSISTENT_RAT_GENERATIONS) out.add(imei);
  }
  return out;
}
