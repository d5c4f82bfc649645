/**
 * The current lists of `list_entries` (rows with `valid_to IS NULL`) as relations keyed like
 * `triplets`. IMEI lists hold clean `imei_norm`s only (list import rejects other keys), so their
 * key is `imei_norm::BIGINT`; a key that is not 14 digits is matched through `id_texts`, as a
 * malformed IMEI of the network data would be. TAC lists hold 8-digit keys, compared as INTEGER.
 */
import { lit } from '../duckdb-database.js';

/** Every list kind the rules read, as stored in `list_entries.list`. */
export type RuleList =
  | 'gsma_tac'
  | 'stolen'
  | 'registration'
  | 'golden'
  | 'barred'
  | 'barred_tac'
  | 'monitoring'
  | 'pairing';

/** The current rows of one list. */
export function currentList(list: RuleList): string {
  return `(SELECT * FROM list_entries WHERE list = ${lit(list)} AND valid_to IS NULL)`;
}

/** `imei` (triplets encoding) of the current entries of an IMEI list passing `where` (on `e`). */
export function listImeis(list: RuleList, where = 'TRUE'): string {
  const rows = `(SELECT imei_norm FROM ${currentList(list)} e WHERE ${where})`;
  return `(SELECT l.imei_norm::BIGINT AS imei FROM ${rows} l
      WHERE regexp_full_match(l.imei_norm, '[0-9]{14}')
    UNION ALL
    SELECT x.id AS imei FROM ${rows} l JOIN id_texts x ON x.value = l.imei_norm
      WHERE NOT regexp_full_match(l.imei_norm, '[0-9]{14}'))`;
}

/** The current GSMA TAC database: `tac` INTEGER, `caps` (0 when NULL), `device_type` text. */
export function tacDb(): string {
  return `(SELECT key::INTEGER AS tac, coalesce(caps, 0) AS caps,
      json_extract_string(attrs, '$.device_type') AS device_type
    FROM ${currentList('gsma_tac')})`;
}

/** The current barred TACs: `tac` INTEGER. */
export function barredTacs(): string {
  return `(SELECT key::INTEGER AS tac FROM ${currentList('barred_tac')})`;
}

/** The SQL test of a status column that blocks (stolen) or registers (registration): null,
 * blank after trimming, or `word` (case-insensitive). */
export function activeStatus(column: string, word: 'blacklist' | 'whitelist'): string {
  return `lower(trim(coalesce(${column}, ''))) IN ('', ${lit(word)})`;
}
