import { Generation, ratMaskGenerations } from '../../ids/index.js';
import type { NoParams } from '../condition.js';
import type { ClassificationData } from '../data-model.js';
import { seenRatsWithTac } from './rat-seen.js';

/**
 * `rat_beyond_tac`: seen on 5G NR (RAT code 010, the only 5G code) although its TAC's bands
 * have no NR (no `NR`, `5G NR` or `n<number>` token).
 *
 * Exact rule: among SEEN IMEIs whose TAC is known with caps != 0 (`seenRatsWithTac`): match iff
 * the OR of the ratMask of triplets with a day <= asOf has the NR bit (bit 9, `ratBit('010')`)
 * and `caps & G5 (8) == 0`.
 */
export function ratBeyondTac(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const [imei, { ratMask, tac }] of seenRatsWithTac(data, asOf)) {
    if (ratMaskGenerations(ratMask) & Generation.G5 && !(tac.caps & Generation.G5)) out.add(imei);
  }
  return out;
}
