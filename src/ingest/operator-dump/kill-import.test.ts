/**
 * kill -9 in the middle of an operator-dump import: a child process imports a generated dump
 * into a copy of a seeded store and is killed at several points (while parsing, once spool
 * files exist, during the store's commit). The store must then be exactly as before (or, when
 * the kill came after the commit landed, exactly as after), and the same file must import.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOperatorDump } from './import-operator-dump.js';
import {
  alphaImsi,
  CONFIG,
  dumpCsv,
  imei14,
  imported,
  msisdn,
  openStore,
  snapshot,
  type Snapshot,
} from './test-fixtures.js';
// eslint-disable-next-line no-restricted-imports
import { generateDataset } from '../../apps/generate/generate-dataset.js';

const url = (rel: string) => new URL(rel, import.meta.url).href;

/**
 * The child: imports one file, reporting progress and the commit's start and end on stdout.
 * It can hold still (blocking its thread, so nothing moves on) at a point, so that the kill
 * lands exactly there however loaded the machine: `holdAtRows` once that many rows are read,
 * `holdBeforeCommit` with the spool files written, `holdAfterSql` inside the commit's
 * transaction once a statement starting so has run, `holdAfterCommit` once the commit returned.
 */
const CHILD = `
import { DuckDbStore } from ${JSON.stringify(url('../../store/duckdb/duckdb-store.js'))};
import { importOperatorDump } from ${JSON.stringify(url('./import-operator-dump.js'))};
import { DEMO_CONFIG_PATH, loadConfig } from ${JSON.stringify(url('../../config/loader.js'))};
const a = JSON.parse(process.argv[2]);
const say = (m) => process.stdout.write(m + '\\n');
const hold = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000);
const config = loadConfig(DEMO_CONFIG_PATH).value;
const store = await DuckDbStore.open({ dataDir: a.dataDir, memoryLimit: '256MB', threads: 1 });
const run = store.db.run.bind(store.db);
store.db.run = async (sql, params) => {
  const r = await run(sql, params);
  if (a.holdAfterSql && sql.trimStart().startsWith(a.holdAfterSql)) {
    say('held after ' + a.holdAfterSql);
    hold();
  }
  return r;
};
const commit = store.commitOperatorDump.bind(store);
store.commitOperatorDump = async (c) => {
  say('commit ' + c.tripletSpools.length);
  if (a.holdBeforeCommit) hold();
  const t = performance.now();
  await commit(c);
  say('committed ' + (performance.now() - t));
  if (a.holdAfterCommit) hold();
};
let last = 0;
const t0 = performance.now();
const o = await importOperatorDump(store, {
  file: a.file,
  config,
  gates: config.gates,
  spoolDir: a.spoolDir,
  ...(a.tableLog2 ? { tableLog2: a.tableLog2 } : {}),
  onProgress: (p) => {
    if (p.rows - last >= 20000) {
      last = p.rows;
      say('rows ' + p.rows);
      if (a.holdAtRows && p.rows >= a.holdAtRows) hold();
    }
  },
});
say('done ' + o.kind + ' ' + (performance.now() - t0));
await store.close();
`;

interface Env {
  readonly dir: string;
  readonly script: string;
  readonly file: string;
  readonly rows: number;
  readonly baseData: string;
  readonly before: Snapshot;
  /** The store after a complete import (reference run). */
  readonly after: Snapshot;
  readonly commitMs: number;
}

let env: Env | undefined;
let runs = 0;
/** The temp dir of this file's runs, removed afterwards even when setting up failed. */
let killDir: string | undefined;

interface ChildRun {
  readonly lines: string[];
  readonly killed: boolean;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs the child on a copy of the seeded store; `onLine` (and `poll`, every 2 ms) may return
 * true to SIGKILL it.
 */
function runChild(
  dataDir: string,
  spoolDir: string,
  o: {
    tableLog2?: number;
    holdAtRows?: number;
    holdBeforeCommit?: boolean;
    holdAfterSql?: string;
    holdAfterCommit?: boolean;
    onLine?: (l: string) => boolean;
    poll?: () => boolean;
  },
): Promise<ChildRun> {
  const e = env!;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        e.script,
        JSON.stringify({
          file: e.file,
          dataDir,
          spoolDir,
          tableLog2: o.tableLog2,
          holdAtRows: o.holdAtRows,
          holdBeforeCommit: o.holdBeforeCommit,
          holdAfterSql: o.holdAfterSql,
          holdAfterCommit: o.holdAfterCommit,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    let killed = false;
    let stderr = '';
    let buf = '';
    const kill = () => {
      if (killed || child.pid === undefined || child.exitCode !== null) return;
      killed = true;
      process.kill(child.pid, 'SIGKILL');
    };
    const timer = o.poll
      ? setInterval(() => {
          if (o.poll!()) kill();
        }, 2)
      : undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (o.onLine?.(line)) kill();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      resolve({ lines, killed, code, stderr });
    });
  });
}

function fresh(): { dataDir: string; spoolDir: string } {
  const e = env!;
  const n = ++runs;
  const dataDir = join(e.dir, `data-${n}`);
  const spoolDir = join(e.dir, `spool-${n}`);
  cpSync(e.baseData, dataDir, { recursive: true });
  mkdirSync(spoolDir);
  return { dataDir, spoolDir };
}

function spoolFiles(spoolDir: string): string[] {
  if (!existsSync(spoolDir)) return [];
  return readdirSync(spoolDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.csv'),
  );
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-kill-'));
  killDir = dir;
  const gen = await generateDataset({
    config: CONFIG,
    outDir: join(dir, 'gen'),
    rows: 300_000,
    seed: 3,
    startMonth: '2026-02',
    months: 1,
    operators: ['alpha'],
    compression: 'plain',
  });
  const dump = gen.files.find((f) => f.kind === 'operator_dump')!;
  const script = join(dir, 'child.mjs');
  writeFileSync(script, CHILD);
  // The seeded store: one earlier import, so "as before" is not just "empty".
  const baseData = join(dir, 'base');
  const store = await openStore(baseData);
  const seedFile = join(dir, 'alpha_20260101_20260131.csv');
  writeFileSync(
    seedFile,
    dumpCsv([
      ['20260105', imei14(1), alphaImsi(1), msisdn(1), '006'],
      ['20260106', imei14(2), alphaImsi(2), msisdn(2), '002'],
    ]),
  );
  imported(
    await importOperatorDump(store, {
      file: seedFile,
      config: CONFIG,
      gates: CONFIG.gates,
      spoolDir: join(dir, 'seed-spool'),
    }),
  );
  const beforeSnap = await snapshot(store);
  await store.close();
  env = {
    dir,
    script,
    file: dump.path,
    rows: dump.rows,
    baseData,
    before: beforeSnap,
    after: beforeSnap,
    commitMs: 0,
  };
  // Reference run, to the end: the state after, and how long the commit takes.
  const ref = fresh();
  const r = await runChild(ref.dataDir, ref.spoolDir, {});
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    r.lines.some((l) => l.startsWith('done imported')),
    r.lines.join('\n'),
  );
  const committed = r.lines.find((l) => l.startsWith('committed '));
  assert.ok(committed);
  const s = await openStore(ref.dataDir);
  env = { ...env, after: await snapshot(s), commitMs: Number(committed.split(' ')[1]) };
  await s.close();
  assert.equal(env.after.counts.imports, env.before.counts.imports + 1);
  assert.ok(env.after.counts.triplets > env.before.counts.triplets + 10_000);
});

after(() => {
  if (killDir) rmSync(killDir, { recursive: true, force: true });
});

/** The killed store is exactly as before (or as after); then the file imports again. */
async function checkAndReimport(dataDir: string, spoolDir: string, allowAfter: boolean) {
  const e = env!;
  const store = await openStore(dataDir);
  try {
    const s = await snapshot(store);
    const asAfter =
      JSON.stringify(s.counts) === JSON.stringify(e.after.counts) &&
      s.imports.length === e.after.imports.length &&
      s.imports[0]?.sha256 === e.after.imports[0]?.sha256;
    if (!(allowAfter && asAfter))
      assert.deepEqual(s, e.before, 'the store is as before the import');
    const o = await importOperatorDump(store, {
      file: e.file,
      config: CONFIG,
      gates: CONFIG.gates,
      spoolDir,
    });
    if (asAfter) assert.equal(o.kind, 'duplicate');
    else imported(o);
    const counts = await store.counts();
    assert.deepEqual(counts, e.after.counts, 'the same store as after an uninterrupted import');
    return asAfter ? 'after' : 'before';
  } finally {
    await store.close();
  }
}

const show = (r: ChildRun) => `${r.lines.join('\n')}\n${r.stderr}`;

test('kill -9 while parsing: the store is unchanged and the file imports again', async () => {
  const { dataDir, spoolDir } = fresh();
  const at = Math.floor(env!.rows * 0.4);
  const r = await runChild(dataDir, spoolDir, {
    holdAtRows: at,
    onLine: (l) => l.startsWith('rows ') && Number(l.slice(5)) >= at,
  });
  assert.ok(r.killed, show(r));
  assert.ok(!r.lines.some((l) => l.startsWith('commit')), 'killed before the commit');
  await checkAndReimport(dataDir, spoolDir, false);
});

test('kill -9 once spool files exist (small table), before the commit: unchanged', async () => {
  const { dataDir, spoolDir } = fresh();
  const r = await runChild(dataDir, spoolDir, {
    tableLog2: 8,
    holdBeforeCommit: true,
    poll: () => spoolFiles(spoolDir).length > 0,
  });
  assert.ok(r.killed, show(r));
  assert.ok(!r.lines.some((l) => l.startsWith('committed')), 'killed before the commit');
  assert.ok(spoolFiles(spoolDir).length > 0);
  await checkAndReimport(dataDir, spoolDir, false);
});

// Inside the commit's transaction, at statements that write: the triplets, the per-IMEI
// summary, the import record (the last statement before COMMIT).
for (const sql of ['INSERT INTO triplets', 'INSERT INTO network_imeis', 'INSERT INTO imports'])
  test(`kill -9 inside the commit's transaction, after ${sql}: unchanged`, async () => {
    const { dataDir, spoolDir } = fresh();
    const r = await runChild(dataDir, spoolDir, {
      holdAfterSql: sql,
      onLine: (l) => l === `held after ${sql}`,
    });
    assert.ok(r.killed, show(r));
    assert.ok(!r.lines.some((l) => l.startsWith('committed')), show(r));
    await checkAndReimport(dataDir, spoolDir, false);
  });

// Timed from the commit's start, the kill lands wherever it lands: all before or all after.
test("kill -9 half way into the store's commit (timed): all or nothing", async (t) => {
  const { dataDir, spoolDir } = fresh();
  const delay = env!.commitMs * 0.5;
  let commitSeen = 0;
  const r = await runChild(dataDir, spoolDir, {
    onLine: (l) => {
      if (l.startsWith('commit ')) commitSeen = performance.now();
      return false;
    },
    poll: () => commitSeen > 0 && performance.now() - commitSeen >= delay,
  });
  assert.ok(
    r.lines.some((l) => l.startsWith('commit ')),
    show(r),
  );
  const state = await checkAndReimport(dataDir, spoolDir, true);
  t.diagnostic(
    `commit took ${env!.commitMs.toFixed(0)} ms in the reference run; kill sent ` +
      `${delay.toFixed(0)} ms in (${r.killed ? 'killed' : 'had exited'}); store as ${state}`,
  );
});

test('kill -9 just after the commit returned: the import is durable', async () => {
  const { dataDir, spoolDir } = fresh();
  const r = await runChild(dataDir, spoolDir, {
    holdAfterCommit: true,
    onLine: (l) => l.startsWith('committed '),
  });
  assert.ok(r.killed, show(r));
  assert.ok(!r.lines.some((l) => l.startsWith('done')), 'killed before the import returned');
  const store = await openStore(dataDir);
  try {
    const s = await snapshot(store);
    assert.deepEqual(s.counts, env!.after.counts);
    assert.equal(s.imports.length, env!.after.imports.length);
    assert.equal(s.imports[0]?.sha256, env!.after.imports[0]?.sha256);
    const o = await importOperatorDump(store, {
      file: env!.file,
      config: CONFIG,
      gates: CONFIG.gates,
      spoolDir,
    });
    assert.equal(o.kind, 'duplicate');
  } finally {
    await store.close();
  }
});
