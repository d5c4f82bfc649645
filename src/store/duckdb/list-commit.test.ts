import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportRecord, ListCommit, ListKind } from '../../core/ports/store.js';
import { DuckDb } from './duckdb-database.js';
import { MIGRATIONS } from './migrations.js';
import { commitList } from './list-commit.js';

const HEADER = 'line,change_type,key,imei_norm,tac,imsi,msisdn,status,caps,attrs\n';

async function withDb(fn: (db: DuckDb, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-list-commit-'));
  const db = await DuckDb.open({ dataDir: dir, memoryLimit: '256MB', threads: 1 });
  try {
    await db.run(MIGRATIONS[0]!.sql);
    await fn(db, dir);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let seq = 0;
/** A stolen-list spool row: line, change type, IMEI key, status, reporting date. */
const row = (line: number, ct: string, imei: string, status = '', date = '20240101'): string =>
  `${line},${ct},${imei},${imei},${imei.slice(0, 8)},,,${status},,"{""reporting_date"":""${date}""}"\n`;

function commit(
  dir: string,
  rows: string[],
  o: { mode?: 'full' | 'delta'; at?: string; force?: boolean; list?: ListKind } = {},
): ListCommit {
  const spool = join(dir, `spool-${++seq}.csv`);
  writeFileSync(spool, HEADER + rows.join(''));
  const at = o.at ?? '2024-01-01T00:00:00.000Z';
  const record: ImportRecord = {
    id: `imp-${seq}`,
    source: o.list ?? 'stolen',
    file: `stolen-${seq}.csv`,
    sha256: `sha-${seq}`,
    mode: o.mode ?? 'full',
    rows: rows.length,
    accepted: rows.length,
    gates: [],
    startedAt: at,
    finishedAt: at,
  };
  return {
    record,
    list: o.list ?? 'stolen',
    spool,
    shrinkMinRatio: 0.75,
    force: o.force ?? false,
  };
}

const A = '35209900176148';
const B = '49015420323751';
const C = '26053179311383';
const D = '11111111111111';

async function current(db: DuckDb, at?: string): Promise<string[]> {
  const where = at
    ? `valid_from <= TIMESTAMP '${at}' AND (valid_to IS NULL OR valid_to > TIMESTAMP '${at}')`
    : 'valid_to IS NULL';
  const rows = await db.all(
    `SELECT key, coalesce(status, '') AS status FROM list_entries WHERE ${where} ORDER BY key`,
  );
  return rows.map((r) => `${String(r.key)}/${String(r.status)}`);
}

test('full import, replacement with history, counts', async () => {
  await withDb(async (db, dir) => {
    const r1 = await commitList(db, commit(dir, [row(2, '', A), row(3, '', B), row(4, '', C)]));
    assert.deepEqual(r1, { kind: 'ok', value: { added: 3, removed: 0, updated: 0, unchanged: 0 } });
    const r2 = await commitList(
      db,
      commit(dir, [row(2, '', A), row(3, '', B, 'blacklist'), row(4, '', C), row(5, '', D)], {
        at: '2024-02-01T00:00:00.000Z',
      }),
    );
    assert.deepEqual(r2, { kind: 'ok', value: { added: 1, removed: 0, updated: 1, unchanged: 2 } });
    const r3 = await commitList(
      db,
      commit(dir, [row(2, '', A), row(3, '', B, 'blacklist'), row(4, '', D)], {
        at: '2024-03-01T00:00:00.000Z',
      }),
    );
    assert.deepEqual(r3, { kind: 'ok', value: { added: 0, removed: 1, updated: 0, unchanged: 3 } });
    assert.deepEqual(await current(db), [`${D}/`, `${B}/blacklist`, `${A}/`].sort());
    // The list as of an earlier instant is reconstructable.
    assert.deepEqual(await current(db, '2024-01-15 00:00:00'), [`${A}/`, `${B}/`, `${C}/`].sort());
    assert.deepEqual(
      await current(db, '2024-02-15 00:00:00'),
      [`${A}/`, `${B}/blacklist`, `${C}/`, `${D}/`].sort(),
    );
    const total = await db.one('SELECT count(*) AS n FROM list_entries');
    assert.equal(Number(total?.n), 5, 'rows are closed, never deleted');
    const imports = await db.all('SELECT id, gates, rows FROM imports ORDER BY id');
    assert.equal(imports.length, 3);
    assert.equal(imports[0]!.gates, '[]');
  });
});

test('duplicate keys: identical rows dedupe, different data rejects naming both lines', async () => {
  await withDb(async (db, dir) => {
    const ok = await commitList(db, commit(dir, [row(2, '', A), row(3, '', B), row(7, '', A)]));
    assert.deepEqual(ok, { kind: 'ok', value: { added: 2, removed: 0, updated: 0, unchanged: 0 } });
    const before = await current(db);
    const bad = await commitList(
      db,
      commit(dir, [row(2, '', A), row(3, '', B), row(9, '', A, '', '20240202')]),
    );
    assert.equal(bad.kind, 'error');
    assert.ok(bad.kind === 'error' && bad.code === 'CEIR_ERR_DUPLICATE_KEY');
    assert.match(bad.message, /lines 2 and 9/);
    assert.match(bad.message, new RegExp(A));
    assert.deepEqual(await current(db), before);
    assert.equal(Number((await db.one('SELECT count(*) AS n FROM imports'))?.n), 1);
  });
});

test('shrink below the ratio is refused unless forced', async () => {
  await withDb(async (db, dir) => {
    await commitList(db, commit(dir, [row(2, '', A), row(3, '', B), row(4, '', C), row(5, '', D)]));
    // 3 of 4 = 75%: a figure equal to its limit passes.
    const eq = await commitList(db, commit(dir, [row(2, '', A), row(3, '', B), row(4, '', C)]));
    assert.equal(eq.kind, 'ok');
    const shrink = await commitList(db, commit(dir, [row(2, '', A)]));
    assert.ok(shrink.kind === 'error' && shrink.code === 'CEIR_ERR_LIST_SHRINK');
    assert.match(shrink.message, /1 entries.*33\.3%.*current 3.*75\.0%/);
    assert.equal((await current(db)).length, 3);
    const forced = await commitList(db, commit(dir, [row(2, '', A)], { force: true }));
    assert.deepEqual(forced, {
      kind: 'ok',
      value: { added: 0, removed: 2, updated: 0, unchanged: 1 },
    });
  });
});

test('delta add, remove, update and conflicts', async () => {
  await withDb(async (db, dir) => {
    await commitList(db, commit(dir, [row(2, '', A), row(3, '', B)]));
    const d = await commitList(
      db,
      commit(
        dir,
        [row(2, 'add', C), row(3, 'remove', A), row(4, 'update', B, 'blacklist'), row(5, 'add', D)],
        { mode: 'delta', at: '2024-02-01T00:00:00.000Z' },
      ),
    );
    assert.deepEqual(d, { kind: 'ok', value: { added: 2, removed: 1, updated: 1, unchanged: 0 } });
    assert.deepEqual(await current(db), [`${B}/blacklist`, `${C}/`, `${D}/`].sort());

    const conflicts: [string[], RegExp, number][] = [
      [[row(2, 'add', D), row(3, 'add', A)], /cannot add key "11111111111111": it is already/, 2],
      [[row(2, 'add', A), row(6, 'remove', A.replace('3', '9'))], /cannot remove key/, 6],
      [[row(2, 'update', A)], /cannot update key "35209900176148": it is not on/, 2],
    ];
    for (const [rows, msg, line] of conflicts) {
      const r = await commitList(db, commit(dir, rows, { mode: 'delta' }));
      assert.ok(r.kind === 'error' && r.code === 'CEIR_ERR_DELTA_CONFLICT', JSON.stringify(r));
      assert.match(r.message, msg);
      assert.equal(r.at?.line, line);
    }
    const twice = await commitList(
      db,
      commit(dir, [row(2, 'add', A), row(3, 'add', A)], { mode: 'delta' }),
    );
    assert.ok(twice.kind === 'error' && twice.code === 'CEIR_ERR_DUPLICATE_KEY');
    assert.match(twice.message, /lines 2 and 3 twice in one delta/);
    assert.deepEqual(await current(db), [`${B}/blacklist`, `${C}/`, `${D}/`].sort());
  });
});

test('an unreadable spool is a store error and changes nothing', async () => {
  await withDb(async (db, dir) => {
    const c = commit(dir, [row(2, '', A)]);
    const r = await commitList(db, { ...c, spool: join(dir, 'missing.csv') });
    assert.ok(r.kind === 'error' && r.code === 'CEIR_ERR_STORE');
    assert.equal(Number((await db.one('SELECT count(*) AS n FROM imports'))?.n), 0);
  });
});
