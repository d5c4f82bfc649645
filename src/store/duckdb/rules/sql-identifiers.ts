/**
 * The number encoding of `triplets` (docs/decisions/0001-numeric-identifier-keys.md) seen from
 * the rules: a clean IMEI is its 14-digit value, an IMSI or MSISDN the number `1<digits>`, any
 * other text a negative id into `id_texts`. As every id is negative and every number is not, a
 * join on `id_texts.id = key` alone finds exactly the texts (an extra `key < 0` in a LEFT JOIN's
 * condition makes DuckDB plan a nested-loop join: 0.7 s instead of milliseconds at 0.6M rows). Clean IMEIs are handled with integer arithmetic; the
 * few malformed ones go through `id_texts`, whose texts are the oracle's `imei_norm`s.
 */

/** `imei_norm` of an encoded IMEI column, given the `id_texts.value` joined on it. */
export function imeiNormExpr(imei: string, text: string): string {
  return `CASE WHEN ${imei} >= 0 THEN lpad(${imei}::VARCHAR, 14, '0') ELSE ${text} END`;
}

/** The digits (or text) of an encoded IMSI/MSISDN column, given the `id_texts.value` joined on it. */
export function digitsExpr(key: string, text: string): string {
  return `CASE WHEN ${key} >= 0 THEN substr(${key}::VARCHAR, 2) ELSE ${text} END`;
}

/**
 * The TAC of an `imei_norm` text (its first 8 characters) as an INTEGER when those are 8 digits,
 * else NULL: such a TAC is in no TAC list (list TACs are exactly 8 digits).
 */
export function textTacExpr(text: string): string {
  return `CASE WHEN regexp_full_match(substr(${text}, 1, 8), '[0-9]{8}') THEN substr(${text}, 1, 8)::INTEGER END`;
}

/**
 * The rows of a relation with an `imei` column, plus their `tac`: a clean IMEI's TAC is
 * `imei // 10^6`; a malformed one's is `textTacExpr` of its text.
 */
export function withTac(relation: string): string {
  return `(SELECT r.*, r.imei // 1000000 AS tac FROM ${relation} r WHERE r.imei >= 0
    UNION ALL
    SELECT r.*, ${textTacExpr('x.value')} AS tac FROM ${relation} r
      JOIN id_texts x ON x.id = r.imei WHERE r.imei < 0)`;
}

/**
 * Whether an IMEI is a test TAC (`core/ids/tac.ts` `isTestTac`: prefixes `001001`..`001017`,
 * `0044`, `0086`, `0091` of the `imei_norm`), for clean IMEIs by arithmetic on the 14-digit value.
 */
export const CLEAN_TEST_TAC = (imei: string) =>
  `(${imei} // 10000000000 IN (44, 86, 91) OR ${imei} // 100000000 BETWEEN 1001 AND 1017)`;

/** The same test on an `imei_norm` text. */
export const TEXT_TEST_TAC = (text: string) =>
  `regexp_matches(${text}, '^(00(44|86|91)|0010(0[1-9]|1[0-7]))')`;
