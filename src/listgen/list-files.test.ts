import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from './csv.js';
import { listFileName, listHeader, parseListFileName, writeListFile } from './list-files.js';
import { readZip, readZipEntry } from './zip-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'ceir-listfiles-'));

test('list file names, full and delta, and their inverse', () => {
  assert.equal(listFileName('20260131', 'blacklist', 'full'), '20260131_blacklist.zip');
  assert.equal(listFileName('2026-01-31', 'blacklist', 'delta'), '20260131_blacklist_delta.zip');
  assert.equal(
    listFileName(new Date('2026-01-31T23:00:00Z'), 'notifications', 'full', 'alpha'),
    '20260131_notifications_alpha.zip',
  );
  assert.equal(
    listFileName('20260131', 'exceptions', 'delta', 'beta-2'),
    '20260131_exceptions_beta-2_delta.zip',
  );
  assert.throws(() => listFileName('20260131', 'exceptions', 'full'), /needs an operator/);
  assert.throws(() => listFileName('20260131', 'blacklist', 'full', 'alpha'), /national/);
  assert.throws(() => listFileName('2026-1-31', 'blacklist', 'full'), /YYYYMMDD/);
  assert.deepEqual(parseListFileName('20260131_exceptions_beta-2_delta.zip'), {
    date: '20260131',
    kind: 'exceptions',
    form: 'delta',
    operator: 'beta-2',
  });
  assert.equal(parseListFileName('20260131_blacklist_alpha.zip'), undefined);
  assert.equal(parseListFileName('20260131_notifications.zip'), undefined);
});

test('headers: delta lists put change_type first', () => {
  assert.deepEqual(listHeader('blacklist', 'full'), ['imei', 'block_date', 'reasons']);
  assert.deepEqual(listHeader('exceptions', 'delta'), ['change_type', 'imei', 'imsi', 'msisdn']);
});

async function* manyRows(n: number): AsyncGenerator<string[]> {
  for (let i = 0; i < n; i++)
    yield [String(35_000_000_000_000 + i), '20260131', i % 3 ? 'stolen' : 'a,"b"'];
}

test('writeListFile streams rows into <name>.csv inside <name>.zip, with count, SHA-256, size', async () => {
  const name = listFileName('20260131', 'blacklist', 'full').replace('.zip', '');
  const info = await writeListFile({
    dir,
    name,
    header: listHeader('blacklist', 'full'),
    rows: manyRows(200_000),
  });
  assert.equal(info.file, join(dir, `${name}.zip`));
  assert.equal(info.rows, 200_000);
  const bytes = readFileSync(info.file);
  assert.equal(info.bytes, bytes.length);
  assert.equal(info.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.deepEqual((await readZip(info.file)).names, [`${name}.csv`]);
  const csv = (await readZipEntry(info.file, `${name}.csv`))!.toString('utf8');
  const recs = parseCsv(csv);
  assert.equal(recs.length, 200_001);
  assert.deepEqual(recs[0], ['imei', 'block_date', 'reasons']);
  assert.deepEqual(recs[1], ['35000000000000', '20260131', 'a,"b"']);
  assert.ok(csv.startsWith('imei,block_date,reasons\n35000000000000,20260131,"a,""b"""\n'));
  if (spawnSync('which', ['unzip']).status === 0) {
    const r = spawnSync('unzip', ['-p', info.file, `${name}.csv`], { maxBuffer: 1 << 28 });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.toString('utf8'), csv);
  }
  // The entry is dated by the name's date.
  assert.ok(statSync(info.file).size > 0);
});

test('writeListFile takes a plain iterable and a name with .zip; same rows, same bytes', async () => {
  const rows = [['added', '35000000000001', '001010000000001', '']];
  const a = await writeListFile({
    dir,
    name: '20260131_exceptions_alpha_delta.zip',
    header: listHeader('exceptions', 'delta'),
    rows,
  });
  const sub = mkdtempSync(join(tmpdir(), 'ceir-listfiles-'));
  const b = await writeListFile({
    dir: sub,
    name: '20260131_exceptions_alpha_delta',
    header: listHeader('exceptions', 'delta'),
    rows,
  });
  assert.equal(a.rows, 1);
  assert.equal(a.sha256, b.sha256);
});

test('a row of the wrong width is a bug: it throws and leaves no file behind', async () => {
  const sub = mkdtempSync(join(tmpdir(), 'ceir-listfiles-'));
  await assert.rejects(
    writeListFile({
      dir: sub,
      name: '20260131_blacklist',
      header: ['imei', 'block_date', 'reasons'],
      rows: [['1', '2']],
    }),
    /row 1 has 2 fields, the header has 3/,
  );
  assert.deepEqual(readdirSync(sub), []);
  assert.ok(!existsSync(join(sub, '20260131_blacklist.zip')));
});
