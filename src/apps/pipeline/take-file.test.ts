/**
 * A file's crash points (docs/operations.md "Resuming after a crash"): a file recorded
 * `importing` whose import had landed is recorded imported with that import (not imported
 * again); a file whose final state was recorded but which was not moved is moved, nothing else.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/ids/index.js';
import { importOperatorDump } from '../../ingest/operator-dump/import-operator-dump.js';
import { DuckDbPipelineStore } from '../../store/duckdb/pipeline.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { captureIo, RELAXED_GATES_YAML } from '../../testing/cli-test-kit.js';
import { CliContext } from '../cli/cli-context.js';
import { main } from '../cli/main.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-take-file-'));
after(() => rmSync(root, { recursive: true, force: true }));

const CONFIG = `country: { name: Testland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
${RELAXED_GATES_YAML}pipeline: { stable_seconds: 0, prune: false }
`;

function dump(dir: string, name: string, n: number): string {
  const k = `35000000${String(n).padStart(6, '0')}`;
  const f = join(dir, name);
  writeFileSync(
    f,
    `date,imei,imsi,msisdn,rat\n20260101,${k}${luhnCheckDigit(k)},00101${String(n).padStart(10, '0')},999${String(n).padStart(8, '0')},006\n`,
  );
  return f;
}

test('resuming a file: a landed import is taken, a recorded move is finished', async () => {
  const data = join(root, 'data');
  const inbox = join(data, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const config = join(root, 'ceir.yaml');
  writeFileSync(config, CONFIG);
  const ctx = CliContext.create({ data, config }, captureIo());
  assert.ok(!('kind' in ctx));
  if ('kind' in ctx) return;
  const store = (await ctx.openStore()) as DuckDbStore;
  const ps = new DuckDbPipelineStore(store.db);
  const at = '2026-01-02T01:00:00.000Z';
  // 1. Killed after the import committed, before its state was recorded.
  const landed = dump(inbox, 'alpha_20260101_20260101.csv', 1);
  const o = await importOperatorDump(store, {
    file: landed,
    config: ctx.config,
    gates: ctx.config.gates,
    spoolDir: ctx.spoolDir,
  });
  assert.equal(o.kind, 'imported');
  const rec = await ps.beginFile(
    {
      name: 'alpha_20260101_20260101.csv',
      source: 'operator',
      operator: 'alpha',
      day: '2026-01-01',
    },
    at,
  );
  // 2. Killed after the state was recorded, before the move.
  const moved = join(data, 'pipeline', 'imported', '99-alpha_20251231_20251231.csv');
  dump(inbox, 'alpha_20251231_20251231.csv', 2);
  const r2 = await ps.beginFile(
    {
      name: 'alpha_20251231_20251231.csv',
      source: 'operator',
      operator: 'alpha',
      day: '2025-12-31',
    },
    at,
  );
  await ps.finishFile(r2.id, { state: 'rejected', error: 'x', movedTo: moved }, at);
  await ctx.close();

  const io = captureIo();
  assert.equal(
    await main(['pipeline', 'run', '--once', '--data', data, '--config', config], io),
    0,
    io.stderr.join('\n'),
  );
  assert.match(io.stdout.join('\n'), /file alpha_20251231_20251231\.csv: moved/);
  assert.match(io.stdout.join('\n'), /file alpha_20260101_20260101\.csv: imported/);
  assert.deepEqual(readdirSync(inbox), []);
  assert.ok(existsSync(moved));

  const s = await DuckDbStore.open({ dataDir: data, memoryLimit: '256MB', threads: 1 });
  try {
    const imports = await s.db.all('SELECT id FROM imports');
    assert.equal(imports.length, 1, 'the landed import is not imported again');
    const files = await new DuckDbPipelineStore(s.db).files();
    const first = files.find((f) => f.id === rec.id)!;
    assert.equal(first.state, 'imported');
    assert.equal(first.importId, o.kind === 'imported' ? o.record.id : '');
    assert.equal(files.find((f) => f.id === r2.id)!.state, 'rejected');
    assert.equal(files.length, 2, 'no new record for the moved file');
  } finally {
    await s.close();
  }
});
