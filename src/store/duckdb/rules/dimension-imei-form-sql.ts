/** Dimensions read from the IMEI itself: `malformed_imei` and `is_test_tac`. */
import { seenSql } from './seen.js';
import { CLEAN_TEST_TAC, TEXT_TEST_TAC } from './sql-identifiers.js';

/**
 * `malformed_imei`: SEEN IMEIs whose `imei_norm` is not 14 digits, i.e. stored as a text id
 * (negative): ingest stores every 14-digit `imei_norm` as its number.
 */
export function malformedImeiSql(asOf: string): string {
  return `SELECT imei FROM (${seenSql(asOf)}) WHERE imei < 0`;
}

/** `is_test_tac`: SEEN IMEIs whose `imei_norm` has a test-TAC prefix (texts too). */
export function testTacSql(asOf: string): string {
  const seen = `(${seenSql(asOf)})`;
  return `SELECT s.imei FROM ${seen} s WHERE s.imei >= 0 AND ${CLEAN_TEST_TAC('s.imei')}
    UNION ALL
    SELECT s.imei FROM ${seen} s JOIN id_texts x ON x.id = s.imei
     WHERE s.imei < 0 AND ${TEXT_TEST_TAC('x.value')}`;
}
