/**
 * List generation in the store (domain.md section 5). From the open classification state:
 * the black list (block date passed, minus golden IMEIs), per-operator notification lists
 * (triplets of IMEIs pending block, seen within the lookback, routed by the IMSI's home
 * operator, minus paired IMEI-IMSI and golden IMEIs) and per-operator exception lists
 * (pairings). Each run's lists are kept as history in `list_rows` (valid from_run..to_run-1),
 * so a delta between any two runs is a comparison, never a second copy.
 */
import type {
  ListGenInput,
  ListRowsQuery,
  ListRun,
  GeneratedListKind,
} from '../../core/ports/classification-store.js';
import { addDays } from '../../core/rules/dates.js';
import { lit, type DuckDb } from './duckdb-database.js';
import type { SqlRow as Row, SqlSession } from '../sql-session.js';
import { digitsExpr, imeiNormExpr } from './rules/sql-identifiers.js';

const TEMPS = [
  'lg_reason',
  'lg_golden',
  'lg_prefix',
  'lg_paired',
  'lg_blocking',
  'lg_black',
  'lg_notification',
  'lg_exception',
];

/** Text of a stored IMEI / IMSI / MSISDN key (see decisions/0001). */
const idText = (c: string) => `(SELECT value FROM id_texts WHERE id = ${c})`;
export const imeiText = (c: string) => imeiNormExpr(c, idText(c));
const digitsText = (c: string) => digitsExpr(c, idText(c));

/** The current golden IMEIs (`imei`, the triplets encoding). */
const GOLDEN = `SELECT imei_norm::BIGINT AS imei FROM list_entries
  WHERE list = 'golden' AND valid_to IS NULL AND regexp_full_match(imei_norm, '[0-9]{14}')`;

/** Columns and key of each list. */
const SHAPE: Record<GeneratedListKind, { key: string[]; data: string[] }> = {
  black: { key: ['imei'], data: ['block_date', 'reasons'] },
  notification: { key: ['operator', 'imei', 'imsi', 'msisdn'], data: ['block_date', 'reasons'] },
  exception: { key: ['operator', 'imei', 'imsi', 'msisdn'], data: [] },
};

const same = (a: string, b: string, cols: string[]) =>
  cols.map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`).join(' AND ') || 'TRUE';

function toRun(r: Row): ListRun {
  return {
    id: Number(r.id),
    asOf: String(r.as_of),
    classificationRun: r.classification_run === null ? null : Number(r.classification_run),
    createdAt: String(r.created_at),
    counts: JSON.parse(String(r.counts)) as ListRun['counts'],
  };
}

export async function listRuns(db: SqlSession): Promise<ListRun[]> {
  const rows = await db.all(
    `SELECT id, as_of::VARCHAR AS as_of, classification_run, created_at::VARCHAR AS created_at, counts
       FROM list_runs ORDER BY id`,
  );
  return rows.map(toRun);
}

export async function generateLists(db: SqlSession, input: ListGenInput): Promise<ListRun> {
  const asOf = `${lit(input.asOf)}::DATE`;
  for (const t of TEMPS) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  try {
    return await db.transaction(async () => {
      const run = Number(
        (await db.one('SELECT coalesce(max(id), 0) + 1 AS id FROM list_runs'))?.id,
      );
      const reasons = input.conditions.map((c) => `(${lit(c.label)}, ${lit(c.reason)})`);
      await db.run(
        `CREATE TEMP TABLE lg_reason AS SELECT * FROM (VALUES ${reasons.length ? reasons.join(', ') : "('', '')"}) v(label, reason)`,
      );
      await db.run(`CREATE TEMP TABLE lg_golden AS SELECT DISTINCT imei FROM (${GOLDEN})`);
      const prefixes = input.deployment.operators.flatMap((o) =>
        o.mcc_mnc.map((p) => `(${lit(o.id)}, ${lit(`1${p}`)})`),
      );
      await db.run(
        `CREATE TEMP TABLE lg_prefix AS SELECT * FROM (VALUES ${prefixes.join(', ')}) v(operator, prefix)`,
      );
      await db.run(`CREATE TEMP TABLE lg_paired AS
        SELECT DISTINCT imei_norm::BIGINT AS imei, ('1' || imsi)::BIGINT AS imsi,
               CASE WHEN regexp_full_match(coalesce(msisdn, ''), '[0-9]{1,15}') THEN ('1' || msisdn)::BIGINT END AS msisdn
          FROM list_entries
         WHERE list = 'pairing' AND valid_to IS NULL AND regexp_full_match(imei_norm, '[0-9]{14}')
           AND regexp_full_match(imsi, '[0-9]{1,15}')`);
      // Open blocking states, golden IMEIs aside; during the amnesty evaluation period granted
      // matches are recorded but not notified.
      const evaluation =
        input.amnesty.enabled &&
        input.amnesty.evaluationPeriodEnd &&
        input.asOf <= input.amnesty.evaluationPeriodEnd
          ? 'AND NOT s.amnesty_granted'
          : '';
      await db.run(`CREATE TEMP TABLE lg_blocking AS
        SELECT s.imei, min(s.block_date) AS block_date,
               string_agg(DISTINCT coalesce(r.reason, s.condition), '|' ORDER BY coalesce(r.reason, s.condition)) AS reasons
          FROM classification_state s LEFT JOIN lg_reason r ON r.label = s.condition
         WHERE s.end_date IS NULL AND s.block_date IS NOT NULL ${evaluation}
           AND s.imei NOT IN (SELECT imei FROM lg_golden)
         GROUP BY s.imei`);
      await db.run(`CREATE TEMP TABLE lg_black AS
        SELECT NULL::VARCHAR AS operator, imei, NULL::BIGINT AS imsi, NULL::BIGINT AS msisdn, block_date, reasons
          FROM lg_blocking WHERE block_date <= ${asOf}`);
      const from = `${lit(addDays(input.asOf, -(input.lookbackDays - 1)))}::DATE`;
      await db.run(`CREATE TEMP TABLE lg_notification AS
        SELECT DISTINCT o.operator, t.imei, t.imsi, t.msisdn, b.block_date, b.reasons
          FROM lg_blocking b
          JOIN triplets t ON t.imei = b.imei AND t.last_seen >= ${from} AND t.first_seen <= ${asOf}
          JOIN lg_prefix o ON t.imsi > 0 AND starts_with(t.imsi::VARCHAR, o.prefix)
         WHERE b.block_date > ${asOf}
           AND NOT EXISTS (SELECT 1 FROM lg_paired q WHERE q.imei = t.imei AND q.imsi = t.imsi)`);
      await db.run(`CREATE TEMP TABLE lg_exception AS
        SELECT DISTINCT o.operator, q.imei, q.imsi, q.msisdn, NULL::DATE AS block_date, NULL::VARCHAR AS reasons
          FROM lg_paired q JOIN lg_prefix o ON starts_with(q.imsi::VARCHAR, o.prefix)`);
      const counts = {
        black: 0,
        notification: {} as Record<string, number>,
        exception: {} as Record<string, number>,
      };
      for (const kind of ['black', 'notification', 'exception'] as const) {
        const now = `lg_${kind}`;
        const all = [...SHAPE[kind].key, ...SHAPE[kind].data];
        const current = `l.kind = ${lit(kind)} AND l.to_run IS NULL`;
        await db.run(`UPDATE list_rows l SET to_run = ${run}
          WHERE ${current} AND NOT EXISTS (SELECT 1 FROM ${now} n WHERE ${same('n', 'l', all)})`);
        await db.run(`INSERT INTO list_rows
          SELECT ${lit(kind)}, n.operator, n.imei, n.imsi, n.msisdn, n.block_date, n.reasons, ${run}, NULL
            FROM ${now} n WHERE NOT EXISTS (SELECT 1 FROM list_rows l WHERE ${current} AND ${same('n', 'l', all)})`);
        if (kind === 'black')
          counts.black = Number((await db.one(`SELECT count(*) AS n FROM ${now}`))?.n ?? 0);
        else {
          for (const o of input.deployment.operators) counts[kind][o.id] = 0;
          for (const r of await db.all(
            `SELECT operator, count(*) AS n FROM ${now} GROUP BY operator`,
          ))
            counts[kind][String(r.operator)] = Number(r.n);
        }
      }
      const classification = await db.one('SELECT max(id) AS id FROM classification_runs');
      await db.run('INSERT INTO list_runs VALUES (?, ?::DATE, ?, current_timestamp, ?)', [
        run,
        input.asOf,
        classification?.id == null ? null : Number(classification.id),
        JSON.stringify(counts),
      ]);
      return toRun(
        (await db.one(
          `SELECT id, as_of::VARCHAR AS as_of, classification_run, created_at::VARCHAR AS created_at, counts
           FROM list_runs WHERE id = ${run}`,
        ))!,
      );
    });
  } finally {
    for (const t of TEMPS) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

/** The rows of a list valid at a run, as a SELECT with the list's columns. */
function validAt(kind: GeneratedListKind, run: number, operator?: string): string {
  return `SELECT * FROM list_rows WHERE kind = ${lit(kind)} AND from_run <= ${run}
    AND (to_run IS NULL OR to_run > ${run}) ${operator !== undefined ? `AND operator = ${lit(operator)}` : ''}`;
}

function columns(kind: GeneratedListKind, a: string): string[] {
  const imei = imeiText(`${a}.imei`);
  if (kind === 'black') return [imei, `strftime(${a}.block_date, '%Y%m%d')`, `${a}.reasons`];
  const base = [imei, digitsText(`${a}.imsi`), digitsText(`${a}.msisdn`)];
  return kind === 'notification'
    ? [...base, `strftime(${a}.block_date, '%Y%m%d')`, `${a}.reasons`]
    : base;
}

/** The SQL of `listRows` (shared by the adapters). */
export function rowsSql(q: ListRowsQuery): string {
  const now = validAt(q.kind, q.run, q.operator);
  if (q.baseRun === undefined)
    return `SELECT ${columns(q.kind, 'r').join(', ')} FROM (${now}) r ORDER BY r.imei, r.imsi, r.msisdn`;
  const base = validAt(q.kind, q.baseRun, q.operator);
  const { key, data } = SHAPE[q.kind];
  // NULL-safe key equality a hash join can use (PostgreSQL runs a FULL JOIN on hashable or
  // mergeable conditions only): IMSI/MSISDN keys are never 0, operators never ''.
  const on = key
    .map((k) =>
      k === 'imei'
        ? 'a.imei = b.imei'
        : `coalesce(a.${k}, ${k === 'operator' ? "''" : '0'}) = coalesce(b.${k}, ${k === 'operator' ? "''" : '0'})`,
    )
    .join(' AND ');
  const changed = data.length
    ? data.map((d) => `a.${d} IS DISTINCT FROM b.${d}`).join(' OR ')
    : 'FALSE';
  // Why a notification left the list: its IMEI is now black (blacklisted); or a pairing covers
  // the triplet (on the run's exception list), or the IMEI is golden, or its condition ended
  // (resolved); else the IMEI is still pending but the triplet was not seen within the lookback
  // (no_longer_seen).
  const removed =
    q.kind === 'black'
      ? `'unblocked'`
      : q.kind === 'exception'
        ? `'removed'`
        : `CASE WHEN b.imei IN (${validAt('black', q.run).replace('SELECT *', 'SELECT imei')}) THEN 'blacklisted'
                WHEN EXISTS (SELECT 1 FROM (${validAt('exception', q.run)}) e
                              WHERE e.imei = b.imei AND e.imsi = b.imsi) THEN 'resolved'
                WHEN b.imei IN (${GOLDEN}) THEN 'resolved'
                WHEN EXISTS (SELECT 1 FROM classification_state s WHERE s.imei = b.imei AND s.end_date IS NULL
                               AND s.block_date > (SELECT as_of FROM list_runs WHERE id = ${q.run})) THEN 'no_longer_seen'
                ELSE 'resolved' END`;
  const added = { black: `'blocked'`, notification: `'new'`, exception: `'added'` }[q.kind];
  const pick = (i: number) =>
    `CASE WHEN a.imei IS NULL THEN ${columns(q.kind, 'b')[i]} ELSE ${columns(q.kind, 'a')[i]} END`;
  const cols = columns(q.kind, 'a').map((_, i) => pick(i));
  return `SELECT CASE WHEN b.imei IS NULL THEN ${added} WHEN a.imei IS NULL THEN ${removed} ELSE 'changed' END AS change_type,
                 ${cols.join(', ')}
            FROM (${now}) a FULL OUTER JOIN (${base}) b ON ${on}
           WHERE a.imei IS NULL OR b.imei IS NULL OR (${changed})
           ORDER BY coalesce(a.imei, b.imei), coalesce(a.imsi, b.imsi), coalesce(a.msisdn, b.msisdn)`;
}

export async function* listRows(db: DuckDb, q: ListRowsQuery): AsyncGenerator<string[][]> {
  const result = await db.conn.stream(rowsSql(q));
  for await (const batch of result.yieldRowsJson())
    yield batch.map((r) => r.map((v) => (v === null ? '' : String(v))));
}
