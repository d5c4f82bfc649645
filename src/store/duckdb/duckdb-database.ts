/**
 * Opens the embedded DuckDB file with bounded resources. DuckDB's default takes 80% of RAM and
 * every core; a CEIR shares its machine with check servers, so the limits are explicit.
 */
import { mkdirSync } from 'node:fs';
import { CeirFailure, ceirError } from '../../core/errors.js';
import { join } from 'node:path';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBValue,
  type Json,
} from '@duckdb/node-api';

export interface DuckDbOptions {
  /** Data directory; the database is `<dir>/ceir.duckdb`, spill files in `<dir>/tmp/duckdb`. */
  readonly dataDir: string;
  readonly memoryLimit: string;
  readonly threads: number;
}

export type Row = Record<string, Json>;

/** A connection with small typed helpers; one per store, queries run one at a time. */
export class DuckDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(o: DuckDbOptions): Promise<DuckDb> {
    mkdirSync(o.dataDir, { recursive: true });
    const tmp = join(o.dataDir, 'tmp', 'duckdb');
    mkdirSync(tmp, { recursive: true });
    const path = join(o.dataDir, 'ceir.duckdb');
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        memory_limit: o.memoryLimit,
        threads: String(o.threads),
        temp_directory: tmp,
        preserve_insertion_order: 'false',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
    } catch (e) {
      const msg = (e as Error).message;
      // DuckDB allows one read-write process per file: a second job says so and exits.
      if (/lock/i.test(msg))
        throw new CeirFailure(
          ceirError(
            'CEIR_ERR_BUSY',
            `Another process is using the store ${path}; wait for it to finish and run again (${msg.replace(/\s+/g, ' ').slice(0, 300)})`,
          ),
        );
      throw e;
    }
    const conn = await instance.connect();
    return new DuckDb(instance, conn, path);
  }

  async run(sql: string, params?: DuckDBValue[]): Promise<number> {
    const r = await this.conn.run(sql, params);
    return Number(r.rowsChanged);
  }

  async all(sql: string, params?: DuckDBValue[]): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJson();
  }

  async one(sql: string, params?: DuckDBValue[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** SQL string literal. */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
