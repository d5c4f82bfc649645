/**
 * Test support: a fresh PostgreSQL database per test run (`ceir_test_<pid>_<n>`, bytewise
 * collation), dropped afterwards, on the server of CEIR_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres). When the server is missing a test skips, saying
 * what to start; on CI (`CI=true`) it fails.
 */
import pg from 'pg';

const ADMIN_URL = process.env.CEIR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let dbNo = 0;

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The URL of database `name` on the admin server. */
function urlOf(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database, or a skip reason when no server answers (outside CI). */
export async function createTestDatabase(
  prefix = 'ceir_test',
): Promise<TestDatabase | { skip: string }> {
  const name = `${prefix}_${process.pid}_${++dbNo}`;
  try {
    await admin((c) =>
      c.query(`CREATE DATABASE ${name} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`),
    );
  } catch (e) {
    const why = `PostgreSQL not reachable at ${ADMIN_URL} (${(e as Error).message}); start it (trust auth, user postgres) or set CEIR_TEST_PG_URL`;
    if (process.env.CI === 'true') throw new Error(why, { cause: e });
    return { skip: why };
  }
  return {
    url: urlOf(name),
    name,
    drop: () =>
      admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
