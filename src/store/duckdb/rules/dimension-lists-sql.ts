/**
 * Dimensions that are SEEN IMEIs on (or off) a current list: `stolen_list`,
 * `exists_in_barred_list`, `exists_in_monitoring_list`, `is_barred_tac` and
 * `not_on_registration_list` (oracle: `core/rules/dimensions/`).
 */
import type { NotOnRegistrationListParams } from '../../../core/rules/condition.js';
import { lit } from '../duckdb-database.js';
import { seenSql, seenTriplets } from './seen.js';
import { withTac } from './sql-identifiers.js';
import { activeStatus, barredTacs, listImeis, tacDb } from './sql-lists.js';

/**
 * SEEN IMEIs that are in a (small) relation of IMEIs (`imei` column): the seen triplets are
 * semi-joined to the list before DISTINCT, which then runs on the few matches only.
 */
function seenIn(asOf: string, imeis: string): string {
  return `SELECT DISTINCT t.imei FROM ${seenTriplets(asOf)} t SEMI JOIN ${imeis} l ON l.imei = t.imei`;
}

/** `stolen_list`: SEEN and on the stolen list with a blocking status (null, blank, blacklist). */
export function stolenListSql(asOf: string): string {
  return seenIn(asOf, listImeis('stolen', activeStatus('e.status', 'blacklist')));
}

/** `exists_in_barred_list`: SEEN and on the barred list. */
export function barredListSql(asOf: string): string {
  return seenIn(asOf, listImeis('barred'));
}

/** `exists_in_monitoring_list`: SEEN and on the monitoring list. */
export function monitoringListSql(asOf: string): string {
  return seenIn(asOf, listImeis('monitoring'));
}

/** `is_barred_tac`: SEEN and the TAC (first 8 characters of `imei_norm`) on the barred TAC list. */
export function barredTacSql(asOf: string): string {
  return `SELECT DISTINCT w.imei FROM ${withTac(seenTriplets(asOf))} w
    SEMI JOIN ${barredTacs()} b ON b.tac = w.tac`;
}

/**
 * `not_on_registration_list`: SEEN, minus IMEIs registered (status null, blank or whitelist),
 * minus IMEIs whose TAC is in the TAC database with an exempted device type (exact text).
 */
export function notOnRegistrationListSql(asOf: string, p: NotOnRegistrationListParams): string {
  const registered = listImeis('registration', activeStatus('e.status', 'whitelist'));
  const types = p.exemptedDeviceTypes;
  const exempt =
    types.length === 0
      ? ''
      : `AND NOT EXISTS (SELECT 1 FROM ${tacDb()} d
           WHERE d.tac = w.tac AND d.device_type IN (${types.map(lit).join(', ')}))`;
  return `SELECT w.imei FROM ${withTac(`(${seenSql(asOf)})`)} w
    WHERE NOT EXISTS (SELECT 1 FROM ${registered} r WHERE r.imei = w.imei) ${exempt}`;
}
