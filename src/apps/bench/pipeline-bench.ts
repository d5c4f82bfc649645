/**
 * `npm run bench:pipeline [-- --rows 10000000 --keep --store postgres]`: generates a national
 * dataset (three operators, one month), imports it, then measures in fresh processes:
 * classification, list generation (full lists), and a second classification and list generation
 * a day later (full and delta lists). Prints a Markdown table with wall time and peak RSS per
 * step. `--store postgres` runs the same input through DuckDB and then PostgreSQL (a fresh
 * database on CEIR_TEST_PG_URL's server, default postgres://postgres@127.0.0.1:5432), so the
 * figures of both stores come from the same run.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../../store/postgres/test-database.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    work: { type: 'string', default: join(tmpdir(), 'ceir-bench-pipeline') },
    keep: { type: 'boolean', default: false },
    store: { type: 'string', default: 'duckdb' },
  },
});
const rows = Number(values.rows);
const dir = join(values.work, String(rows));
if (!['duckdb', 'postgres'].includes(values.store))
  throw new Error(`--store duckdb|postgres, got ${values.store}`);
let data = join(dir, 'data');
let env: NodeJS.ProcessEnv = { ...process.env, CEIR_STORE: 'duckdb' };
const input = join(dir, 'in');
const measured = fileURLToPath(new URL('./measured-cli.js', import.meta.url));

interface Step {
  code: number;
  ms: number;
  maxRssMb: number;
  output: string;
}

function step(args: string[]): Step {
  const out = execFileSync(process.execPath, [measured, ...args, '--data', data], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Step;
  if (r.code !== 0) throw new Error(`ceir ${args.join(' ')} exited ${r.code}: ${r.output}`);
  return r;
}

rmSync(dir, { recursive: true, force: true });
const lines: string[] = [];
let store = 'duckdb';
const row = (name: string, s: Step) => {
  const l = `| ${store} | ${rows.toLocaleString('en-US')} | ${name} | ${(s.ms / 1000).toFixed(2)} | ${s.maxRssMb.toFixed(0)} |`;
  lines.push(l);
  console.log(l);
};
console.log('| store | rows | step | wall s | peak RSS MB |\n|---|---:|---|---:|---:|');
row(
  'generate',
  step(['generate', '--out', input, '--rows', String(rows), '--months', '1', '--seed', '11']),
);
/** Imports, classifies and lists the generated input on the current store. */
function pipeline(): void {
  step(['import', 'gsma_tac', join(input, 'gsma_tac_db.txt')]);
  step(['import', 'stolen', join(input, 'stolen_list.csv')]);
  step(['import', 'pairing', join(input, 'pairing_list.csv')]);
  step(['import', 'golden', join(input, 'golden_list.csv')]);
  let ingestMs = 0;
  for (const op of ['alpha', 'beta', 'gamma']) {
    const s = step(['import', 'operator', join(input, `${op}_20260101_20260131.csv`)]);
    ingestMs += s.ms;
    row(`import ${op}`, s);
  }
  console.log(
    `| ${store} | ${rows.toLocaleString('en-US')} | ingest total: ${Math.round(rows / (ingestMs / 1000)).toLocaleString('en-US')} rows/s | ${(ingestMs / 1000).toFixed(2)} | |`,
  );
  row('classify (as of 2026-01-31)', step(['classify', '--as-of', '2026-01-31']));
  row('listgen full', step(['listgen', '--as-of', '2026-01-31', '--out', join(data, 'lists1')]));
  row('classify (as of 2026-02-01)', step(['classify', '--as-of', '2026-02-01']));
  row(
    'listgen full + delta',
    step(['listgen', '--as-of', '2026-02-01', '--out', join(data, 'lists2')]),
  );
}

pipeline();
if (values.store === 'postgres') {
  const db = await createTestDatabase('ceir_bench');
  if ('skip' in db) throw new Error(db.skip);
  try {
    store = 'postgres';
    data = join(dir, 'data-pg');
    env = { ...process.env, CEIR_STORE: 'postgres', CEIR_PG_URL: db.url };
    pipeline();
  } finally {
    if (!values.keep) await db.drop();
  }
}
console.log(
  `\nMachine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
