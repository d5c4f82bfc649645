import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { DuckDb } from '../duckdb/duckdb-database.js';
import { toPostgres } from './dialect.js';
import { PgDatabase } from './pg-database.js';
import { PgStore } from './pg-store.js';
import { createTestDatabase } from './test-database.js';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

test('placeholders are numbered in order, never inside string literals or quoted names', () => {
  assert.equal(
    toPostgres(`SELECT '?', ?, "a?b", ? FROM t WHERE x = '''?'''`),
    `SELECT '?', $1, "a?b", $2 FROM t WHERE x = '''?'''`,
  );
});

test('string literals pass through unchanged, whatever they hold', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (a, b) => {
      const sql = `SELECT ${lit(a)} AS x, imei // 10 AS t FROM (SELECT ${lit(b)} AS y) WHERE ? = 1`;
      const out = toPostgres(sql);
      assert.ok(out.includes(lit(a)) && out.includes(lit(b)), out);
      assert.ok(out.includes('imei / 10') && out.includes('$1 = 1'), out);
    }),
  );
});

test('a FROM subquery gets an alias only when it has none', () => {
  const out = toPostgres(
    'SELECT a FROM (SELECT 1 AS a) WHERE a > 0 UNION SELECT b FROM (SELECT 2 AS b) q',
  );
  assert.match(out, /FROM \(SELECT 1 AS a\) AS _q[0-9]+ WHERE/);
  assert.match(out, /FROM \(SELECT 2 AS b\) q$/);
});

test('unbalanced SQL is refused, not guessed', () => {
  assert.throws(() => toPostgres('SELECT * FROM (SELECT 1'), SyntaxError);
  assert.throws(() => toPostgres("SELECT 'open"), SyntaxError);
});

/** DuckDB-dialect queries of every rewrite; each must give the same rows on both engines. */
const QUERIES = [
  'SELECT 35209900176148 // 1000000 AS tac, 7 // 2 AS half',
  `SELECT v FROM (SELECT range AS v FROM range(0, 5)) WHERE v IN (SELECT range FROM range(2, 9)) ORDER BY v`,
  `SELECT a.v FROM (SELECT range AS v FROM range(0, 6)) a
     SEMI JOIN (SELECT range % 3 AS v FROM range(0, 6)) b ON b.v = a.v ORDER BY a.v`,
  `SELECT regexp_full_match('35209900', '[0-9]{8}') AS a, regexp_full_match('3520990x', '[0-9]{8}') AS b,
          regexp_matches('0044123', '^(00(44|86))') AS c`,
  `SELECT bit_count(1234567::BIGINT) AS n, dayofmonth(DATE '2024-02-29') AS d,
          last_day(DATE '2024-02-10')::VARCHAR AS l, strftime(DATE '2026-01-31', '%Y%m%d') AS s`,
  `SELECT json_extract_string('{"model_name": "X1"}', '$.model_name') AS m,
          '1.5'::DOUBLE * 2 AS x, TRY_CAST('2026-02-30' AS DATE) IS NULL AS bad,
          TRY_CAST('2026-02-28' AS DATE)::VARCHAR AS good`,
  `SELECT list_position(['a', 'b', 'c'], 'b') AS p, k FROM (SELECT 1 AS k) e,
     (SELECT unnest(['x', 'y']) AS n) n ORDER BY n.n`,
];

const pg = await createTestDatabase('ceir_dialect');
if ('skip' in pg) test('the lowered queries on PostgreSQL', (t) => t.skip(pg.skip));
else {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-dialect-'));
  const duck = await DuckDb.open({ dataDir: dir, memoryLimit: '256MB', threads: 1 });
  const store = await PgStore.open({ url: pg.url });
  await store.migrate(); // the compatibility functions
  const db: PgDatabase = store.db;
  after(async () => {
    duck.close();
    await store.close();
    await pg.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every rewrite gives the rows DuckDB gives', async () => {
    for (const sql of QUERIES) {
      const expected = (await duck.all(sql)).map((r) => Object.values(r).map(String));
      const actual = (await db.all(sql)).map((r) => Object.values(r).map(String));
      assert.ok(expected.length > 0, sql);
      assert.deepEqual(actual, expected, `${sql}\n-> ${toPostgres(sql)}`);
    }
  });
}
