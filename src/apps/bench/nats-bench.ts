/**
 * `npm run bench:nats [-- --sizes 1000000,10000000 --reps 3 --nats nats://127.0.0.1:4222]`:
 * how fast a published snapshot reaches three check servers (issue #7: "a change published to
 * three check servers visible on all within 1 s"). For each size, a synthetic snapshot of that
 * many listed IMEIs is published (version 1, full) to a fresh stream and object store; three
 * `ceir serve --follow` processes (one worker each) start from it; then
 * - a small delta (10 IMEIs newly black) is published `--reps` times, and
 * - a large change (a quarter of the entries; the delta is over a message, so a full snapshot)
 *   is published once,
 * and the time is taken from the start of the publish call until all three servers report the
 * new version on /health (their workers have swapped it in), split into the publisher's part
 * (diff, check, upload) and the propagation after it. Each server then answers a changed IMEI
 * over N5g-eir. Prints a Markdown table; deletes the stream, the bucket and its work folder.
 * `--settle-ms N` waits N ms before each publish: by default the versions follow each other as
 * fast as the servers take them, so each publish meets the previous version's background work on
 * the servers (the snapshot file written, the people API's check data reloaded).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { luhnCheckDigit } from '../../core/ids/index.js';
import { TAC_BITMAP_BYTES, type EirSnapshotData } from '../../core/ports/snapshot-source.js';
import type { DigestedSnapshot } from '../../eir/snapshot-delta.js';
import { snapshotFromData } from '../../eir/snapshot-format.js';
import { publishSnapshot, type PublishResult } from '../../eir/snapshot-publisher.js';
import { NatsSnapshotChannel } from '../server/nats-snapshot-channel.js';
import { emptySnapshotData } from '../server/serve.js';
import { startServeProcess, type ServeProcess } from '../server/serve-process.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    reps: { type: 'string', default: '3' },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
    // Quiet time before each publish (after the next snapshot is built), so that the servers
    // have finished with the previous version (file write, API reload) as between list runs.
    'settle-ms': { type: 'string', default: '0' },
  },
});
const BASE_KEY = 35_000_000_000_000;
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** `n` listed IMEIs: 90% black, 10% pending, 1% with a pairing; `extra` more black ones. */
function lists(n: number, listRun: number, changed = 0, extra = 0): EirSnapshotData {
  const nb = Math.floor(n * 0.9);
  const black = new Float64Array(nb + extra);
  const grey = new Float64Array(n - nb);
  for (let i = 0; i < nb; i++) black[i] = BASE_KEY + i * 7;
  for (let i = 0; i < extra; i++) black[nb + i] = BASE_KEY + 1 + i * 7;
  for (let i = 0; i < grey.length; i++) grey[i] = BASE_KEY + (nb + i) * 7;
  const blackReasons = new Uint16Array(black.length).fill(1);
  // A changed entry moves to another reason set.
  for (let i = 0; i < Math.min(changed, nb); i++) blackReasons[i] = 2;
  const np = Math.floor(n / 100);
  const tacBitmap = new Uint8Array(TAC_BITMAP_BYTES);
  tacBitmap.fill(0xff, 4_375_000, 4_375_100);
  return {
    listRun,
    asOf: '2026-03-31',
    reasonSets: [[], ['Reported stolen'], ['Duplicated IMEI', 'Reported stolen']],
    black: { imeis: black, reasonSets: blackReasons },
    grey: { imeis: grey, reasonSets: new Uint16Array(grey.length).fill(1) },
    exceptions: {
      imeis: black.slice(0, np),
      imsis: Float64Array.from({ length: np }, (_, i) => 1_001_010_000_000_000 + i),
    },
    golden: new Float64Array(0),
    tacBitmap,
    tacCount: 800,
    malformed: [],
  };
}

type Server = ServeProcess;

function startServer(dir: string, config: string, url: string): Promise<Server> {
  return startServeProcess(
    [
      ...['--follow', url, '--data', dir, '--config', config, '--workers', '1'],
      ...['--s13-port', '0', '--n5g-port', '0', '--http-port', '0'],
    ],
    {
      timeoutMs: 120_000,
      onSpawn: (child) => {
        children.add(child);
        child.once('exit', () => children.delete(child));
      },
    },
  );
}

async function served(s: Server): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${s.ports.http}/health`).catch(() => null);
  if (!r) return '';
  const h = (await r.json()) as { snapshot?: { version: string }; versions?: object };
  // One version in every worker.
  return h.versions && Object.keys(h.versions).length === 1 ? (h.snapshot?.version ?? '') : '';
}

/** Waits until every server serves `id`; milliseconds from `t0`. */
async function allServe(servers: Server[], id: string, t0: number): Promise<number> {
  const end = Date.now() + 600_000;
  for (;;) {
    const v = await Promise.all(servers.map(served));
    if (v.every((x) => x === id)) return performance.now() - t0;
    if (Date.now() > end) throw new Error(`servers did not reach ${id}: ${v.join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function n5gStatus(port: number, key: number): Promise<string> {
  const k = String(key);
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise((resolve, reject) => {
      const req = client.request({
        ':path': `/n5g-eir-eic/v1/equipment-status?pei=imei-${k}${luhnCheckDigit(k)}`,
      });
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => resolve((JSON.parse(body) as { status: string }).status));
      req.on('error', reject);
      req.end();
    });
  } finally {
    client.close();
  }
}

interface Row {
  size: number;
  change: string;
  kind: string;
  publishMs: number;
  propagateMs: number;
  totalMs: number;
}

async function benchSize(n: number, reps: number, rows: Row[]): Promise<void> {
  const tag = randomBytes(4).toString('hex');
  const work = mkdtempSync(join(tmpdir(), 'ceir-bench-nats-'));
  const stream = `CEIR_BENCH_${tag}`;
  const bucket = `ceir-bench-${tag}`;
  const config = join(work, 'ceir.yaml');
  writeFileSync(
    config,
    `country: { name: Benchland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
server: { snapshot_stream: ${stream}, snapshot_bucket: ${bucket}, snapshot_full_every: 1000 }
`,
  );
  const channel = await NatsSnapshotChannel.open({ url: values.nats, stream, bucket });
  const servers: Server[] = [];
  const empty = snapshotFromData(emptySnapshotData());
  let base: { version: number; current: DigestedSnapshot } | undefined;
  const publish = async (data: EirSnapshotData): Promise<[PublishResult, number]> => {
    const next = snapshotFromData(data);
    await new Promise((r) => setTimeout(r, Number(values['settle-ms'])));
    const t0 = performance.now();
    const r = await publishSnapshot({
      channel,
      next,
      empty,
      fullEvery: 1000,
      keepFull: 2,
      ...(base ? { base } : {}),
      log: (l) => process.stderr.write(`${l}\n`),
    });
    base = r.published;
    return [r, t0];
  };
  try {
    const [first, t0] = await publish(lists(n, 1));
    const startT = performance.now();
    for (const name of ['a', 'b', 'c'])
      servers.push(await startServer(join(work, name), config, values.nats));
    await allServe(servers, first.snapshotId, startT);
    process.stderr.write(
      `${n}: version 1 (full, ${first.fullBytes} bytes) published in ${(performance.now() - t0).toFixed(0)} ms; 3 servers up\n`,
    );
    const row = (change: string, r: PublishResult, total: number): Row => {
      process.stderr.write(
        `${n}: ${change} as ${r.kind}: publish ${(r.seconds * 1000).toFixed(0)} ms, all 3 serve it after ${total.toFixed(0)} ms\n`,
      );
      return {
        size: n,
        change,
        kind: r.kind,
        publishMs: r.seconds * 1000,
        propagateMs: total - r.seconds * 1000,
        totalMs: total,
      };
    };
    for (let i = 0; i < reps; i++) {
      const extra = 10 * (i + 1);
      const [r, t] = await publish(lists(n, 2 + i, 0, extra));
      const total = await allServe(servers, r.snapshotId, t);
      rows.push(row(`${r.changes} IMEIs`, r, total));
      const changedKey = BASE_KEY + 1 + (extra - 1) * 7;
      for (const s of servers)
        if ((await n5gStatus(s.ports.n5g, changedKey)) !== 'BLACKLISTED')
          throw new Error(`server does not answer ${changedKey} BLACKLISTED`);
    }
    const [r, t] = await publish(lists(n, 10, Math.floor(n / 4), 10 * reps));
    rows.push(row(`${r.changes} IMEIs`, r, await allServe(servers, r.snapshotId, t)));
  } finally {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise((res) => {
            s.child.once('exit', res);
            s.child.kill('SIGTERM');
          }),
      ),
    );
    await channel.destroy();
    await channel.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const n of values.sizes.split(',').map(Number)) await benchSize(n, Number(values.reps), rows);
const ms = (x: number) => x.toFixed(0);
console.log(`\nMachine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}\n`);
console.log(
  '| listed IMEIs | change | published as | publish (ms) | until 3 servers serve it (ms) | total (ms) |',
);
console.log('|---:|---|---|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.size.toLocaleString('en-US')} | ${r.change} | ${r.kind} | ${ms(r.publishMs)} | ${ms(r.propagateMs)} | ${ms(r.totalMs)} |`,
  );
