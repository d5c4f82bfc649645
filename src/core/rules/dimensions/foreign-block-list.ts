import type { ForeignBlockListParams } from '../condition.js';
import { type ClassificationData, seenImeis } from '../data-model.js';

/**
 * `foreign_block_list`: SEEN IMEIs with an active record received from a peer CEIR (the
 * cross-border exchange, docs/exchange.md) whose peer the regulator trusts at one of
 * `params.trust` (block | greylist | inform). So a deployment can make records of peers it
 * trusts to `block` a blocking condition and those it trusts to `inform` an informative one.
 *
 * Exact rule: match iff the IMEI is SEEN as of `asOf` and `data.foreignRecords` has, for it, a
 * trust in `params.trust`. The records are the current ones (as for the stolen list): the
 * exchange keeps the last version of each record, not its history.
 */
export function foreignBlockList(
  params: ForeignBlockListParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const out = new Set<string>();
  const records = data.foreignRecords;
  if (records === undefined || records.size === 0) return out;
  const seen = seenImeis(data, asOf);
  for (const [imei, trusts] of records)
    if (seen.has(imei) && trusts.some((t) => params.trust.includes(t))) out.add(imei);
  return out;
}
