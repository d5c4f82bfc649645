import { isTestTac as isTestTacPrefix } from '../../ids/index.js';
import type { NoParams } from '../condition.js';
import { type ClassificationData, seenImeis } from '../data-model.js';

/**
 * `is_test_tac`: SEEN IMEIs whose `imei_norm` starts with `001001`..`001017`, `0044`, `0086` or
 * `0091` (`core/ids/tac.ts` `isTestTac`, DIRBS `is_test_tac`). Prefix test on the text, so a
 * malformed IMEI with such a prefix matches too.
 */
export function isTestTac(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  for (const imei of seenImeis(data, asOf)) if (isTestTacPrefix(imei)) out.add(imei);
  return out;
}
