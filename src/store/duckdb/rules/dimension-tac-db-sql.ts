/**
 * Dimensions that read the GSMA TAC database: `gsma_not_found`, `inconsistent_rat` and
 * `rat_beyond_tac`. The TAC of an IMEI is the first 8 characters of its `imei_norm`, malformed
 * ones included (`withTac`).
 */
import { Generation } from '../../../core/ids/index.js';
import type { GsmaNotFoundParams } from '../../../core/rules/condition.js';
import { INCONSISTENT_RAT_GENERATIONS } from '../../../core/rules/dimensions/index.js';
import { lit } from '../duckdb-database.js';
import { seenTriplets, seenWindow } from './seen.js';
import { textTacExpr, withTac } from './sql-identifiers.js';
import { tacDb } from './sql-lists.js';
import { generationsExpr, ratBitsOf } from './sql-rat.js';
import { dateSql, monthSql, windowMaskExpr } from './sql-window.js';

/** A CASE over `key` mapping the RBIs of `delays` (via `keyOf`) to their delay, else 0. */
function delayCase(key: string, delays: [string, number][], keyOf: (rbi: string) => string) {
  if (delays.length === 0) return '0';
  const whens = delays.map(([rbi, d]) => `WHEN ${keyOf(rbi)} THEN ${Math.max(0, d)}`);
  return `(CASE ${key} ${whens.join(' ')} ELSE 0 END)`;
}

/**
 * `gsma_not_found`: the TAC is not in the TAC database and the IMEI was first seen on or before
 * `asOf - delay(RBI)`. Since only the first day matters, that is: some triplet has a day on or
 * before that cut-off date (a window mask per row, no day expansion, no minimum to compute).
 */
export function gsmaNotFoundSql(asOf: string, p: GsmaNotFoundParams): string {
  const delays = Object.entries(p.rbiDelays);
  const digitDelays = delays.filter(([rbi]) => /^[0-9]{2}$/.test(rbi));
  const to = seenWindow(asOf).to;
  const rows = `SELECT t.imei, t.month, t.day_mask, t.imei // 1000000 AS tac,
        ${delayCase('t.imei // 1000000000000', digitDelays, (r) => String(Number(r)))} AS delay
      FROM triplets t WHERE t.imei >= 0 AND t.month <= ${monthSql(to)}
    UNION ALL
    SELECT t.imei, t.month, t.day_mask, ${textTacExpr('x.value')} AS tac,
        ${delayCase('substr(x.value, 1, 2)', delays, lit)} AS delay
      FROM triplets t JOIN id_texts x ON x.id = t.imei
     WHERE t.imei < 0 AND t.month <= ${monthSql(to)}`;
  const cutoff = `(${dateSql(to)} - c.delay::INTEGER)`;
  return `SELECT DISTINCT c.imei FROM (${rows}) c
    WHERE c.day_mask & ${windowMaskExpr(null, cutoff, 'c.')} <> 0
      AND NOT EXISTS (SELECT 1 FROM ${tacDb()} d WHERE d.tac = c.tac)`;
}

/**
 * The seen triplets (a day on or before `asOf`) of IMEIs whose TAC is known with caps != 0, with
 * the TAC's `caps` (`rat-seen.ts`). The oracle ORs the RAT masks of an IMEI's triplets before
 * testing, but `(OR of g) & x != 0` iff some `g & x != 0`, so each triplet is tested alone and
 * nothing is aggregated but the few matches.
 */
function seenTripletsWithCaps(asOf: string): string {
  return `(SELECT w.imei, w.rat_mask, d.caps FROM ${withTac(seenTriplets(asOf))} w
      JOIN ${tacDb()} d ON d.tac = w.tac WHERE d.caps <> 0)`;
}

/** `inconsistent_rat`: a 2G/3G/4G generation seen that the TAC's bands lack. */
export function inconsistentRatSql(asOf: string): string {
  return `SELECT DISTINCT imei FROM ${seenTripletsWithCaps(asOf)}
    WHERE (${generationsExpr('rat_mask')}) & ~caps & ${INCONSISTENT_RAT_GENERATIONS} <> 0`;
}

/** `rat_beyond_tac`: seen on NR although the TAC's bands have no 5G. */
export function ratBeyondTacSql(asOf: string): string {
  return `SELECT DISTINCT imei FROM ${seenTripletsWithCaps(asOf)}
    WHERE rat_mask & ${ratBitsOf(Generation.G5)} <> 0 AND caps & ${Generation.G5} = 0`;
}
