import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from './duckdb-store.js';
import { DuckDbRetentionStore } from './retention.js';

const CUTOFFS = {
  triplets: '2025-01-01',
  personalData: '2025-07-01',
  listHistory: '2024-01-01',
  audit: '2024-01-01',
};

async function seeded(): Promise<{ store: DuckDbStore; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-retention-'));
  const store = await DuckDbStore.open({ dataDir: dir, memoryLimit: '256MB', threads: 1 });
  await store.migrate();
  const db = store.db;
  // IMEI 1: seen in 2024-12 (past triplet retention), 2025-03 with two SIMs (past personal
  // data), 2025-09 (kept whole). IMEI 2: only 2025-09.
  const t = (month: string, imei: number, imsi: number | null, day: number, rat: number) =>
    db.run(
      `INSERT INTO triplets VALUES (?::DATE, 'alpha', ?, ?, ?, ?::DATE + ${day - 1}, ?::DATE + ${day - 1}, ${1 << (day - 1)}, ${rat})`,
      [month, imei, imsi, imsi === null ? null : imsi + 1, month, month],
    );
  await t('2024-12-01', 1, 100101, 5, 1);
  await t('2025-03-01', 1, 100101, 2, 1);
  await t('2025-03-01', 1, 100102, 9, 4);
  await t('2025-09-01', 1, 100101, 3, 1);
  await t('2025-09-01', 2, 100103, 3, 1);
  await db.run(
    "INSERT INTO operator_daily VALUES ('alpha', '2024-12-05', 1, 1, 1, 'i1'), ('alpha', '2025-09-03', 2, 2, 2, 'i2')",
  );
  await db.run(
    "INSERT INTO check_observations VALUES ('2024-12-05 10:00', 1, 100101, 'mme', 's13', 'WHITELISTED'), ('2025-03-05 10:00', 1, 100101, 'mme', 's13', 'WHITELISTED'), ('2025-09-05 10:00', 1, 100101, 'mme', 's13', 'WHITELISTED')",
  );
  await db.run(
    `INSERT INTO list_entries VALUES
      ('stolen', 'a', 'a', NULL, NULL, NULL, NULL, NULL, '{}', '2022-01-01', '2023-06-01', 'i0'),
      ('stolen', 'b', 'b', NULL, NULL, NULL, NULL, NULL, '{}', '2022-01-01', '2024-06-01', 'i0'),
      ('stolen', 'c', 'c', NULL, NULL, NULL, NULL, NULL, '{}', '2022-01-01', NULL, 'i0')`,
  );
  return { store, dir };
}

test('a dry run counts what the cutoffs exclude and changes nothing', async () => {
  const { store, dir } = await seeded();
  try {
    const r = await new DuckDbRetentionStore(store.db).prune(CUTOFFS, true);
    const n = (table: string, action: string) =>
      r.find((x) => x.table === table && x.action === action)?.rows;
    assert.equal(n('triplets', 'delete'), 1);
    assert.equal(n('triplets', 'anonymise'), 3, 'the 2024-12 row is counted as well in a dry run');
    assert.equal(n('operator_daily', 'delete'), 1);
    assert.equal(n('check_observations', 'delete'), 1);
    assert.equal(n('list_entries', 'delete'), 1);
    assert.equal(Number((await store.db.one('SELECT count(*) AS n FROM triplets'))?.n), 5);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prune drops old months, strips IMSI and MSISDN of older months, keeps the rest', async () => {
  const { store, dir } = await seeded();
  try {
    const r = await new DuckDbRetentionStore(store.db).prune(CUTOFFS, false);
    assert.equal(r.find((x) => x.table === 'triplets' && x.action === 'anonymise')?.rows, 2);
    const rows = await store.db.all(
      `SELECT month::VARCHAR AS m, imei, imsi, msisdn, first_seen::VARCHAR AS f, last_seen::VARCHAR AS l,
              day_mask, rat_mask FROM triplets ORDER BY m, imei, imsi`,
    );
    assert.deepEqual(rows, [
      // 2025-03: the two SIMs of IMEI 1 merged into one row without identities.
      {
        m: '2025-03-01',
        imei: '1',
        imsi: null,
        msisdn: null,
        f: '2025-03-02',
        l: '2025-03-09',
        day_mask: (1 << 1) | (1 << 8),
        rat_mask: 5,
      },
      {
        m: '2025-09-01',
        imei: '1',
        imsi: '100101',
        msisdn: '100102',
        f: '2025-09-03',
        l: '2025-09-03',
        day_mask: 4,
        rat_mask: 1,
      },
      {
        m: '2025-09-01',
        imei: '2',
        imsi: '100103',
        msisdn: '100104',
        f: '2025-09-03',
        l: '2025-09-03',
        day_mask: 4,
        rat_mask: 1,
      },
    ]);
    const ni = await store.db.all(
      'SELECT imei, first_seen::VARCHAR AS f, imsis FROM network_imeis ORDER BY imei',
    );
    assert.deepEqual(ni, [
      { imei: '1', f: '2025-03-02', imsis: 1 },
      { imei: '2', f: '2025-09-03', imsis: 1 },
    ]);
    const obs = await store.db.all(
      'SELECT time::VARCHAR AS t, imsi FROM check_observations ORDER BY time',
    );
    assert.deepEqual(obs, [
      { t: '2025-03-05 10:00:00', imsi: null },
      { t: '2025-09-05 10:00:00', imsi: '100101' },
    ]);
    const keys = await store.db.all('SELECT key FROM list_entries ORDER BY key');
    assert.deepEqual(keys, [{ key: 'b' }, { key: 'c' }], 'list history closed before 2024 goes');
    // Pruning again finds nothing left to do.
    const again = await new DuckDbRetentionStore(store.db).prune(CUTOFFS, false);
    assert.deepEqual(
      again.filter((x) => x.rows > 0).map((x) => x.table),
      [],
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
