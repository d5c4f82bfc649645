import type { NoParams } from '../condition.js';
import { type ClassificationData, onlySeen, seenImeis } from '../data-model.js';

/** `exists_in_barred_list`: SEEN IMEIs on the current barred list (`data.lists.barred`). */
export function existsInBarredList(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  return onlySeen(data.lists.barred, seenImeis(data, asOf));
}
