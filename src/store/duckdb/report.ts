/**
 * The monthly report (`core/ports/report-store.ts`) as set-based SQL, built for 10M-row months on
 * two cores: no large intermediate is written except one row per seen IMEI (`rpt_imei`: the
 * operators it was seen on as a bitmask, its distinct IMSIs nationally and per operator), and
 * every per-scope figure is a `count(*) FILTER (WHERE ops & bit <> 0)` column of a single pass,
 * never a repeated scan per operator. The classification state as of the month's last day is
 * reduced to the seen IMEIs (`rpt_state`, then one row per IMEI in `rpt_cls`).
 */
import type { DeploymentProfile } from '../../core/deployment.js';
import {
  BLACK_AGES,
  COUNTRY_SCOPE,
  DEFAULT_TOP_MODELS,
  IMSI_BUCKETS,
  type CombinationCount,
  type ImsiBucket,
  type ModelCount,
  type MonthReport,
  type MonthReportOptions,
  type ReportCondition,
  type ScopeFigures,
} from '../../core/ports/report-store.js';
import { addDays, addMonths } from '../../core/rules/dates.js';
import { lit } from './duckdb-database.js';
import type { SqlRow as Row, SqlSession as DuckDb } from '../sql-session.js';

const TEMPS = ['rpt_scope', 'rpt_imei', 'rpt_state', 'rpt_cls', 'rpt_tac', 'rpt_per_tac'];
/** Operators fit a BIGINT bitmask (the country's mask is -1, every bit). */
const MAX_OPERATORS = 62;

/** First and last day of a `YYYY-MM` month; throws a RangeError on anything else (a bug). */
export function monthBounds(month: string): { start: string; end: string } {
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new RangeError(`monthBounds needs YYYY-MM, got "${month}"`);
  const start = `${month}-01`;
  return { start, end: addDays(addMonths(start, 1), -1) };
}

const num = (v: unknown): number => (v == null ? 0 : Number(v));
const str = (v: unknown): string => (v == null ? '' : String(v));

/** [lo, hi] distinct IMSIs of each bucket (counts are capped at 10 in `rpt_imei`). */
const BUCKET_RANGES: Record<ImsiBucket, [number, number]> = {
  '0': [0, 0],
  '1': [1, 1],
  '2': [2, 2],
  '3': [3, 3],
  '4': [4, 4],
  '5-9': [5, 9],
  '10+': [10, 10],
};

/**
 * The scopes of one report: operator k has bit k, the country mask -1. Figures are first
 * aggregated by the small key `ops` (the operators an IMEI or identifier was seen on), then
 * spread to the scopes by joining `rpt_scope(j, bit)` on `ops & bit <> 0`.
 */
class Scopes {
  /** Operators first (scope j = operator j), then the country. */
  readonly ids: string[];
  constructor(readonly operators: readonly string[]) {
    if (operators.length > MAX_OPERATORS)
      throw new RangeError(`The report handles at most ${MAX_OPERATORS} operators`);
    this.ids = [...operators, COUNTRY_SCOPE];
  }
  /** The operator's bit, from an operator column. */
  bitOf(col: string): string {
    if (this.operators.length === 0) return '0::BIGINT';
    const whens = this.operators.map((o, k) => `WHEN ${lit(o)} THEN ${1n << BigInt(k)}`);
    return `(CASE ${col} ${whens.join(' ')} ELSE 0 END)::BIGINT`;
  }
  table(): string {
    const rows = this.ids.map(
      (_, j) => `(${j}, ${j < this.operators.length ? 1n << BigInt(j) : -1}::BIGINT)`,
    );
    return `CREATE TEMP TABLE rpt_scope AS SELECT * FROM (VALUES ${rows.join(', ')}) v(j, bit)`;
  }
  /** `inner` has an `ops` column and a count `n`: sums `n` per `keys` and scope `j`. */
  spread(inner: string, keys: readonly string[], extra = ''): string {
    const k = keys.map((c) => `x.${c}, `).join('');
    return `SELECT ${k}s.j, sum(x.n)::BIGINT AS n FROM (${inner}) x
      JOIN rpt_scope s ON (x.ops & s.bit) <> 0 GROUP BY ${k}s.j ${extra}`;
  }
  /** Per-scope sums read back: `key(row)` -> scope id -> n. */
  collect(rows: readonly Row[], key: (r: Row) => string): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const k = key(r);
      if (!out.has(k)) out.set(k, new Map());
      out.get(k)!.set(this.ids[num(r.j)]!, num(r.n));
    }
    return out;
  }
}

export async function monthReport(
  db: DuckDb,
  month: string,
  deployment: DeploymentProfile,
  options: MonthReportOptions = {},
): Promise<MonthReport> {
  const { start, end } = monthBounds(month);
  const top = Math.max(1, Math.floor(options.topModels ?? DEFAULT_TOP_MODELS));
  const M = `DATE ${lit(start)}`;
  const E = `DATE ${lit(end)}`;
  const inMonth = `FROM triplets WHERE month = ${M}`;
  const drop = async () => {
    for (const t of TEMPS) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  };
  await drop();
  try {
    const perOperator = await db.all(
      `SELECT operator, count(*)::BIGINT AS n ${inMonth} GROUP BY operator ORDER BY operator`,
    );
    const operators = deployment.operators.map((o) => ({ id: o.id, name: o.name }));
    for (const r of perOperator)
      if (!operators.some((o) => o.id === str(r.operator)))
        operators.push({ id: str(r.operator), name: str(r.operator) });
    const sc = new Scopes(operators.map((o) => o.id));
    const opBit = sc.bitOf('operator');
    await db.run(sc.table());

    // One row per seen IMEI: the operators it was seen on, its distinct IMSIs (capped at 10)
    // nationally and per operator, and whether an IMEI-IMSI pair was seen on two operators.
    const perOp = sc.operators
      .map(
        (_, k) =>
          `, least(10, count(imsi) FILTER (WHERE (ops & ${1n << BigInt(k)}) <> 0))::UTINYINT AS imsis${k}`,
      )
      .join('');
    await db.run(`CREATE TEMP TABLE rpt_imei AS
      WITH pair AS (SELECT imei, imsi, bit_or(${opBit}) AS ops ${inMonth} GROUP BY imei, imsi)
      SELECT imei, bit_or(ops) AS ops, least(10, count(imsi))::UTINYINT AS imsis${perOp},
             bool_or(bit_count(ops) > 1) AS shared
        FROM pair GROUP BY imei`);
    await db.run(`CREATE TEMP TABLE rpt_state AS
      SELECT s.imei, s.condition, min(s.block_date) AS block_date
        FROM classification_state s SEMI JOIN rpt_imei i ON s.imei = i.imei
       WHERE s.start_date <= ${E} AND (s.end_date IS NULL OR s.end_date > ${E})
       GROUP BY s.imei, s.condition`);
    // block_date: the earliest block date of the IMEI's open blocking conditions.
    await db.run(`CREATE TEMP TABLE rpt_cls AS
      SELECT imei, bool_or(block_date IS NOT NULL) AS blocking,
             list(condition ORDER BY condition) AS conditions, min(block_date) AS block_date
        FROM rpt_state GROUP BY imei`);

    const meta = await db.one(`SELECT
        (SELECT min(first_seen)::VARCHAR ${inMonth}) AS first_day,
        (SELECT max(last_seen)::VARCHAR ${inMonth}) AS last_day,
        (SELECT max(as_of)::VARCHAR FROM classification_runs WHERE as_of <= ${E}) AS classified`);
    const classificationAsOf = meta?.classified == null ? null : String(meta.classified);
    const conditions = await reportConditions(db, classificationAsOf);

    // Statuses, malformed IMEIs and IMSI buckets, from a small aggregate of rpt_imei.
    const imsiCols = [...sc.operators.map((_, k) => `imsis${k}`), 'imsis'];
    const imsisOfScope = `(CASE s.j ${imsiCols.map((c, j) => `WHEN ${j} THEN x.${c}`).join(' ')} END)`;
    const buckets = IMSI_BUCKETS.map((_, b) => {
      const [lo, hi] = BUCKET_RANGES[IMSI_BUCKETS[b]!];
      return `sum(x.n) FILTER (WHERE ${imsisOfScope} BETWEEN ${lo} AND ${hi})::BIGINT AS b${b}`;
    });
    const figRows = await db.all(`SELECT s.j, sum(x.n)::BIGINT AS imeis,
        sum(x.n) FILTER (WHERE x.status = 0)::BIGINT AS compliant,
        sum(x.n) FILTER (WHERE x.status = 2)::BIGINT AS blocking,
        sum(x.n) FILTER (WHERE x.status = 1)::BIGINT AS informative,
        sum(x.n) FILTER (WHERE x.malformed)::BIGINT AS malformed, ${buckets.join(', ')}
      FROM (SELECT i.ops, ${imsiCols.map((c) => `i.${c}`).join(', ')}, i.imei < 0 AS malformed,
                   CASE WHEN c.imei IS NULL THEN 0 WHEN c.blocking THEN 2 ELSE 1 END AS status,
                   count(*) AS n
              FROM rpt_imei i LEFT JOIN rpt_cls c USING (imei)
             GROUP BY ${imsiCols.map((_, k) => k + 2).join(', ')}, 1, ${imsiCols.length + 2}, ${imsiCols.length + 3}) x
      JOIN rpt_scope s ON (x.ops & s.bit) <> 0 GROUP BY s.j`);
    const fig = new Map(figRows.map((r) => [sc.ids[num(r.j)]!, r]));

    // Distinct IMSIs and MSISDNs: one seen on two operators counts once nationally.
    const distinct = async (col: string) =>
      sc
        .collect(
          await db.all(
            sc.spread(
              `SELECT ops, count(*) AS n FROM (SELECT ${col}, bit_or(${opBit}) AS ops ${inMonth}
               AND ${col} IS NOT NULL GROUP BY ${col}) GROUP BY ops`,
              [],
            ),
          ),
          () => '',
        )
        .get('') ?? new Map<string, number>();
    const imsis = await distinct('imsi');
    const msisdns = await distinct('msisdn');
    // Triplets: each operator's rows are distinct; nationally, a triplet seen on k operators
    // (only possible for an IMEI-IMSI pair seen on two) counts k - 1 times too many.
    const overlap = await db.one(`SELECT coalesce(sum(c - 1), 0)::BIGINT AS n FROM (
        SELECT count(*) AS c FROM triplets t SEMI JOIN (SELECT imei FROM rpt_imei WHERE shared) x ON x.imei = t.imei
         WHERE t.month = ${M} GROUP BY t.imei, t.imsi, t.msisdn HAVING count(*) > 1)`);
    const rowsOf = new Map(perOperator.map((r) => [str(r.operator), num(r.n)]));
    const allRows = perOperator.reduce((a, r) => a + num(r.n), 0);

    // Models: seen IMEIs per TAC, then per model of the current TAC database.
    await db.run(`CREATE TEMP TABLE rpt_tac AS
      SELECT key::INTEGER AS tac,
             coalesce(json_extract_string(attrs, '$.brand_name'), '') AS brand,
             coalesce(json_extract_string(attrs, '$.model_name'), '') AS model,
             coalesce(json_extract_string(attrs, '$.manufacturer'), '') AS manufacturer
        FROM list_entries
       WHERE list = 'gsma_tac' AND valid_to IS NULL AND regexp_full_match(key, '[0-9]{8}')`);
    await db.run(`CREATE TEMP TABLE rpt_per_tac AS
      SELECT (imei // 1000000)::INTEGER AS tac, ops, count(*) AS n
        FROM rpt_imei WHERE imei >= 0 GROUP BY 1, 2`);
    const unknown =
      sc
        .collect(
          await db.all(
            sc.spread(
              'SELECT * FROM rpt_per_tac p WHERE NOT EXISTS (SELECT 1 FROM rpt_tac t WHERE t.tac = p.tac)',
              [],
            ),
          ),
          () => '',
        )
        .get('') ?? new Map<string, number>();
    const models = await db.all(`SELECT * FROM (SELECT x.brand, x.model, x.manufacturer, s.j,
        sum(x.n)::BIGINT AS n, row_number() OVER (PARTITION BY s.j
          ORDER BY sum(x.n) DESC, x.brand, x.model, x.manufacturer) AS rk
        FROM (SELECT t.brand, t.model, t.manufacturer, p.ops, p.n
                FROM rpt_per_tac p JOIN rpt_tac t USING (tac)) x
        JOIN rpt_scope s ON (x.ops & s.bit) <> 0
       GROUP BY x.brand, x.model, x.manufacturer, s.j) q WHERE rk <= ${top}`);
    const topModels: ModelCount[] = [];
    for (const r of models.sort(
      (a, b) =>
        num(a.j) - num(b.j) ||
        num(b.n) - num(a.n) ||
        str(a.brand).localeCompare(str(b.brand)) ||
        str(a.model).localeCompare(str(b.model)) ||
        str(a.manufacturer).localeCompare(str(b.manufacturer)),
    )) {
      const scope = sc.ids[num(r.j)]!;
      const rank = topModels.filter((m) => m.scope === scope).length + 1;
      topModels.push({
        scope,
        rank,
        brand: str(r.brand),
        model: str(r.model),
        manufacturer: str(r.manufacturer),
        imeis: num(r.n),
      });
    }

    const figures: ScopeFigures[] = sc.ids.map((scope) => {
      const r = fig.get(scope);
      return {
        scope,
        imeis: num(r?.imeis),
        imsis: imsis.get(scope) ?? 0,
        msisdns: msisdns.get(scope) ?? 0,
        triplets: scope === COUNTRY_SCOPE ? allRows - num(overlap?.n) : (rowsOf.get(scope) ?? 0),
        compliant: num(r?.compliant),
        blocking: num(r?.blocking),
        informative: num(r?.informative),
        malformedImeis: num(r?.malformed),
        unknownTacImeis: unknown.get(scope) ?? 0,
      };
    });
    const imsiDistribution = sc.ids.flatMap((scope) =>
      IMSI_BUCKETS.map((bucket, b) => ({ scope, bucket, imeis: num(fig.get(scope)?.[`b${b}`]) })),
    );

    const condCount = sc.collect(
      await db.all(
        sc.spread(
          `SELECT st.condition, i.ops, count(*) AS n
             FROM rpt_state st JOIN rpt_imei i USING (imei) GROUP BY st.condition, i.ops`,
          ['condition'],
        ),
      ),
      (r) => str(r.condition),
    );
    const byCondition = sc.ids.flatMap((scope) =>
      conditions.map((c) => ({
        scope,
        condition: c.label,
        imeis: condCount.get(c.label)?.get(scope) ?? 0,
      })),
    );

    const combos = await db.all(
      sc.spread(
        `SELECT c.conditions, c.blocking, i.ops, count(*) AS n
           FROM rpt_cls c JOIN rpt_imei i USING (imei) GROUP BY c.conditions, c.blocking, i.ops`,
        ['conditions', 'blocking'],
      ),
    );
    const byCombination: CombinationCount[] = combos
      .map((r) => ({
        scope: sc.ids[num(r.j)]!,
        conditions: (r.conditions as unknown[]).map(String),
        blocking: Boolean(r.blocking),
        imeis: num(r.n),
      }))
      .sort(
        (a, b) =>
          sc.ids.indexOf(a.scope) - sc.ids.indexOf(b.scope) ||
          b.imeis - a.imeis ||
          a.conditions.join('\n').localeCompare(b.conditions.join('\n')),
      );

    const black = await blackListedSeen(db, sc, M, E);
    const blackListedSeenRows = sc.ids.flatMap((scope) =>
      BLACK_AGES.map((age, a) => ({ scope, age, imeis: black.get(String(a))?.get(scope) ?? 0 })),
    );

    return {
      month,
      periodStart: start,
      periodEnd: end,
      country: deployment.country.name,
      operators,
      dataFirstDay: meta?.first_day == null ? null : String(meta.first_day),
      dataLastDay: meta?.last_day == null ? null : String(meta.last_day),
      classificationAsOf,
      conditions,
      figures,
      byCondition,
      byCombination,
      topModels,
      imsiDistribution,
      blackListedSeen: blackListedSeenRows,
    };
  } finally {
    await drop();
  }
}

/**
 * Black-listed IMEIs seen on or after their block date, per age (0..3 = "3+") and scope: the
 * block date's whole days count when it falls in the month (bit d-1 = day d), every day of the
 * month when it is earlier. Golden IMEIs as of the month's end are never black-listed.
 */
async function blackListedSeen(
  db: DuckDb,
  sc: Scopes,
  M: string,
  E: string,
): Promise<Map<string, Map<string, number>>> {
  const after = `(${E} + INTERVAL '1 day')`;
  const rows = await db.all(
    sc.spread(
      `WITH b AS (
        SELECT imei, block_date,
               least(3, 12 * (extract(year FROM ${E}) - extract(year FROM block_date))
                 + extract(month FROM ${E}) - extract(month FROM block_date))::INTEGER AS age
          FROM rpt_cls
         WHERE blocking AND block_date <= ${E}
           AND imei NOT IN (
             SELECT imei_norm::BIGINT FROM list_entries
              WHERE list = 'golden' AND regexp_full_match(imei_norm, '[0-9]{14}')
                AND valid_from < ${after} AND (valid_to IS NULL OR valid_to >= ${after}))),
      seen AS (
        SELECT t.imei, b.age, bit_or(${sc.bitOf('t.operator')}) AS ops
          FROM triplets t JOIN b USING (imei)
         WHERE t.month = ${M}
           AND (b.block_date < ${M} OR (t.day_mask >> (dayofmonth(b.block_date) - 1)::INTEGER) <> 0)
         GROUP BY t.imei, b.age)
      SELECT age, ops, count(*) AS n FROM seen GROUP BY age, ops`,
      ['age'],
    ),
  );
  return sc.collect(rows, (r) => String(num(r.age)));
}

/**
 * The conditions of the condition set of the last run on or before the month's end (the latest
 * set when there is none), plus any label found only in the state (blocking when it has a block
 * date); blocking first, then by label.
 */
async function reportConditions(
  db: DuckDb,
  classificationAsOf: string | null,
): Promise<ReportCondition[]> {
  const set = await db.one(
    classificationAsOf === null
      ? 'SELECT conditions FROM condition_sets ORDER BY version DESC LIMIT 1'
      : `SELECT conditions FROM condition_sets
          WHERE version = (SELECT condition_set_version FROM classification_runs
                            WHERE as_of <= DATE ${lit(classificationAsOf)}
                            ORDER BY as_of DESC, id DESC LIMIT 1)`,
  );
  const out = new Map<string, ReportCondition>();
  const raw = set?.conditions == null ? [] : (JSON.parse(String(set.conditions)) as unknown[]);
  for (const c of raw as Record<string, unknown>[])
    out.set(String(c.label), {
      label: String(c.label),
      reason: str(c.reason),
      blocking: Boolean(c.blocking),
    });
  for (const r of await db.all(
    'SELECT condition, bool_or(block_date IS NOT NULL) AS blocking FROM rpt_state GROUP BY condition',
  ))
    if (!out.has(str(r.condition)))
      out.set(str(r.condition), {
        label: str(r.condition),
        reason: '',
        blocking: Boolean(r.blocking),
      });
  return [...out.values()].sort(
    (a, b) => Number(b.blocking) - Number(a.blocking) || a.label.localeCompare(b.label),
  );
}
