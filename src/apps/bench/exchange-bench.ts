/**
 * `npm run bench:exchange [-- --records 1000000 --keep]` (issue #9 figure: pull and apply a
 * delta of 1,000,000 records in under 10 s). In a work folder: publisher XA with its key and a
 * feed of `records + 1` versions (written by SQL), served by `ceir exchange serve` as a child
 * process on loopback; subscriber XB, in this process, already at sequence 1, pulls the delta of
 * the next `records` versions as ONE signed batch and applies it, timed by step: fetch (the
 * publisher reads, encodes and signs; transfer), accept (SHA-256, signature, JSON parse and
 * every check), apply (spool, one DuckDB transaction with the cursor). Prints a Markdown table.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { acceptFeedBatch } from '../../exchange/feed-batch.js';
import { httpExchange } from '../../exchange/http-client.js';
import { feedUrl } from '../../exchange/pull.js';
import { keyId, loadPublicKey, verifyManifestSignature } from '../../listgen/index.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { DuckDbExchangeStore } from '../../store/duckdb/exchange.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    work: { type: 'string', default: join(tmpdir(), 'ceir-bench-exchange') },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.records);
const CEIR = fileURLToPath(new URL('../../../bin/ceir.js', import.meta.url));
const work = values.work;
rmSync(work, { recursive: true, force: true });
const dirA = join(work, 'xa');
const dirB = join(work, 'xb');
mkdirSync(dirA, { recursive: true });
mkdirSync(dirB, { recursive: true });
const configA = join(work, 'xa.yaml');
writeFileSync(
  configA,
  `country: { name: Aland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
exchange: { country: XA, port: 0, page_size: ${Math.max(N, 1)} }
`,
);
execFileSync(process.execPath, [CEIR, 'keys', 'generate', '--data', dirA, '--config', configA]);

const t = () => performance.now();
const store = { memoryLimit: '4GB', threads: 2 };
const a = await DuckDbStore.open({ dataDir: dirA, ...store });
await a.migrate();
let t0 = t();
await a.db.run(`INSERT INTO exchange_feed
  SELECT range + 1, 'XA-stolen-' || lpad((35000000000000 + range)::VARCHAR, 14, '0'),
         35000000000000 + range, 'stolen', DATE '2026-01-01' + (range % 300)::INTEGER,
         CASE WHEN range % 10 = 9 THEN 'removed' ELSE 'active' END, 'XA', now()
    FROM range(0, ${N + 1})`);
const setup = t() - t0;
await a.close();

const server = spawn(
  process.execPath,
  [CEIR, 'exchange', 'serve', '--data', dirA, '--config', configA],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  server.stdout!.on('data', (d: Buffer) => {
    const m = /listening on (http:\/\/\S+)/.exec(d.toString());
    if (m) resolve(m[1]!);
  });
  server.on('exit', (c) => reject(new Error(`ceir exchange serve exited ${c}`)));
});

try {
  const key = loadPublicKey(join(dirA, 'keys', 'lists-ed25519.pub.pem'));
  if (key.kind !== 'ok') throw new Error(key.message);
  const verifier = {
    keyId: keyId(key.value),
    verify: (d: Buffer, s: Buffer) => verifyManifestSignature(d, s, key.value),
  };
  const b = await DuckDbStore.open({ dataDir: dirB, ...store });
  await b.migrate();
  const x = new DuckDbExchangeStore(b.db);
  const peer = { peer: 'xa', country: 'XA', trust: 'block' as const };
  await x.syncPeers([peer]);
  await b.db.run("UPDATE exchange_peers SET last_seq = 1 WHERE peer = 'xa'");

  const load = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const start = t();
  t0 = t();
  const got = await httpExchange('GET', feedUrl(url, 1, N), undefined, 600_000);
  if (got.kind !== 'ok') throw new Error(got.message);
  const fetchMs = t() - t0;
  t0 = t();
  const batch = acceptFeedBatch(got.value, { country: 'XA', verifier, cursor: 1 }, 'bench');
  if (batch.kind !== 'ok') throw new Error(batch.message);
  const acceptMs = t() - t0;
  t0 = t();
  const written = await x.applyBatch(peer, batch.value, new Date());
  const applyMs = t() - t0;
  const total = t() - start;
  const cpu = process.cpuUsage(cpu0);
  const state = (await x.peerStates())[0]!;
  await b.close();
  if (written !== N || state.lastSeq !== N + 1)
    throw new Error(`applied ${written} (cursor ${state.lastSeq}), expected ${N} (${N + 1})`);
  const mb = got.value.length / 1e6;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `publisher feed of ${N + 1} versions written in ${s(setup)}; batch ${mb.toFixed(0)} MB\n`,
  );
  console.log('| step | time |\n| --- | ---: |');
  console.log(`| fetch (publisher reads, encodes, signs; loopback transfer) | ${s(fetchMs)} |`);
  console.log(`| accept (SHA-256, Ed25519, parse and check every record) | ${s(acceptMs)} |`);
  console.log(`| apply (spool, one transaction with the cursor) | ${s(applyMs)} |`);
  console.log(`| **pull and apply ${N.toLocaleString('en')} records** | **${s(total)}** |`);
  console.log(
    `\nsubscriber CPU (user + system) during the pull: ${s((cpu.user + cpu.system) / 1000)}; load average at start ${load.toFixed(1)} on ${cpus().length} CPUs`,
  );
  console.log(
    `${Math.round(N / (total / 1000)).toLocaleString('en')} records/s; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (subscriber)`,
  );
} finally {
  server.kill('SIGTERM');
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
