import type { NoParams } from '../condition.js';
import { type ClassificationData, onlySeen, seenImeis } from '../data-model.js';

/** `exists_in_monitoring_list`: SEEN IMEIs on the current monitoring list. */
export function existsInMonitoringList(
  _params: NoParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  return onlySeen(data.lists.monitoring, seenImeis(data, asOf));
}
