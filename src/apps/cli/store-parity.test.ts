/**
 * Issue 7 item 3: the same inputs through the DuckDB store and the PostgreSQL store (selected by
 * CEIR_STORE / CEIR_PG_URL) give byte-identical lists. A generated national dataset is imported,
 * classified and listed twice (end of January, then end of February, so deltas are written too)
 * on each store, by the CLI in process. Every list file (zip) must be identical byte for byte;
 * the signed manifests must be identical except their key id, time of generation and signature
 * (each data directory has its own signing key), which is why they cannot be identical bytes.
 * The monthly reports, and the data of a check-server snapshot, of both stores are equal too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { datasetFiles } from '../generate/dataset-files.js';
import { generateDataset } from '../generate/generate-dataset.js';
import { DEMO_CONFIG_PATH, loadConfig } from '../../config/loader.js';
import type { EirSnapshotData } from '../../core/ports/snapshot-source.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { PgStore } from '../../store/postgres/pg-store.js';
import { createTestDatabase } from '../../store/postgres/test-database.js';
import { captureIo } from '../../testing/cli-test-kit.js';
import { main } from './main.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-parity-'));
after(() => rmSync(root, { recursive: true, force: true }));

let lastOut = '';

async function ceir(data: string, env: Record<string, string>, ...args: string[]): Promise<void> {
  const saved = { CEIR_STORE: process.env.CEIR_STORE, CEIR_PG_URL: process.env.CEIR_PG_URL };
  Object.assign(process.env, env);
  const io = captureIo();
  try {
    const code = await main([...args, '--data', data, '--config', DEMO_CONFIG_PATH], io);
    assert.equal(code, 0, `ceir ${args.join(' ')}: ${io.stderr.join('\n')}`);
    lastOut = io.stdout.join('\n');
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/** Runs a command that must succeed; returns what it printed. */
async function ceirOut(
  data: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<string> {
  await ceir(data, env, ...args);
  return lastOut;
}

/** Every file under `dir` (relative path -> bytes). */
function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      out.set(p.slice(dir.length + 1), readFileSync(p));
    }
  return out;
}

/** A snapshot's contents as sorted rows, so that two engines' row orders compare equal. */
function snapshotRows(x: EirSnapshotData) {
  const pairs = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a, (v, i) => `${v}:${b[i]}`).sort();
  return {
    run: [x.listRun, x.asOf, x.tacCount],
    reasonSets: x.reasonSets,
    black: pairs(x.black.imeis, x.black.reasonSets),
    grey: pairs(x.grey.imeis, x.grey.reasonSets),
    exceptions: pairs(x.exceptions.imeis, x.exceptions.imsis),
    golden: Array.from(x.golden).sort(),
    tacs: Buffer.from(x.tacBitmap).toString('base64'),
    malformed: x.malformed,
  };
}

/** A manifest without what depends on the data directory's own signing key and the clock. */
const UNSIGNED = (m: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(m).filter(([k]) => !['key_id', 'generated_at', 'signature'].includes(k)),
  );

const pg = await createTestDatabase('ceir_parity');
if ('skip' in pg) test('lists are identical on both stores', (t) => t.skip(pg.skip));
else {
  after(() => pg.drop());

  test('the same inputs give byte-identical lists on DuckDB and PostgreSQL', async () => {
    const loaded = loadConfig(DEMO_CONFIG_PATH);
    if (loaded.kind !== 'ok') throw new Error(loaded.message);
    const input = join(root, 'input');
    await generateDataset({
      config: loaded.value,
      outDir: input,
      rows: 20_000,
      seed: 7,
      startMonth: '2026-01',
      months: 2,
      compression: 'plain',
    });
    const stores = {
      duckdb: { data: join(root, 'duckdb'), env: { CEIR_STORE: 'duckdb' } },
      postgres: {
        data: join(root, 'postgres'),
        env: { CEIR_STORE: 'postgres', CEIR_PG_URL: pg.url },
      },
    };
    for (const { data, env } of Object.values(stores)) {
      for (const { source, file } of datasetFiles(input))
        await ceir(data, env, 'import', source, file);
      for (const asOf of ['2026-01-31', '2026-02-28']) {
        await ceir(data, env, 'classify', '--as-of', asOf);
        await ceir(data, env, 'listgen');
      }
    }
    const duck = filesOf(join(stores.duckdb.data, 'lists'));
    const post = filesOf(join(stores.postgres.data, 'lists'));
    assert.deepEqual([...post.keys()].sort(), [...duck.keys()].sort());
    let zips = 0;
    let rowsSeen = 0;
    for (const [name, bytes] of duck) {
      const other = post.get(name)!;
      if (name.endsWith('.zip')) {
        zips++;
        assert.ok(bytes.equals(other), `${name} differs between the stores`);
      } else if (name.endsWith('.json')) {
        const a = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        const b = JSON.parse(other.toString('utf8')) as Record<string, unknown>;
        assert.deepEqual(UNSIGNED(b), UNSIGNED(a), `${name}: manifests differ`);
        for (const f of a.files as { rows: number }[]) rowsSeen += f.rows;
      }
    }
    assert.ok(zips >= 14, `only ${zips} list files were written`);
    assert.ok(rowsSeen > 0, 'the lists are all empty: the comparison proves nothing');

    // The monthly reports are the same too.
    const d = await DuckDbStore.open({
      dataDir: stores.duckdb.data,
      memoryLimit: '512MB',
      threads: 1,
    });
    const p = await PgStore.open({ url: pg.url });
    try {
      for (const month of ['2026-01', '2026-02']) {
        const a = await d.monthReport(month, loaded.value);
        assert.ok(
          a.figures.some((f) => f.imeis > 0),
          `${month}: an empty report proves nothing`,
        );
        assert.deepEqual(await p.monthReport(month, loaded.value), a, `report ${month}`);
      }
      // And so is what a check server's snapshot is built from (rows in any order).
      const [ds, ps] = [await d.snapshotData(), await p.snapshotData()];
      assert.ok(ds.black.imeis.length + ds.grey.imeis.length > 0);
      assert.deepEqual(snapshotRows(ps), snapshotRows(ds));
    } finally {
      await d.close();
      await p.close();
    }
  });

  test('ceir store copy moves everything DuckDB -> PostgreSQL -> DuckDB, verified', async () => {
    const target = await createTestDatabase('ceir_copy');
    if ('skip' in target) throw new Error(target.skip);
    try {
      const duck = join(root, 'duckdb');
      const back = join(root, 'duckdb-back');
      const pgEnv = { CEIR_PG_URL: target.url };
      const copy = async (data: string, from: string, to: string) => {
        const io = await ceirOut(
          data,
          pgEnv,
          'store',
          'copy',
          '--from',
          from,
          '--to',
          to,
          '--json',
        );
        return JSON.parse(io) as { tables: { table: string; rows: number; checksum: string }[] };
      };
      const there = await copy(duck, 'duckdb', 'postgres');
      const again = await copy(back, 'postgres', 'duckdb');
      const byTable = (r: typeof there) => new Map(r.tables.map((t) => [t.table, t]));
      for (const t of [
        'triplets',
        'network_imeis',
        'list_entries',
        'classification_state',
        'list_rows',
      ])
        assert.ok((byTable(there).get(t)?.rows ?? 0) > 0, `${t} was not copied`);
      // The store copied back holds the same rows as the original, table by table.
      for (const [t, v] of byTable(again)) assert.deepEqual(byTable(there).get(t), v, t);
      // A target that is not empty is refused.
      const saved = process.env.CEIR_PG_URL;
      process.env.CEIR_PG_URL = target.url;
      const io = captureIo();
      try {
        const code = await main(
          [
            'store',
            'copy',
            '--from',
            'duckdb',
            '--to',
            'postgres',
            '--data',
            duck,
            '--config',
            DEMO_CONFIG_PATH,
          ],
          io,
        );
        assert.notEqual(code, 0);
        assert.match(io.stderr.join('\n'), /not empty/);
      } finally {
        if (saved === undefined) delete process.env.CEIR_PG_URL;
        else process.env.CEIR_PG_URL = saved;
      }
    } finally {
      await target.drop();
    }
  });
}
