/** `ceir users` and `ceir audit verify`: an edited or deleted audit entry is detected. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCatalogue } from '../../../core/errors.js';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { captureIo } from '../../../testing/cli-test-kit.js';
import { main } from '../main.js';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function setUp() {
  const root = mkdtempSync(join(tmpdir(), 'ceir-audit-'));
  roots.push(root);
  const data = join(root, 'data');
  const ceir = async (...args: string[]) => {
    const io = captureIo();
    const code = await main([...args, '--data', data], io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };
  assert.equal((await ceir('db', 'migrate')).code, 0);
  for (const [name, role, extra] of [
    ['ann', 'police', []],
    ['bob', 'operator', ['--operator', 'alpha']],
    ['cy', 'regulator', []],
  ] as const) {
    const r = await ceir('users', 'add', name, '--role', role, ...extra);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /API key: {2}k\./);
  }
  const edit = async (sql: string) => {
    const s = await DuckDbStore.open({ dataDir: data, memoryLimit: '256MB', threads: 1 });
    try {
      await s.db.run(sql);
    } finally {
      await s.close();
    }
  };
  return { ceir, edit };
}

test('users add, list and reset-key; every change is in a verifying audit chain', async () => {
  const { ceir } = await setUp();
  const list = await ceir('users', 'list');
  assert.match(list.out, /ann\s+police/);
  assert.match(list.out, /bob\s+operator\s+alpha/);
  const bad = await ceir('users', 'add', 'dee', '--role', 'operator');
  assert.equal(bad.code, ErrorCatalogue.CEIR_ERR_USAGE.exit);
  const reset = await ceir('users', 'reset-key', 'ann');
  assert.equal(reset.code, 0);
  const v = await ceir('audit', 'verify');
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /verified: 4 entries/);
  const tail = await ceir('audit', 'tail');
  assert.match(tail.out, /user\.reset_key/);
});

test('audit verify detects an edited entry', async () => {
  const { ceir, edit } = await setUp();
  await edit("UPDATE audit_log SET target = 'someone-else' WHERE seq = 2");
  const v = await ceir('audit', 'verify');
  assert.equal(v.code, ErrorCatalogue.CEIR_ERR_AUDIT_BROKEN.exit);
  assert.match(v.err, /entry 2: content does not match its hash/);
});

test('audit verify detects a deleted entry', async () => {
  const { ceir, edit } = await setUp();
  await edit('DELETE FROM audit_log WHERE seq = 2');
  const v = await ceir('audit', 'verify');
  assert.equal(v.code, ErrorCatalogue.CEIR_ERR_AUDIT_BROKEN.exit);
  assert.match(v.err, /entry 3: sequence jumps from 1 to 3/);
});

test('audit verify detects a re-hashed edit (the next entry no longer links)', async () => {
  const { ceir, edit } = await setUp();
  // An editor who recomputes the edited entry's own hash still breaks the link of the next one.
  await edit("UPDATE audit_log SET hash = repeat('a', 64) WHERE seq = 1");
  const v = await ceir('audit', 'verify');
  assert.equal(v.code, ErrorCatalogue.CEIR_ERR_AUDIT_BROKEN.exit);
  assert.match(v.err, /entry 1/);
});
