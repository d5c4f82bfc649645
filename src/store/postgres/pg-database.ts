/**
 * PostgreSQL connections of the store: a pool, and sessions (one pooled connection each) on
 * which the shared SQL modules run (`store/sql-session.ts`, lowered by `dialect.ts`).
 *
 * Concurrency (docs/scale.md): what must be serial takes a session-level advisory lock BEFORE its
 * transaction starts, so its snapshot sees everything the previous holder committed; every
 * transaction is REPEATABLE READ, so a job reads one consistent state of the store and a reader
 * never sees half of an import (an import is one transaction).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CeirFailure, ceirError } from '../../core/errors.js';
import type { SqlRow, SqlSession, SqlValue } from '../sql-session.js';
import { toPostgres } from './dialect.js';

/** Advisory lock keys (class, object) of the jobs that must run one at a time. */
export const LOCKS = {
  /** Imports (operator dumps and lists): id_texts numbering, triplet merges, list history. */
  ingest: 1,
  /** Classification, list generation and condition sets: run and list-run numbering. */
  classification: 2,
  /** Schema migrations. */
  migrate: 3,
} as const;
export type LockName = keyof typeof LOCKS;
const LOCK_CLASS = 0x0cea;

/** Dates and timestamps stay the text PostgreSQL prints (as DuckDB's `::VARCHAR` does). */
const TEXT_TYPES = new Set([1082, 1114, 1184]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid)
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** One pooled connection: the shared SQL modules run on it. */
export class PgSession implements SqlSession {
  constructor(readonly client: pg.PoolClient) {}

  /** Runs PostgreSQL SQL as it is (no lowering). */
  async query(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult> {
    return this.client.query(sql, params as unknown[] | undefined);
  }

  async run(sql: string, params?: SqlValue[]): Promise<number> {
    return (await this.query(toPostgres(sql), params)).rowCount ?? 0;
  }

  async all(sql: string, params?: SqlValue[]): Promise<SqlRow[]> {
    return (await this.query(toPostgres(sql), params)).rows as SqlRow[];
  }

  async one(sql: string, params?: SqlValue[]): Promise<SqlRow | undefined> {
    return (await this.all(sql, params))[0];
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      const out = await fn();
      await this.client.query('COMMIT');
      return out;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Streams a file into `COPY ... FROM STDIN`. */
  async copyFile(copySql: string, path: string): Promise<void> {
    await pipeline(createReadStream(path), this.client.query(copyFrom(copySql)));
  }

  /**
   * Streams text (or its bytes, or pieces of bytes made as the copy takes them) into
   * `COPY ... FROM STDIN`.
   */
  async copyText(copySql: string, text: string | Uint8Array | Iterable<Uint8Array>): Promise<void> {
    const source = typeof text === 'string' || text instanceof Uint8Array ? [text] : text;
    await pipeline(Readable.from(source), this.client.query(copyFrom(copySql)));
  }
}

export interface PgOptions {
  /** `postgres://user@host:port/database`. */
  readonly url: string;
  /** Pool size (a job takes one connection; concurrent readers take others). */
  readonly maxConnections?: number;
  /** work_mem and maintenance_work_mem of each connection (default 256MB). */
  readonly workMem?: string;
}

export class PgDatabase {
  private constructor(
    readonly pool: pg.Pool,
    readonly url: string,
  ) {}

  static async open(o: PgOptions): Promise<PgDatabase> {
    const pool = new pg.Pool({
      connectionString: o.url,
      max: o.maxConnections ?? 6,
      types,
      // Batch jobs sort and hash millions of rows: in memory, not in PostgreSQL's default 4MB.
      // JIT off: it compiles every large classification query anew, which costs more than the
      // vectorless row-by-row execution it speeds up on these short batch queries.
      options: `-c TimeZone=UTC -c DateStyle=ISO -c jit=off -c work_mem=${o.workMem ?? '256MB'} -c maintenance_work_mem=${o.workMem ?? '256MB'}`,
    });
    pool.on('error', () => undefined); // an idle client's error surfaces on its next query
    try {
      (await pool.connect()).release();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new CeirFailure(
        ceirError(
          'CEIR_ERR_STORE',
          `Cannot connect to PostgreSQL at ${safeUrl(o.url)}: ${(e as Error).message}`,
        ),
      );
    }
    return new PgDatabase(pool, o.url);
  }

  /** A query on any pooled connection (PostgreSQL SQL, no lowering). */
  async query(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult> {
    return this.pool.query(sql, params as unknown[] | undefined);
  }

  /** Shared (DuckDB-dialect) SQL on any pooled connection. */
  async all(sql: string, params?: SqlValue[]): Promise<SqlRow[]> {
    return (await this.pool.query(toPostgres(sql), params)).rows as SqlRow[];
  }

  async one(sql: string, params?: SqlValue[]): Promise<SqlRow | undefined> {
    return (await this.all(sql, params))[0];
  }

  /**
   * Runs `fn` on one connection; with `lock`, holding that advisory lock (taken before any
   * transaction of `fn` starts, released after it ends, and by PostgreSQL if the process dies).
   */
  async withSession<T>(fn: (s: PgSession) => Promise<T>, lock?: LockName): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      if (lock) await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, LOCKS[lock]]);
      try {
        return await fn(new PgSession(client));
      } finally {
        if (lock)
          await client
            .query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, LOCKS[lock]])
            .catch(() => {
              broken = true;
            });
      }
    } catch (e) {
      broken ||= !(e instanceof CeirFailure);
      throw e;
    } finally {
      // A connection left mid-way (a failed COPY, a lost lock) is not given to the next job.
      client.release(broken);
    }
  }

  /** A read-only consistent snapshot for several queries. */
  async snapshot<T>(fn: (s: PgSession) => Promise<T>): Promise<T> {
    return this.withSession(async (s) => {
      await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await fn(s);
      } finally {
        await s.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
