/**
 * `ceir backup` then `ceir restore` into another data directory gives back every table, row for
 * row; a backup whose bytes changed is refused; restore never replaces a store without --force.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { captureIo } from '../../../testing/cli-test-kit.js';
import { main } from '../main.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-backup-'));
const source = join(root, 'source');
let backup = '';

async function ceir(args: string[]): Promise<{ code: number; out: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: [...io.stdout, ...io.stderr].join('\n') };
}

/** Every base table of a store, each as its rows in a fixed order. */
async function tables(dataDir: string): Promise<Record<string, unknown[]>> {
  const store = await DuckDbStore.open({ dataDir, memoryLimit: '256MB', threads: 1 });
  try {
    const names = await store.db.all(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const out: Record<string, unknown[]> = {};
    for (const n of names)
      out[String(n.t)] = await store.db.all(`SELECT * FROM "${String(n.t)}" ORDER BY ALL`);
    return out;
  } finally {
    await store.close();
  }
}

before(async () => {
  const r = await ceir(['demo', '--rows', '2000', '--data', source]);
  assert.equal(r.code, 0, r.out);
  const b = await ceir(['backup', join(root, 'backups'), '--data', source]);
  assert.equal(b.code, 0, b.out);
  backup = join(
    root,
    'backups',
    readdirSync(join(root, 'backups')).find((f) => f.endsWith('.duckdb'))!,
  );
});

after(() => rmSync(root, { recursive: true, force: true }));

test('a restored backup holds every table of the store, row for row', async () => {
  const target = join(root, 'restored');
  const r = await ceir(['restore', backup, '--data', target]);
  assert.equal(r.code, 0, r.out);
  const want = await tables(source);
  const got = await tables(target);
  assert.deepEqual(Object.keys(got), Object.keys(want));
  for (const t of ['triplets', 'list_entries', 'classification_state', 'list_rows', 'imports'])
    assert.ok((want[t]?.length ?? 0) > 0, `the demo store has rows in ${t}`);
  for (const [t, rows] of Object.entries(want)) assert.deepEqual(got[t], rows, `table ${t}`);
  // The restored store is usable by the CLI.
  const s = await ceir(['db', 'status', '--data', target]);
  assert.equal(s.code, 0, s.out);
});

test('restore refuses to replace a store without --force, and keeps the replaced file', async () => {
  const target = join(root, 'replace');
  assert.equal((await ceir(['db', 'migrate', '--data', target])).code, 0);
  const refused = await ceir(['restore', backup, '--data', target]);
  assert.equal(refused.code, 2, refused.out);
  assert.match(refused.out, /--force/);
  const forced = await ceir(['restore', backup, '--data', target, '--force']);
  assert.equal(forced.code, 0, forced.out);
  assert.ok(readdirSync(target).some((f) => f.startsWith('ceir.duckdb.before-restore-')));
  assert.deepEqual((await tables(target)).triplets, (await tables(source)).triplets);
});

test('a backup whose bytes changed is refused', async () => {
  const bad = join(root, 'bad.duckdb');
  copyFileSync(backup, bad);
  copyFileSync(`${backup}.json`, `${bad}.json`);
  appendFileSync(bad, 'x');
  const target = join(root, 'never');
  const r = await ceir(['restore', bad, '--data', target]);
  assert.equal(r.code, 4, r.out);
  assert.match(r.out, /SHA-256/);
  assert.equal(existsSync(join(target, 'ceir.duckdb')), false);
});
