/**
 * `npm run bench:pipeline [-- --rows 10000000 --keep]`: generates a national dataset (three
 * operators, one month), imports it, then measures in fresh processes: classification, list
 * generation (full lists), and a second classification and list generation a day later (full
 * and delta lists). Prints a Markdown table with wall time and peak RSS per step.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    work: { type: 'string', default: join(tmpdir(), 'ceir-bench-pipeline') },
    keep: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const dir = join(values.work, String(rows));
const data = join(dir, 'data');
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
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Step;
  if (r.code !== 0) throw new Error(`ceir ${args.join(' ')} exited ${r.code}: ${r.output}`);
  return r;
}

rmSync(dir, { recursive: true, force: true });
const lines: string[] = [];
const row = (name: string, s: Step) => {
  const l = `| ${rows.toLocaleString('en-US')} | ${name} | ${(s.ms / 1000).toFixed(2)} | ${s.maxRssMb.toFixed(0)} |`;
  lines.push(l);
  console.log(l);
};
console.log('| rows | step | wall s | peak RSS MB |\n|---:|---|---:|---:|');
row(
  'generate',
  step(['generate', '--out', input, '--rows', String(rows), '--months', '1', '--seed', '11']),
);
const gen = step(['import', 'gsma_tac', join(input, 'gsma_tac_db.txt')]);
step(['import', 'stolen', join(input, 'stolen_list.csv')]);
step(['import', 'pairing', join(input, 'pairing_list.csv')]);
step(['import', 'golden', join(input, 'golden_list.csv')]);
void gen;
for (const op of ['alpha', 'beta', 'gamma'])
  row(`import ${op}`, step(['import', 'operator', join(input, `${op}_20260101_20260131.csv`)]));
row('classify (as of 2026-01-31)', step(['classify', '--as-of', '2026-01-31']));
row('listgen full', step(['listgen', '--as-of', '2026-01-31', '--out', join(dir, 'lists1')]));
row('classify (as of 2026-02-01)', step(['classify', '--as-of', '2026-02-01']));
row(
  'listgen full + delta',
  step(['listgen', '--as-of', '2026-02-01', '--out', join(dir, 'lists2')]),
);
console.log(
  `\nMachine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
