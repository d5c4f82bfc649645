/**
 * The small SQL surface the store's shared SQL modules (classification, list generation, rule
 * evaluation) run on, so that one module serves both adapters: DuckDB runs the SQL as written;
 * the PostgreSQL session lowers it to PostgreSQL first (`postgres/dialect.ts`). Parameters are
 * `?` placeholders; a row's values are JSON-like (numbers, strings, booleans, null, arrays).
 */
export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;

export interface SqlSession {
  /** Runs a statement; returns the rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  all(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
  one(sql: string, params?: SqlValue[]): Promise<SqlRow | undefined>;
  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}
