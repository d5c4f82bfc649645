/**
 * One measured import in a fresh process (so peak RSS belongs to this import alone):
 * `node dist/apps/bench/ingest-child.js <dump> <dataDir>`; prints one JSON line.
 */
import { DEMO_CONFIG_PATH, loadConfig } from '../../config/loader.js';
import { importOperatorDump } from '../../ingest/operator-dump/import-operator-dump.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) throw new Error('usage: ingest-child <dump> <dataDir>');
const cfg = loadConfig(DEMO_CONFIG_PATH);
if (cfg.kind !== 'ok') throw new Error('demo config invalid');
const store = await DuckDbStore.open({
  dataDir,
  memoryLimit: cfg.value.store.memory_limit,
  threads: cfg.value.store.threads,
});
await store.migrate();
const t0 = performance.now();
const r = await importOperatorDump(store, {
  file,
  config: cfg.value,
  gates: cfg.value.gates,
  spoolDir: `${dataDir}/tmp/spool`,
  ...(process.env.CEIR_PARSE_WORKERS ? { workers: Number(process.env.CEIR_PARSE_WORKERS) } : {}),
});
const ms = performance.now() - t0;
const counts = await store.counts();
await store.close();
process.stdout.write(
  `${JSON.stringify({
    kind: r.kind,
    rows: r.kind === 'imported' ? r.record.rows : 0,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    triplets: counts.triplets,
    phases: r.kind === 'imported' ? r.counts : undefined,
    error: r.kind === 'rejected' ? r.error.message : undefined,
  })}\n`,
);
