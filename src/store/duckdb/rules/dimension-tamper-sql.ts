/**
 * The tamper-signal dimensions (docs/attestation.md): `implausible_imei`,
 * `seen_before_allocation` and `attestation_mismatch` (oracles in `core/rules/dimensions/`).
 */
import type { SeenBeforeAllocationParams } from '../../../core/rules/condition.js';
import type { AttestationFact } from '../../../core/rules/data-model.js';
import { dayNumber } from '../../../core/rules/dates.js';
import { seenSql } from './seen.js';
import { currentList } from './sql-lists.js';
import { dateSql, windowMaskExpr } from './sql-window.js';

/** The 30 placeholder IMEI values: 10 repeated digits, 10 ascending and 10 descending runs. */
function implausibleValues(): string[] {
  const out: string[] = [];
  for (let first = 0; first < 10; first++)
    for (const step of [0, 1, 9]) {
      let v = '';
      for (let i = 0; i < 14; i++) v += String((first + step * i) % 10);
      out.push(String(Number(v)));
    }
  return [...new Set(out)];
}

/** `implausible_imei`: the SEEN clean IMEIs equal to a placeholder value. */
export function implausibleImeiSql(asOf: string): string {
  return `SELECT imei FROM (${seenSql(asOf)}) WHERE imei IN (${implausibleValues().join(', ')})`;
}

const MONTHS = "['jan','feb','mar','apr','may','jun','jul','aug','sep','oct','nov','dec']";

/**
 * The TAC database's allocation dates as DATEs: `DD-Mon-YYYY` (any case) turned into
 * `YYYY-MM-DD`, other text kept as it is (as the oracle's loader does), then only calendar
 * `YYYY-MM-DD` texts.
 */
function allocationDates(): string {
  const v = `json_extract_string(attrs, '$.allocation_date')`;
  const month = `list_position(${MONTHS}, lower(split_part(trim(v), '-', 2)))`;
  const iso = `CASE WHEN regexp_full_match(trim(v), '[0-9]{1,2}-[A-Za-z]{3}-[0-9]{4}') AND ${month} > 0
      THEN split_part(trim(v), '-', 3) || '-' || lpad(${month}::VARCHAR, 2, '0') || '-'
        || lpad(split_part(trim(v), '-', 1), 2, '0')
      ELSE v END`;
  return `(SELECT tac, try_cast(iso AS DATE) AS alloc FROM (
      SELECT key::INTEGER AS tac, ${iso} AS iso FROM (
        SELECT key, ${v} AS v FROM ${currentList('gsma_tac')}) WHERE v IS NOT NULL AND trim(v) <> '')
    WHERE regexp_full_match(iso, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND try_cast(iso AS DATE) IS NOT NULL)`;
}

/**
 * `seen_before_allocation`: a clean IMEI with a triplet day on or before
 * min(asOf, allocation - tolerance - 1) of its TAC.
 */
export function seenBeforeAllocationSql(asOf: string, p: SeenBeforeAllocationParams): string {
  const cutoff = `least(${dateSql(dayNumber(asOf))}, a.alloc - ${p.toleranceDays + 1})`;
  return `SELECT DISTINCT t.imei FROM triplets t JOIN ${allocationDates()} a ON a.tac = t.imei // 1000000
    WHERE t.imei >= 0 AND t.month <= ${cutoff}
      AND t.day_mask & ${windowMaskExpr(null, cutoff, 't.')} <> 0`;
}

/** A model name's comparison key: ASCII letters and digits, lower-cased. */
const modelKey = (e: string) => `lower(regexp_replace(${e}, '[^A-Za-z0-9]', '', 'g'))`;

/**
 * `attestation_mismatch`: from accepted `attested` attestations submitted on or before `asOf`,
 * (1) the claimed IMEI when the hardware attests others, not it; (2) an attested IMEI whose
 * TAC's model names (some non-empty) do not include the attested model.
 */
export function attestationMismatchSql(asOf: string): string {
  const facts = `(SELECT * FROM attestations WHERE verdict = 'attested' AND accepted
      AND submitted_at::DATE <= ${dateSql(dayNumber(asOf))})`;
  const attested = `(SELECT imei, model FROM ${facts} WHERE imei IS NOT NULL
      UNION ALL SELECT second_imei, model FROM ${facts} WHERE second_imei IS NOT NULL)`;
  const names = `(SELECT key::INTEGER AS tac, ${modelKey('n.name')} AS name FROM ${currentList('gsma_tac')} e,
      (SELECT unnest([json_extract_string(e.attrs, '$.model_name'),
        json_extract_string(e.attrs, '$.marketing_name'),
        json_extract_string(e.attrs, '$.internal_model_name')]) AS name) n
      WHERE ${modelKey("coalesce(n.name, '')")} <> '')`;
  return `SELECT f.claimed_imei AS imei FROM ${facts} f
      SEMI JOIN (${seenSql(asOf)}) s ON s.imei = f.claimed_imei
     WHERE f.claimed_imei IS NOT NULL AND (f.imei IS NOT NULL OR f.second_imei IS NOT NULL)
       AND f.claimed_imei IS DISTINCT FROM f.imei AND f.claimed_imei IS DISTINCT FROM f.second_imei
    UNION ALL
    SELECT x.imei FROM ${attested} x
      SEMI JOIN (${seenSql(asOf)}) s ON s.imei = x.imei
     WHERE ${modelKey("coalesce(x.model, '')")} <> ''
       AND EXISTS (SELECT 1 FROM ${names} m WHERE m.tac = x.imei // 1000000)
       AND NOT EXISTS (SELECT 1 FROM ${names} m WHERE m.tac = x.imei // 1000000
                         AND m.name = ${modelKey('x.model')})`;
}

/** A session that reads rows (DuckDB or the PostgreSQL session). */
interface Reader {
  all(sql: string): Promise<Record<string, unknown>[]>;
}

/**
 * The oracle's attestation facts: accepted `attested` attestations with their attested IMEIs,
 * claimed IMEI, model and UTC day. Empty when the store has no `attestations` table (an adapter
 * without migration 5).
 */
export async function loadAttestationFacts(db: Reader): Promise<AttestationFact[]> {
  const t = await db.all(`SELECT count(*) AS n FROM information_schema.tables
    WHERE table_name = 'attestations'`);
  if (Number(t[0]?.n ?? 0) === 0) return [];
  const imei = (c: string) =>
    `CASE WHEN ${c} IS NULL THEN NULL ELSE lpad(${c}::VARCHAR, 14, '0') END`;
  const rows = await db.all(`SELECT id, submitted_at::DATE::VARCHAR AS day, ${imei('imei')} AS imei,
      ${imei('second_imei')} AS second_imei, ${imei('claimed_imei')} AS claimed_imei, model
    FROM attestations WHERE verdict = 'attested' AND accepted ORDER BY submitted_at, id`);
  return rows.map((r) => ({
    day: String(r.day),
    imeis: [r.imei, r.second_imei].filter((x) => x != null).map(String),
    claimedImei: r.claimed_imei == null ? null : String(r.claimed_imei),
    model: r.model == null ? null : String(r.model),
  }));
}

/** The model names of a TAC database entry's attributes (blanks left out). */
export function tacModels(attrs: Readonly<Record<string, string>>): string[] {
  return [attrs.model_name, attrs.marketing_name, attrs.internal_model_name].filter(
    (x): x is string => x !== undefined && x.trim() !== '',
  );
}
