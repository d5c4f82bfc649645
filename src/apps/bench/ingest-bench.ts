/**
 * `npm run bench:ingest [-- --sizes 1000000,10000000,100000000 --compressions plain,gzip,zip]`:
 * generates one operator's one-month dump per size and compression, imports each in a fresh
 * process into a fresh store, and prints rows/s, MB/s, wall time and peak RSS as a Markdown table
 * (also written to bench/out/). Figures go to bench/RESULTS.md by hand, with machine and date.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG_PATH, loadConfig } from '../../config/loader.js';
import { generateDataset } from '../generate/generate-dataset.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    compressions: { type: 'string', default: 'plain,gzip,zip' },
    work: { type: 'string', default: join(tmpdir(), 'ceir-bench') },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const compressions = values.compressions.split(',') as ('plain' | 'gzip' | 'zip')[];
const cfg = loadConfig(DEMO_CONFIG_PATH);
if (cfg.kind !== 'ok') throw new Error('demo config invalid');
const child = fileURLToPath(new URL('./ingest-child.js', import.meta.url));

const rows: string[] = [];
const header =
  '| rows | input | file MB | wall s | rows/s | MB/s (file) | peak RSS MB | triplets |\n|---:|---|---:|---:|---:|---:|---:|---:|';
console.log(header);
for (const size of sizes) {
  for (const compression of compressions) {
    const dir = join(values.work, `${size}-${compression}`);
    rmSync(dir, { recursive: true, force: true });
    const gen = await generateDataset({
      config: cfg.value,
      outDir: join(dir, 'in'),
      rows: size,
      seed: 7,
      startMonth: '2026-01',
      months: 1,
      operators: ['alpha'],
      compression,
    });
    const dump = gen.files.find((f) => f.kind === 'operator_dump')!;
    const mb = statSync(dump.path).size / 1e6;
    const out = execFileSync(process.execPath, [child, dump.path, join(dir, 'store')], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      kind: string;
      rows: number;
      ms: number;
      maxRssMb: number;
      triplets: number;
      error?: string;
    };
    if (r.kind !== 'imported') throw new Error(`import ${r.kind}: ${r.error ?? ''}`);
    const s = r.ms / 1000;
    const line = `| ${r.rows.toLocaleString('en-US')} | ${compression} | ${mb.toFixed(0)} | ${s.toFixed(2)} | ${Math.round(r.rows / s).toLocaleString('en-US')} | ${(mb / s).toFixed(0)} | ${r.maxRssMb.toFixed(0)} | ${r.triplets.toLocaleString('en-US')} |`;
    console.log(line);
    rows.push(line);
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
const machine = `${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
mkdirSync('bench/out', { recursive: true });
const report = `# bench:ingest ${new Date().toISOString()}\n\nMachine: ${machine}\n\n${header}\n${rows.join('\n')}\n`;
writeFileSync(join('bench/out', `ingest-${Date.now()}.md`), report);
console.log(`\nMachine: ${machine}`);
