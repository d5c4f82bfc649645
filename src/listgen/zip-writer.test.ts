import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { readZip, readZipEntry } from './zip-reader.js';
import { openZipFile, type ZipWriterOptions } from './zip-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'ceir-zip-'));
const has = (cmd: string) => spawnSync('which', [cmd]).status === 0;
const slow = process.env.CEIR_SLOW_TESTS === '1';

const ENTRIES: [string, Buffer][] = [
  ['empty.txt', Buffer.alloc(0)],
  ['a.csv', Buffer.from('imei,block_date\n35000000000000,20260131\n')],
  ['dir/ünïcode.txt', Buffer.from('named in UTF-8\n')],
  ['random.bin', Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251))],
];

async function write(name: string, opts: ZipWriterOptions = {}): Promise<string> {
  const path = join(dir, name);
  const zip = openZipFile(path, opts);
  for (const [n, data] of ENTRIES) {
    const e = zip.addEntry(n, { date: new Date('2026-01-31T12:34:56Z') });
    // Written in uneven chunks, awaiting backpressure.
    for (let i = 0; i < data.length; i += 70_001) await e.write(data.subarray(i, i + 70_001));
    const info = await e.end();
    assert.equal(info.size, data.length);
    assert.equal(info.crc32, crc32(data));
  }
  const r = await zip.close();
  assert.equal(r.bytes, statSync(path).size);
  assert.equal(r.entries, ENTRIES.length);
  return path;
}

for (const zip64 of ['auto', 'always'] as const) {
  test(`zip round trip through yauzl (zip64 ${zip64})`, async () => {
    const path = await write(`yauzl-${zip64}.zip`, { zip64 });
    assert.deepEqual(
      (await readZip(path)).names,
      ENTRIES.map(([n]) => n),
    );
    for (const [n, data] of ENTRIES) assert.deepEqual(await readZipEntry(path, n), data, n);
  });

  test(`zip round trip through unzip (zip64 ${zip64})`, async (t) => {
    if (!has('unzip')) return t.skip('unzip is not installed');
    const path = await write(`unzip-${zip64}.zip`, { zip64 });
    const check = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    for (const [n, data] of ENTRIES) {
      const r = spawnSync('unzip', ['-p', path, n], { maxBuffer: 1 << 24 });
      assert.equal(r.status, 0, r.stderr.toString());
      assert.deepEqual(r.stdout, data, n);
    }
    const list = spawnSync('unzip', ['-l', path], { encoding: 'utf8' }).stdout;
    assert.match(list, /2026-01-31 12:34/);
  });

  test(`zip round trip through Python zipfile (zip64 ${zip64})`, async (t) => {
    if (!has('python3')) return t.skip('python3 is not installed');
    const path = await write(`python-${zip64}.zip`, { zip64 });
    const py = [
      'import sys, zipfile, hashlib',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'for i in z.infolist(): print(i.filename, hashlib.sha256(z.read(i)).hexdigest(), i.date_time)',
    ].join('\n');
    const r = spawnSync('python3', ['-c', py, path], { encoding: 'utf8' });
    if (r.status !== 0 && /No module named/.test(r.stderr)) return t.skip('no Python zipfile');
    assert.equal(r.status, 0, r.stderr);
    const { createHash } = await import('node:crypto');
    const expected = ENTRIES.map(
      ([n, d]) => `${n} ${createHash('sha256').update(d).digest('hex')} (2026, 1, 31, 12, 34, 56)`,
    );
    assert.deepEqual(r.stdout.trim().split('\n'), expected);
  });
}

test('the writer is deterministic and hands every byte to onData', async () => {
  const parts: Buffer[] = [];
  const a = await write('det-a.zip', { onData: (b) => parts.push(b) });
  const b = await write('det-b.zip');
  assert.deepEqual(readFileSync(a), readFileSync(b));
  assert.deepEqual(Buffer.concat(parts), readFileSync(a));
});

test('misuse throws: an entry while another is open, close with an open entry', async () => {
  const zip = openZipFile(join(dir, 'misuse.zip'));
  const e = zip.addEntry('a');
  assert.throws(() => zip.addEntry('b'), /previous entry is open/);
  await assert.rejects(zip.close(), /entry is open/);
  await e.end();
  await zip.close();
  await assert.rejects(zip.close(), /already closed/);
});

test('an entry above 4 GiB and 65,535+ entries (CEIR_SLOW_TESTS=1)', async (t) => {
  if (!slow) return t.skip('set CEIR_SLOW_TESTS=1 (writes 4 GiB through deflate, about 2 minutes)');
  const path = join(dir, 'big.zip');
  const zip = openZipFile(path);
  const e = zip.addEntry('big.bin', { level: 1 });
  const chunk = Buffer.alloc(1 << 22, 0x61);
  const n = Math.ceil((2 ** 32 + 5e6) / chunk.length);
  for (let i = 0; i < n; i++) await e.write(chunk);
  assert.equal((await e.end()).size, n * chunk.length);
  for (let i = 0; i < 70_000; i++) {
    const s = zip.addEntry(`s/${i}.txt`, { level: 0 });
    await s.write(Buffer.from(String(i)));
    await s.end();
  }
  await zip.close();
  const { names } = await readZip(path);
  assert.equal(names.length, 70_001);
  assert.deepEqual(await readZipEntry(path, 's/69999.txt'), Buffer.from('69999'));
  let size = 0;
  await readZip(path, 'big.bin', (c) => (size += c.length));
  assert.equal(size, n * chunk.length);
  if (has('unzip')) {
    const r = spawnSync('unzip', ['-tq', path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
});
