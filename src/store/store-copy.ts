/**
 * Copies every table of one store into another, DuckDB to PostgreSQL or back (`ceir store copy`):
 * each table the two schemas share is written by the source's own bulk export (COPY TO a CSV
 * file) and read by the target's bulk load (COPY FROM), the target in one transaction; then
 * both stores are read again and each table's row count and checksum (an order-independent sum
 * of SHA-256 digests of its rows in a canonical text form) must agree. The target must be
 * migrated and empty.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { CeirFailure, ceirError } from '../core/errors.js';
import { lit } from './duckdb/duckdb-database.js';
import type { DuckDbStore } from './duckdb/duckdb-store.js';
import { ensureMonth } from './postgres/operator-dump-commit.js';
import type { PgDatabase, PgSession } from './postgres/pg-database.js';
import type { PgStore } from './postgres/pg-store.js';

export type CopyEnd = { kind: 'duckdb'; store: DuckDbStore } | { kind: 'postgres'; store: PgStore };

export interface TableCopy {
  readonly table: string;
  readonly rows: number;
  readonly checksum: string;
}

interface Column {
  readonly name: string;
  readonly type: string;
}

const NULL = '\\N';
const SEP = '\u001f';
const FETCH = 20_000;

async function tables(e: CopyEnd): Promise<Map<string, Column[]>> {
  const rows =
    e.kind === 'duckdb'
      ? await e.store.db.all(`SELECT c.table_name AS t, c.column_name AS c, c.data_type AS d
          FROM information_schema.columns c JOIN information_schema.tables t
            ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE t.table_schema = 'main' AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name, c.ordinal_position`)
      : (
          await e.store.db.query(`SELECT c.relname AS t, a.attname AS c,
                format_type(a.atttypid, a.atttypmod) AS d
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             ORDER BY c.relname, a.attnum`)
        ).rows;
  const out = new Map<string, Column[]>();
  for (const r of rows as Record<string, unknown>[]) {
    const t = String(r.t);
    if (t === 'schema_migrations') continue;
    out.set(t, [...(out.get(t) ?? []), { name: String(r.c), type: String(r.d).toLowerCase() }]);
  }
  return out;
}

const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;

/** The export SELECT: booleans as true/false (PostgreSQL writes t/f). */
function exportSelect(table: string, cols: readonly Column[]): string {
  const list = cols.map((c) =>
    c.type.startsWith('bool') ? `${quote(c.name)}::text AS ${quote(c.name)}` : quote(c.name),
  );
  return `SELECT ${list.join(', ')} FROM ${quote(table)}`;
}

async function exportTable(e: CopyEnd, table: string, cols: readonly Column[], file: string) {
  const sql = exportSelect(table, cols);
  if (e.kind === 'duckdb')
    await e.store.db.run(
      `COPY (${sql}) TO ${lit(file)} (FORMAT csv, HEADER true, NULLSTR ${lit(NULL)})`,
    );
  else {
    const client = await e.store.db.pool.connect();
    try {
      await pipeline(
        client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT csv, HEADER true, NULL '${NULL}')`)),
        createWriteStream(file),
      );
    } finally {
      client.release();
    }
  }
}

/** Row count and checksum of a table, from the canonical text of every value. */
async function checksum(e: CopyEnd, table: string, cols: readonly Column[]): Promise<TableCopy> {
  const text = cols.map((c) => `CAST(${quote(c.name)} AS VARCHAR)`).join(', ');
  const sql = `SELECT ${text} FROM ${quote(table)}`;
  let sum = 0n;
  let rows = 0;
  const add = (row: readonly unknown[]) => {
    const line = row.map((v) => (v === null || v === undefined ? '\u0000' : String(v))).join(SEP);
    sum =
      (sum + createHash('sha256').update(line).digest().readBigUInt64BE(0)) & 0xffffffffffffffffn;
    rows++;
  };
  if (e.kind === 'duckdb') {
    const result = await e.store.db.conn.stream(sql);
    for await (const batch of result.yieldRowsJson()) for (const r of batch) add(r);
  } else {
    const client = await e.store.db.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`DECLARE copy_check NO SCROLL CURSOR FOR ${sql}`);
      for (;;) {
        const r = await client.query({ text: `FETCH ${FETCH} FROM copy_check`, rowMode: 'array' });
        if (r.rows.length === 0) break;
        for (const row of r.rows as unknown[][]) add(row);
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
  return { table, rows, checksum: sum.toString(16).padStart(16, '0') };
}

async function targetEmpty(e: CopyEnd, names: readonly string[]): Promise<void> {
  for (const t of names) {
    const q = `SELECT count(*) AS n FROM (SELECT 1 FROM ${quote(t)} LIMIT 1) x`;
    const n =
      e.kind === 'duckdb'
        ? Number((await e.store.db.one(q))?.n ?? 0)
        : Number((await e.store.db.query(q)).rows[0]?.n ?? 0);
    if (n > 0)
      throw new CeirFailure(
        ceirError(
          'CEIR_ERR_USAGE',
          `The target store is not empty (table ${t} has rows): copy into a new, migrated store`,
        ),
      );
  }
}

/** PostgreSQL: the month partitions the copied triplets need. */
async function pgMonths(s: PgSession, from: CopyEnd): Promise<void> {
  const months =
    from.kind === 'duckdb'
      ? await from.store.db.all("SELECT DISTINCT strftime(month, '%Y-%m-%d') AS m FROM triplets")
      : [];
  for (const m of months) await ensureMonth(s, String(m.m));
}

async function importPg(
  db: PgDatabase,
  from: CopyEnd,
  files: readonly { table: string; cols: readonly Column[]; file: string }[],
): Promise<void> {
  await db.withSession(
    (s) =>
      s.transaction(async () => {
        for (const f of files) {
          if (f.table === 'triplets') await pgMonths(s, from);
          const cols = f.cols.map((c) => quote(c.name)).join(', ');
          await s.copyFile(
            `COPY ${quote(f.table)} (${cols}) FROM STDIN (FORMAT csv, HEADER true, NULL '${NULL}')`,
            f.file,
          );
        }
      }),
    'ingest',
  );
}

async function importDuckDb(
  store: DuckDbStore,
  files: readonly { table: string; cols: readonly Column[]; file: string }[],
): Promise<void> {
  await store.db.transaction(async () => {
    for (const f of files) {
      const cols = f.cols.map((c) => quote(c.name)).join(', ');
      await store.db.run(
        `COPY ${quote(f.table)} (${cols}) FROM ${lit(f.file)} (FORMAT csv, HEADER true, NULLSTR ${lit(NULL)})`,
      );
    }
  });
}

/**
 * Copies `from` into `to` through CSV files in `workDir`; returns each table's verified count and
 * checksum. Throws CEIR_ERR_STORE when a table differs after the copy.
 */
export async function copyStore(
  from: CopyEnd,
  to: CopyEnd,
  workDir: string,
  progress: (line: string) => void = () => undefined,
): Promise<TableCopy[]> {
  const source = await tables(from);
  const target = await tables(to);
  const shared = [...source.keys()].filter((t) => target.has(t)).sort();
  const skipped = [...source.keys()].filter((t) => !target.has(t));
  if (skipped.length > 0) progress(`not in the target schema, not copied: ${skipped.join(', ')}`);
  await targetEmpty(to, shared);
  mkdirSync(workDir, { recursive: true });
  const files = shared.map((table) => {
    const names = new Set(target.get(table)!.map((c) => c.name));
    return {
      table,
      cols: source.get(table)!.filter((c) => names.has(c.name)),
      file: join(workDir, `${table}.csv`),
    };
  });
  try {
    for (const f of files) {
      await exportTable(from, f.table, f.cols, f.file);
      progress(`exported ${f.table}`);
    }
    if (to.kind === 'postgres') await importPg(to.store.db, from, files);
    else await importDuckDb(to.store, files);
    progress('imported every table; verifying');
    const out: TableCopy[] = [];
    for (const f of files) {
      const a = await checksum(from, f.table, f.cols);
      const b = await checksum(to, f.table, f.cols);
      if (a.rows !== b.rows || a.checksum !== b.checksum)
        throw new CeirFailure(
          ceirError(
            'CEIR_ERR_STORE',
            `Table ${f.table} differs after the copy: ${a.rows} rows (checksum ${a.checksum}) in the source, ${b.rows} (${b.checksum}) in the target`,
          ),
        );
      out.push(a);
    }
    return out;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
