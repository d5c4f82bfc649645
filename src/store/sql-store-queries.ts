/**
 * The store port's plain queries (imports, daily counts, sightings, list memberships, TAC
 * records, counts, overview), written once in the shared SQL of `sql-session.ts` and run by
 * both adapters (PostgreSQL lowers it, `postgres/dialect.ts`).
 */
import type {
  DailyCounts,
  ImeiSighting,
  ImportRecord,
  ListMembership,
  NetworkOverview,
  SourceKind,
  StoreCounts,
  TacRecord,
} from '../core/ports/store.js';
import { digitsExpr } from './duckdb/rules/sql-identifiers.js';
import type { SqlRow, SqlSession, SqlValue } from './sql-session.js';

export type SqlReader = Pick<SqlSession, 'all' | 'one'>;

export function toImportRecord(r: SqlRow): ImportRecord {
  return {
    id: String(r.id),
    source: r.source as SourceKind,
    file: String(r.file),
    sha256: String(r.sha256),
    mode: r.mode as 'full' | 'delta',
    ...(r.operator != null ? { operator: String(r.operator) } : {}),
    ...(r.period_start != null ? { periodStart: String(r.period_start) } : {}),
    ...(r.period_end != null ? { periodEnd: String(r.period_end) } : {}),
    rows: Number(r.rows),
    accepted: Number(r.accepted),
    gates: JSON.parse(String(r.gates)) as ImportRecord['gates'],
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
  };
}

/** An import record's values in the `imports` table's column order (the inverse of toImportRecord). */
export function importRecordParams(r: ImportRecord): SqlValue[] {
  return [
    r.id,
    r.source,
    r.file,
    r.sha256,
    r.mode,
    r.operator ?? null,
    r.periodStart ?? null,
    r.periodEnd ?? null,
    r.rows,
    r.accepted,
    JSON.stringify(r.gates),
    r.startedAt,
    r.finishedAt,
  ];
}

export function parseAttrs(s: unknown): Record<string, string> {
  return s == null ? {} : (JSON.parse(String(s)) as Record<string, string>);
}

export async function findImportBySha256(
  db: SqlReader,
  source: SourceKind,
  sha256: string,
): Promise<ImportRecord | undefined> {
  const r = await db.one(
    `SELECT * FROM imports WHERE source = ? AND sha256 = ? ORDER BY finished_at LIMIT 1`,
    [source, sha256],
  );
  return r ? toImportRecord(r) : undefined;
}

export async function listImports(db: SqlReader, limit: number): Promise<ImportRecord[]> {
  const rows = await db.all(
    `SELECT * FROM imports ORDER BY finished_at DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  return rows.map(toImportRecord);
}

export async function operatorDailyCounts(
  db: SqlReader,
  operator: string,
  from: string,
  to: string,
): Promise<DailyCounts[]> {
  const rows = await db.all(
    `SELECT day::VARCHAR AS day, max(imeis)::BIGINT AS imeis, max(imsis)::BIGINT AS imsis,
            max(msisdns)::BIGINT AS msisdns
       FROM operator_daily WHERE operator = ? AND day BETWEEN ?::DATE AND ?::DATE
       GROUP BY day ORDER BY day`,
    [operator, from, to],
  );
  return rows.map((r) => ({
    day: String(r.day),
    imeis: Number(r.imeis),
    imsis: Number(r.imsis),
    msisdns: Number(r.msisdns),
  }));
}

/** The number an IMEI is stored as (decisions/0001), or undefined when never stored. */
export async function imeiKey(db: SqlReader, imeiNorm: string): Promise<number | undefined> {
  if (/^[0-9]{14}$/.test(imeiNorm)) return Number(imeiNorm);
  const r = await db.one('SELECT id FROM id_texts WHERE value = ?', [imeiNorm]);
  return r ? Number(r.id) : undefined;
}

export async function sightings(db: SqlReader, imeiNorm: string): Promise<ImeiSighting[]> {
  const key = await imeiKey(db, imeiNorm);
  if (key === undefined) return [];
  const text = (col: string) =>
    digitsExpr(`t.${col}`, `(SELECT value FROM id_texts WHERE id = t.${col})`);
  const rows = await db.all(
    `SELECT operator, month::VARCHAR AS month, ${text('imsi')} AS imsi, ${text('msisdn')} AS msisdn,
            first_seen::VARCHAR AS first_seen, last_seen::VARCHAR AS last_seen, day_mask, rat_mask
       FROM triplets t WHERE imei = ? ORDER BY month, operator, imsi, msisdn`,
    [key],
  );
  return rows.map((r) => ({
    operator: String(r.operator),
    month: String(r.month),
    imsi: r.imsi == null ? null : String(r.imsi),
    msisdn: r.msisdn == null ? null : String(r.msisdn),
    firstSeen: String(r.first_seen),
    lastSeen: String(r.last_seen),
    dayMask: Number(r.day_mask),
    ratMask: Number(r.rat_mask),
  }));
}

export async function listMemberships(db: SqlReader, imeiNorm: string): Promise<ListMembership[]> {
  const rows = await db.all(
    `SELECT list, key, status, attrs, valid_from::VARCHAR AS valid_from FROM list_entries
      WHERE valid_to IS NULL AND list <> 'gsma_tac'
        AND (imei_norm = ? OR (list = 'barred_tac' AND tac = substr(?, 1, 8)))
      ORDER BY list, key`,
    [imeiNorm, imeiNorm],
  );
  return rows.map((r) => ({
    list: r.list as ListMembership['list'],
    key: String(r.key),
    status: r.status == null ? null : String(r.status),
    attrs: parseAttrs(r.attrs),
    validFrom: String(r.valid_from),
  }));
}

export async function tacRecord(db: SqlReader, tac: string): Promise<TacRecord | undefined> {
  const r = await db.one(
    "SELECT key, caps, attrs FROM list_entries WHERE list = 'gsma_tac' AND key = ? AND valid_to IS NULL",
    [tac],
  );
  return r
    ? { tac: String(r.key), caps: Number(r.caps ?? 0), attrs: parseAttrs(r.attrs) }
    : undefined;
}

export async function storeCounts(db: SqlReader): Promise<StoreCounts> {
  const t = await db.one(
    `SELECT (SELECT count(*) FROM triplets)::BIGINT AS triplets,
            (SELECT count(*) FROM network_imeis)::BIGINT AS imeis,
            (SELECT count(*) FROM imports)::BIGINT AS imports`,
  );
  const lists: Record<string, number> = {};
  for (const r of await db.all(
    'SELECT list, count(*)::BIGINT AS n FROM list_entries WHERE valid_to IS NULL GROUP BY list ORDER BY list',
  ))
    lists[String(r.list)] = Number(r.n);
  return {
    triplets: Number(t?.triplets ?? 0),
    imeis: Number(t?.imeis ?? 0),
    imports: Number(t?.imports ?? 0),
    lists,
  };
}

export async function overview(db: SqlReader, cloneImsis: number): Promise<NetworkOverview> {
  const n = Math.max(1, Math.floor(cloneImsis));
  const r = await db.one(
    `WITH tacs AS (SELECT key::INTEGER AS tac FROM list_entries
                    WHERE list = 'gsma_tac' AND valid_to IS NULL),
          stolen AS (SELECT imei_norm::BIGINT AS imei FROM list_entries
                      WHERE list = 'stolen' AND valid_to IS NULL
                        AND coalesce(status, '') IN ('', 'blacklist'))
     SELECT count(*)::BIGINT AS imeis,
            count(*) FILTER (WHERE imei < 0)::BIGINT AS malformed,
            count(*) FILTER (WHERE imei >= 0 AND (imei // 1000000)::INTEGER NOT IN (SELECT tac FROM tacs))::BIGINT AS unknown_tac,
            count(*) FILTER (WHERE imsis >= ${n})::BIGINT AS multi_imsi,
            count(*) FILTER (WHERE imei IN (SELECT imei FROM stolen))::BIGINT AS stolen_seen
       FROM network_imeis`,
  );
  const ops = await db.all(
    `SELECT operator, count(DISTINCT imei)::BIGINT AS imeis, count(*)::BIGINT AS triplets
       FROM triplets GROUP BY operator ORDER BY operator`,
  );
  return {
    imeis: Number(r?.imeis ?? 0),
    malformedImeis: Number(r?.malformed ?? 0),
    unknownTacImeis: Number(r?.unknown_tac ?? 0),
    multiImsiImeis: Number(r?.multi_imsi ?? 0),
    cloneImsis: n,
    stolenSeen: Number(r?.stolen_seen ?? 0),
    byOperator: ops.map((o) => ({
      operator: String(o.operator),
      imeis: Number(o.imeis),
      triplets: Number(o.triplets),
    })),
  };
}

/** The last day of network data (max last_seen), or null when none was imported. */
export async function dataEnd(db: SqlReader): Promise<string | null> {
  const r = await db.one('SELECT max(last_seen)::VARCHAR AS d FROM triplets');
  return r?.d == null ? null : String(r.d);
}
