/**
 * Backup and restore of the embedded store (docs/operations.md "Backup and restore").
 * A backup is a second DuckDB file made by `COPY FROM DATABASE` inside one transaction, so it is a
 * consistent picture of the store at one instant (DuckDB's MVCC), taken by the process that holds
 * the store: the CLI between serve's short jobs. A manifest `<file>.json` beside it records the
 * schema version, each table's row count and the file's SHA-256; restore checks them all.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lit, type DuckDb } from './duckdb-database.js';

export interface BackupManifest {
  readonly format: 'openceir-duckdb-backup';
  readonly created_at: string;
  readonly schema_version: number;
  /** Rows per base table at the instant of the backup. */
  readonly tables: Readonly<Record<string, number>>;
  readonly sha256: string;
  readonly bytes: number;
}

export function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    let bytes = 0;
    createReadStream(path)
      .on('data', (c) => {
        h.update(c);
        bytes += c.length;
      })
      .on('error', rej)
      .on('end', () => res({ sha256: h.digest('hex'), bytes }));
  });
}

/** Base tables of a catalog and their row counts. */
export async function tableCounts(db: DuckDb, catalog: string): Promise<Record<string, number>> {
  const names = await db.all(
    `SELECT table_name AS t FROM information_schema.tables
      WHERE table_catalog = ? AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1`,
    [catalog],
  );
  const out: Record<string, number> = {};
  for (const n of names) {
    const t = String(n.t);
    const r = await db.one(`SELECT count(*)::BIGINT AS n FROM "${catalog}".main."${t}"`);
    out[t] = Number(r?.n ?? 0);
  }
  return out;
}

async function schemaVersion(db: DuckDb, catalog: string): Promise<number> {
  const r = await db.one(
    `SELECT coalesce(max(version), 0)::INTEGER AS v FROM "${catalog}".main.schema_migrations`,
  );
  return Number(r?.v ?? 0);
}

/** Copies the whole store into a new DuckDB file `file` (which must not exist). */
export async function backupDatabase(
  db: DuckDb,
  file: string,
): Promise<Omit<BackupManifest, 'sha256' | 'bytes'>> {
  const main = String((await db.one('SELECT current_database() AS d'))?.d);
  await db.run(`ATTACH ${lit(file)} AS ceir_backup`);
  try {
    const created = new Date().toISOString();
    await db.transaction(async () => {
      await db.run(`COPY FROM DATABASE "${main}" TO ceir_backup`);
    });
    return {
      format: 'openceir-duckdb-backup',
      created_at: created,
      schema_version: await schemaVersion(db, 'ceir_backup'),
      tables: await tableCounts(db, 'ceir_backup'),
    };
  } finally {
    await db.run('DETACH ceir_backup');
  }
}

/** Opens a backup file read-only and returns its schema version and table counts. */
export async function inspectBackup(
  db: DuckDb,
  file: string,
): Promise<{ schemaVersion: number; tables: Record<string, number> }> {
  await db.run(`ATTACH ${lit(file)} AS ceir_check (READ_ONLY)`);
  try {
    return {
      schemaVersion: await schemaVersion(db, 'ceir_check'),
      tables: await tableCounts(db, 'ceir_check'),
    };
  } finally {
    await db.run('DETACH ceir_check');
  }
}
