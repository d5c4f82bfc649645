import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ListKind, Store } from '../../core/ports/store.js';
import type { ImportOutcome } from '../outcome.js';
import { importList, type ListImportOptions } from './import-list.js';
import { DIRBS_TESTDATA } from '../../testing/testdata.js';
// Test wiring only: ingest reaches the store through the port; the test opens the real adapter.
// eslint-disable-next-line no-restricted-imports
import type { DuckDb } from '../../store/duckdb/duckdb-database.js';
// eslint-disable-next-line no-restricted-imports
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';

const DIRBS = DIRBS_TESTDATA;

interface Ctx {
  readonly db: DuckDb;
  readonly store: Store;
  readonly dir: string;
  run(
    list: ListKind,
    name: string,
    content: string | Buffer,
    o?: Partial<ListImportOptions>,
  ): Promise<ImportOutcome>;
  current(list: ListKind, at?: string): Promise<string[]>;
}

async function withStore(fn: (c: Ctx) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-import-list-'));
  const store = await DuckDbStore.open({
    dataDir: join(dir, 'data'),
    memoryLimit: '256MB',
    threads: 1,
  });
  await store.migrate();
  const db = store.db;
  const spoolDir = join(dir, 'spool');
  const ctx: Ctx = {
    db,
    store,
    dir,
    run: (list, name, content, o = {}) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      return importList(store, {
        list,
        file,
        mode: 'full',
        force: false,
        shrinkMinRatio: 0.75,
        spoolDir,
        ...o,
      });
    },
    current: async (list, at) => {
      const when = at
        ? `valid_from <= TIMESTAMP '${at}' AND (valid_to IS NULL OR valid_to > TIMESTAMP '${at}')`
        : 'valid_to IS NULL';
      const rows = await db.all(
        `SELECT key, coalesce(status, '') AS status FROM list_entries
         WHERE list = ? AND ${when} ORDER BY key`,
        [list],
      );
      return rows.map((r) => (r.status ? `${String(r.key)}/${String(r.status)}` : String(r.key)));
    },
  };
  try {
    await fn(ctx);
    assert.deepEqual(readdirSync(spoolDir), [], 'spool files are always removed');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function imported(o: ImportOutcome): Record<string, number> {
  assert.equal(o.kind, 'imported', JSON.stringify(o));
  return o.kind === 'imported' ? { ...o.counts } : {};
}

const A = '35209900176148';
const B = '49015420323751';
const C = '26053179311383';
const D = '11111111111111';

test('full import of every list kind from a small CSV', async () => {
  await withStore(async (c) => {
    const cases: [ListKind, string, string[]][] = [
      [
        'stolen',
        `imei,reporting_date,status\n${A}1,20240101,Blacklist\n${B},,\n`,
        [A + '/blacklist', B],
      ],
      [
        'registration',
        'approved_imei,make,model,status,model_number,brand_name,device_type,radio_interface,device_id\n' +
          `${A},Acme,"X1, Pro",whitelist,M1,Acme,Smartphone,LTE,d1\n`,
        [A + '/whitelist'],
      ],
      [
        'pairing',
        `imei,imsi,msisdn\n${A},001010123456789,491701234567\n${A},001010123456780,\n`,
        [`${A}:001010123456780`, `${A}:001010123456789`],
      ],
      ['golden', `golden_imei\n${C}\n`, [C]],
      ['barred', `IMEI\r\n${D}\r\n`, [D]],
      ['barred_tac', `tac\n00100100\n35209900\n`, ['00100100', '35209900']],
      ['monitoring', `\uFEFFimei\n${B}\n`, [B]],
    ];
    for (const [list, csv, keys] of cases) {
      const counts = imported(await c.run(list, `${list}.csv`, csv));
      assert.equal(counts.added, keys.length, list);
      assert.deepEqual(await c.current(list), keys.sort(), list);
    }
    const reg = await c.db.one(`SELECT attrs FROM list_entries WHERE list = 'registration'`);
    assert.equal(JSON.parse(String(reg?.attrs)).model, 'X1, Pro');
    const pair = await c.db.one(
      `SELECT imei_norm, imsi, msisdn FROM list_entries WHERE list = 'pairing' AND msisdn IS NOT NULL`,
    );
    assert.deepEqual(pair, { imei_norm: A, imsi: '001010123456789', msisdn: '491701234567' });
  });
});

test('GSMA TAC database: the DIRBS samples, caps from Bands, attrs kept', async () => {
  await withStore(async (c) => {
    const small = await importList(c.store, {
      list: 'gsma_tac',
      file: join(DIRBS, 'gsma_dump_small_july_2016.txt'),
      mode: 'full',
      force: false,
      shrinkMinRatio: 0.75,
      spoolDir: join(c.dir, 'spool'),
    });
    assert.deepEqual(imported(small), { rows: 3, added: 3, removed: 0, updated: 0, unchanged: 0 });
    assert.deepEqual(await c.current('gsma_tac'), ['21260934', '21782434', '38245933']);

    const rat = await importList(c.store, {
      list: 'gsma_tac',
      file: join(DIRBS, 'gsma_dump_rat_computation_check.txt'),
      mode: 'full',
      force: true, // 9 entries replace 3: not a shrink, but replacing every key
      shrinkMinRatio: 0.75,
      spoolDir: join(c.dir, 'spool'),
    });
    assert.equal(imported(rat).added, 9);
    assert.equal(imported(rat).removed, 3);
    const caps = await c.db.all(
      `SELECT key, caps FROM list_entries WHERE list = 'gsma_tac' AND valid_to IS NULL ORDER BY key`,
    );
    assert.deepEqual(Object.fromEntries(caps.map((r) => [r.key, r.caps])), {
      '01132222': 1, // GSM
      '11111111': 4, // LTE
      '22222222': 4,
      '41233333': 4,
      '41255555': 3, // GSM + WCDMA
      '41266666': 2, // WCDMA
      '41277777': 7, // GSM + WCDMA + LTE
      '41288888': 5, // GSM + LTE + CA_6
      '41299999': 6, // WCDMA + LTE + CA_6
    });
    const attrs = await c.db.one(
      `SELECT attrs FROM list_entries WHERE key = '41277777' AND valid_to IS NULL`,
    );
    const a = JSON.parse(String(attrs?.attrs)) as Record<string, string>;
    assert.equal(a.allocation_date, '26-Apr-2013');
    assert.equal(a.model_name, 'Phone4');
    assert.equal(a.manufacturer, 'Best IT4');
  });
});

test('gzip input; the same content again is a duplicate', async () => {
  await withStore(async (c) => {
    const csv = `imei\n${A}\n${B}\n`;
    imported(await c.run('barred', 'barred.csv.gz', gzipSync(csv)));
    const again = await c.run('barred', 'barred-copy.csv', csv);
    assert.equal(again.kind, 'duplicate');
    assert.ok(again.kind === 'duplicate' && again.previous.file.endsWith('barred.csv.gz'));
    // The same bytes as another list are not a duplicate.
    imported(await c.run('monitoring', 'monitoring.csv', csv));
  });
});

test('a bad row rejects the whole file: nothing changes, the error names file, line, field', async () => {
  await withStore(async (c) => {
    imported(await c.run('stolen', 's1.csv', `imei,reporting_date,status\n${A},20240101,\n`));
    const r = await c.run(
      'stolen',
      's2.csv',
      `imei,reporting_date,status\n${B},20240101,\n${C},20240101,\n22a456789012345,20240101,\nxx,,\n`,
    );
    assert.equal(r.kind, 'rejected');
    assert.ok(r.kind === 'rejected');
    assert.equal(r.error.code, 'CEIR_ERR_PARSE');
    assert.deepEqual(r.error.at, { file: join(c.dir, 's2.csv'), line: 4, field: 'imei' });
    assert.equal(r.error.rule, 'imei_format');
    assert.match(r.error.message, /"22a456789012345".*\(1 more bad rows\)/);
    assert.equal(r.rows, 4);
    assert.deepEqual(await c.current('stolen'), [A]);

    const header = await c.run('stolen', 's3.csv', `imei,status\n${B},\n`);
    assert.ok(header.kind === 'rejected' && header.error.rule === 'header_columns');
    assert.match(header.error.message, /s3.csv": missing required column reporting_date/);
    const empty = await c.run('stolen', 's4.csv', '');
    assert.ok(empty.kind === 'rejected' && empty.error.code === 'CEIR_ERR_PARSE');
    const missing = await importList(c.store, {
      list: 'stolen',
      file: join(c.dir, 'nope.csv'),
      mode: 'full',
      force: false,
      shrinkMinRatio: 0.75,
      spoolDir: join(c.dir, 'spool'),
    });
    assert.ok(missing.kind === 'rejected' && missing.error.code === 'CEIR_ERR_INPUT_FILE');
  });
});

test('duplicate keys: different data rejected, identical accepted', async () => {
  await withStore(async (c) => {
    const dup = await c.run(
      'stolen',
      'd1.csv',
      `imei,reporting_date,status\n${A}1,20240101,\n${A}0,20240102,\n`,
    );
    assert.ok(dup.kind === 'rejected' && dup.error.code === 'CEIR_ERR_DUPLICATE_KEY');
    assert.match(dup.error.message, /lines 2 and 3/);
    assert.deepEqual(await c.current('stolen'), []);
    const same = await c.run(
      'stolen',
      'd2.csv',
      `imei,reporting_date,status\n${A}1,20240101,\n${A},20240101,\n`,
    );
    assert.deepEqual(imported(same), { rows: 2, added: 1, removed: 0, updated: 0, unchanged: 0 });
  });
});

test('full replacement closes removed entries; earlier lists stay reconstructable', async () => {
  await withStore(async (c) => {
    const at = (d: string) => ({ now: new Date(d) });
    imported(
      await c.run(
        'stolen',
        'f1.csv',
        `imei,reporting_date,status\n${A},,\n${B},,\n${C},,\n`,
        at('2024-01-01T00:00:00Z'),
      ),
    );
    const r = await c.run(
      'stolen',
      'f2.csv',
      `imei,reporting_date,status\n${A},,\n${B},,blacklist\n${D},,\n`,
      at('2024-02-01T00:00:00Z'),
    );
    assert.deepEqual(imported(r), { rows: 3, added: 1, removed: 1, updated: 1, unchanged: 1 });
    assert.deepEqual(await c.current('stolen'), [D, B + '/blacklist', A].sort());
    assert.deepEqual(await c.current('stolen', '2024-01-15 00:00:00'), [A, B, C].sort());
  });
});

test('delta add, remove, update and conflicts', async () => {
  await withStore(async (c) => {
    imported(await c.run('golden', 'g1.csv', `golden_imei\n${A}\n${B}\n`));
    const delta = { mode: 'delta' as const };
    const r = await c.run(
      'golden',
      'g2.csv',
      `golden_imei,change_type\n${C},add\n${A},remove\n${B},update\n`,
      delta,
    );
    assert.deepEqual(imported(r), { rows: 3, added: 1, removed: 1, updated: 0, unchanged: 1 });
    assert.deepEqual(await c.current('golden'), [B, C].sort());

    const add = await c.run(
      'golden',
      'g3.csv',
      `golden_imei,change_type\n${D},add\n${C},add\n`,
      delta,
    );
    assert.ok(add.kind === 'rejected' && add.error.code === 'CEIR_ERR_DELTA_CONFLICT');
    assert.equal(add.error.at?.line, 3);
    const rm = await c.run('golden', 'g4.csv', `golden_imei,change_type\n${A},remove\n`, delta);
    assert.ok(rm.kind === 'rejected' && rm.error.code === 'CEIR_ERR_DELTA_CONFLICT');
    const twice = await c.run(
      'golden',
      'g5.csv',
      `golden_imei,change_type\n${D},add\n${D},add\n`,
      delta,
    );
    assert.ok(twice.kind === 'rejected' && twice.error.code === 'CEIR_ERR_DUPLICATE_KEY');
    const noType = await c.run('golden', 'g6.csv', `golden_imei\n${D}\n`, delta);
    assert.ok(noType.kind === 'rejected' && noType.error.rule === 'header_columns');
    assert.deepEqual(await c.current('golden'), [B, C].sort());
  });
});

test('a full list below 75% of the current one is refused unless forced', async () => {
  await withStore(async (c) => {
    imported(await c.run('barred', 'b1.csv', `imei\n${A}\n${B}\n${C}\n${D}\n`));
    const r = await c.run('barred', 'b2.csv', `imei\n${A}\n${B}\n`);
    assert.ok(r.kind === 'rejected' && r.error.code === 'CEIR_ERR_LIST_SHRINK');
    assert.match(r.error.message, /2 entries, 50\.0% of the current 4/);
    assert.equal((await c.current('barred')).length, 4);
    const f = await c.run('barred', 'b3.csv', `imei\n${A}\n${B}\n`, { force: true });
    assert.deepEqual(imported(f), { rows: 2, added: 0, removed: 2, updated: 0, unchanged: 2 });
  });
});
