/** Shared counting of IMSIs or MSISDNs per day for the duplicate and concurrency dimensions. */
import type { DayWindow } from '../dates.js';
import { type Triplet, tripletDays } from '../data-model.js';

/** The identity a duplicate dimension counts: the IMSI, or the MSISDN with `use_msisdn`. */
export function identityOf(t: Triplet, useMsisdn: boolean): string | null {
  return useMsisdn ? t.msisdn : t.imsi;
}

/**
 * Per day of the window: the distinct non-null identities (IMSIs, or MSISDNs) the IMEI was seen
 * with that day, over all operators (the same IMSI reported by two operators counts once), and
 * the operators that reported it with a non-null identity that day. Days without any non-null
 * identity are absent.
 */
export function identitiesPerDay(
  ts: readonly Triplet[],
  window: DayWindow,
  useMsisdn: boolean,
): Map<number, { ids: Set<string>; operators: Set<string> }> {
  const perDay = new Map<number, { ids: Set<string>; operators: Set<string> }>();
  for (const t of ts) {
    const id = identityOf(t, useMsisdn);
    if (id === null) continue;
    for (const day of tripletDays(t, window)) {
      let e = perDay.get(day);
      if (!e) perDay.set(day, (e = { ids: new Set(), operators: new Set() }));
      e.ids.add(id);
      e.operators.add(t.operator);
    }
  }
  return perDay;
}
