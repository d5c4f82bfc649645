/**
 * Upgrades (issue 10, item 6): a store at every earlier schema version - made by applying the
 * first migrations of MIGRATIONS, whatever it holds - with rows in every table, migrated to the
 * latest, keeps every row of every table, and ends with exactly the schema of a new store.
 * Values are made per column type, so new migrations are covered without touching this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDb } from './duckdb-database.js';
import { DuckDbStore } from './duckdb-store.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';

/** A value of a DuckDB column type for row `i` (1-based), as SQL. */
function value(type: string, i: number): string {
  const t = type.toUpperCase();
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/.test(t))
    return String(i);
  if (/^(DOUBLE|FLOAT|REAL)$/.test(t) || t.startsWith('DECIMAL')) return `${i}.5`;
  if (t === 'BOOLEAN') return i % 2 === 1 ? 'true' : 'false';
  if (t === 'DATE') return `DATE '2026-01-0${i}'`;
  if (t.startsWith('TIMESTAMP')) return `TIMESTAMP '2026-01-0${i} 10:00:00'`;
  if (t === 'BLOB') return `'\\x0${i}'::BLOB`;
  if (t === 'UUID') return `'00000000-0000-0000-0000-00000000000${i}'::UUID`;
  if (t === 'JSON') return `'{"row":${i}}'`;
  if (t.endsWith('[]')) return `[${value(t.slice(0, -2), i)}]`;
  if (t === 'VARCHAR') return `'row ${i}'`;
  return 'NULL';
}

async function applyUpTo(db: DuckDb, version: number): Promise<void> {
  await db.run(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version))
    if (m.version <= version)
      await db.transaction(async () => {
        await db.run(m.sql);
        await db.run('INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)', [
          m.version,
          m.name,
        ]);
      });
}

async function columns(db: DuckDb): Promise<Map<string, { name: string; type: string }[]>> {
  const rows = await db.all(
    `SELECT c.table_name AS t, c.column_name AS c, c.data_type AS ty
       FROM information_schema.columns c JOIN information_schema.tables t
         ON t.table_name = c.table_name AND t.table_schema = c.table_schema
      WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const out = new Map<string, { name: string; type: string }[]>();
  for (const r of rows) {
    const list = out.get(String(r.t)) ?? [];
    list.push({ name: String(r.c), type: String(r.ty) });
    out.set(String(r.t), list);
  }
  return out;
}

const views = async (db: DuckDb) =>
  (
    await db.all(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'VIEW' ORDER BY 1",
    )
  ).map((r) => String(r.t));

async function withStore<T>(fn: (s: DuckDbStore) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-upgrade-'));
  const store = await DuckDbStore.open({ dataDir: dir, memoryLimit: '256MB', threads: 1 });
  try {
    return await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const latestSchema = withStore(async (s) => {
  await s.migrate();
  return { columns: await columns(s.db), views: await views(s.db) };
});

const earlier = [...new Set(MIGRATIONS.map((m) => m.version))]
  .sort((a, b) => a - b)
  .filter((v) => v < LATEST_SCHEMA_VERSION);

test('there are earlier schema versions to upgrade from', () => {
  assert.ok(earlier.length >= 1 && earlier[0] === 1, `versions ${earlier.join(', ')}`);
});

for (const version of earlier)
  test(`a store at schema version ${version} with data migrates to ${LATEST_SCHEMA_VERSION} keeping every row`, () =>
    withStore(async (store) => {
      const db = store.db;
      await applyUpTo(db, version);
      assert.equal((await store.schemaStatus()).current, version);
      const before = await columns(db);
      before.delete('schema_migrations');
      const rows = new Map<string, unknown[]>();
      for (const [table, cols] of before) {
        for (const i of [1, 2])
          await db
            .run(
              `INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map((c) => value(c.type, i)).join(', ')})`,
            )
            .catch((e: unknown) => {
              throw new Error(
                `cannot seed ${table} at v${version} (teach value() its column types): ${(e as Error).message}`,
              );
            });
        rows.set(table, await db.all(`SELECT * FROM "${table}" ORDER BY ALL`));
      }
      const r = await store.migrate();
      assert.deepEqual(r, { from: version, to: LATEST_SCHEMA_VERSION });
      for (const [table, cols] of before) {
        const list = cols.map((c) => `"${c.name}"`).join(', ');
        const after = await db.all(`SELECT ${list} FROM "${table}" ORDER BY ALL`);
        assert.deepEqual(
          after,
          rows.get(table),
          `rows of ${table} after migrating from v${version}`,
        );
      }
      const want = await latestSchema;
      assert.deepEqual(
        await columns(db),
        want.columns,
        'the same tables and columns as a new store',
      );
      assert.deepEqual(await views(db), want.views);
      for (const v of want.views) await db.all(`SELECT * FROM "${v}" LIMIT 1`);
    }));
