/**
 * kill -9 in the middle of a PostgreSQL commit: a child process commits an operator dump and is
 * killed while its transaction is open (after the new month partition was loaded and attached,
 * holding the ingest advisory lock). The store must be exactly as before, the partition gone,
 * the lock free, and the same dump must then land.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PgStore } from './pg-store.js';
import { createTestDatabase } from './test-database.js';

const url = (rel: string) => new URL(rel, import.meta.url).href;

/** Commits the spool; holds (thread blocked, transaction open) once the ATTACH has run. */
const CHILD = `
import { PgStore } from ${JSON.stringify(url('./pg-store.js'))};
import { PgSession } from ${JSON.stringify(url('./pg-database.js'))};
const [dbUrl, spool] = process.argv.slice(1);
const query = PgSession.prototype.query;
PgSession.prototype.query = async function (sql, params) {
  const r = await query.call(this, sql, params);
  if (/^ALTER TABLE triplets ATTACH/.test(sql.trim())) {
    process.stdout.write('held\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  return r;
};
const store = await PgStore.open({ url: dbUrl });
const now = new Date().toISOString();
await store.commitOperatorDump({
  record: { id: 'killed', source: 'operator', file: 'k.csv', sha256: 'k', mode: 'full',
    operator: 'alpha', rows: 0, accepted: 0, gates: [], startedAt: now, finishedAt: now },
  tripletSpools: [spool], daily: [],
});
process.stdout.write('committed\\n');
`;

const HEADER =
  'month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,first_day,last_day,day_mask,rat_mask\n';

const db = await createTestDatabase('ceir_kill');
if ('skip' in db) test('postgres kill -9', (t) => t.skip(db.skip));
else {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-pg-kill-'));
  const store = await PgStore.open({ url: db.url });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('kill -9 inside the commit leaves the store as it was; the dump then lands', async () => {
    await store.migrate();
    const spool = join(dir, 'feb.csv');
    const lines = [HEADER];
    for (let i = 0; i < 50_000; i++)
      lines.push(`2026-02-01,${35209900000000 + i},,${1001010000000000 + i},,,,3,3,4,32\n`);
    writeFileSync(spool, lines.join(''));
    const before = await store.counts();

    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, db.url, spool], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('held')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before holding: ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(!out.includes('committed'));

    assert.deepEqual(await store.counts(), before);
    const part = await store.db.query("SELECT to_regclass('triplets_m202602') IS NULL AS gone");
    assert.equal(part.rows[0]?.gone, true, 'the new month partition survived the kill');
    // The server ends the killed session; the lock is free and the same dump lands.
    const now = new Date().toISOString();
    await store.commitOperatorDump({
      record: {
        id: 'again',
        source: 'operator',
        file: 'k.csv',
        sha256: 'k',
        mode: 'full',
        operator: 'alpha',
        rows: 0,
        accepted: 0,
        gates: [],
        startedAt: now,
        finishedAt: now,
      },
      tripletSpools: [spool],
      daily: [],
    });
    assert.equal((await store.counts()).triplets, before.triplets + 50_000);
  });
}
