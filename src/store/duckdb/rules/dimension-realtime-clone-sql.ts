/**
 * `realtime_clone`: a flag of the EIR's streaming clone detector (`realtime_clone_flags`, same
 * IMEI encoding as `triplets`) whose UTC date is in the look-back window, for a SEEN IMEI
 * (oracle: `core/rules/dimensions/realtime-clone.ts`).
 */
import type { LookbackParams } from '../../../core/rules/condition.js';
import { lastDays } from '../../../core/rules/dates.js';
import { seenSql } from './seen.js';
import { dateSql } from './sql-window.js';

export function realtimeCloneSql(asOf: string, p: LookbackParams): string {
  const w = lastDays(asOf, p.lookbackDays);
  return `SELECT DISTINCT f.imei FROM realtime_clone_flags f
    SEMI JOIN (${seenSql(asOf)}) s ON s.imei = f.imei
    WHERE f.flagged_at::DATE BETWEEN ${dateSql(w.from)} AND ${dateSql(w.to)}`;
}
