/**
 * Issue #7 item 4: three check servers (`ceir serve --follow nats://...`, separate processes)
 * follow the snapshots published to NATS JetStream. A change published with `ceir snapshot
 * publish` after listgen is answered by all three; one server is killed while versions are being
 * published, restarted, and converges on the same version and the same answers as the others.
 * Needs NATS JetStream on 127.0.0.1:4222 (fails when CI=true, else skipped without it).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/ids/index.js';
import { snapshotFromData } from '../../eir/snapshot-format.js';
import { publishSnapshot } from '../../eir/snapshot-publisher.js';
import { testData } from '../../eir/test-data.js';
import { main } from '../cli/main.js';
import {
  captureIo,
  RELAXED_GATES_YAML,
  STOLEN_CONDITION_YAML,
  TESTLAND_YAML,
} from '../../testing/cli-test-kit.js';
import { NatsSnapshotChannel } from './nats-snapshot-channel.js';
import { emptySnapshotData } from './serve.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';

const NATS = 'nats://127.0.0.1:4222';
const root = mkdtempSync(join(tmpdir(), 'ceir-nats-'));
const tag = randomBytes(4).toString('hex');
const STREAM = `CEIR_TEST_${tag}`;
const BUCKET = `ceir-test-${tag}`;
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
  const ch = await NatsSnapshotChannel.open({ url: NATS, stream: STREAM, bucket: BUCKET }).catch(
    () => null,
  );
  await ch?.destroy();
  await ch?.close();
});

const natsUp = await new Promise<boolean>((resolve) => {
  const s = connect(4222, '127.0.0.1');
  s.once('connect', () => (s.destroy(), resolve(true)));
  s.once('error', () => resolve(false));
});
const skip =
  !natsUp && process.env.CI !== 'true'
    ? 'NATS JetStream is not running on 127.0.0.1:4222 (start it with `nats-server -js`)'
    : false;

const imei = (snr: number) => `35000000${String(snr).padStart(6, '0')}`;
const full = (key: string) => `${key}${luhnCheckDigit(key)}`;
const A = (n: number) => `00101${String(n).padStart(10, '0')}`;
const M = (n: number) => `999${String(n).padStart(8, '0')}`;

const CONFIG = `${TESTLAND_YAML}${RELAXED_GATES_YAML}conditions:
${STOLEN_CONDITION_YAML}server:
  snapshot_source: ${NATS}
  snapshot_stream: ${STREAM}
  snapshot_bucket: ${BUCKET}
  snapshot_full_every: 3
`;
const configPath = join(root, 'ceir.yaml');
const pubData = join(root, 'publisher');
let files = 0;

async function ceir(args: string[]): Promise<string> {
  const io = captureIo();
  const code = await main([...args, '--data', pubData, '--config', configPath], io);
  assert.equal(code, 0, `ceir ${args.join(' ')}: ${[...io.stdout, ...io.stderr].join('\n')}`);
  return io.stdout.join('\n');
}

async function file(name: string, lines: string[]): Promise<string> {
  const d = join(root, `in-${files++}`);
  mkdirSync(d);
  writeFileSync(join(d, name), lines.join('\n') + '\n');
  return join(d, name);
}

type Server = ServeProcess;

function startServer(name: string): Promise<Server> {
  const data = join(root, name);
  return startServeProcess(
    [
      ...['--follow', NATS, '--data', data, '--config', configPath, '--workers', '1'],
      ...['--s13-port', '0', '--n5g-port', '0', '--http-port', '0'],
    ],
    { name, onSpawn: (c) => children.push(c) },
  );
}

/** The N5g-eir status of an IMEI (or the HTTP status when not 200). */
async function status(port: number, key: string): Promise<string> {
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise((resolve, reject) => {
      const req = client.request({
        ':path': `/n5g-eir-eic/v1/equipment-status?pei=imei-${full(key)}`,
      });
      let code = 0;
      let body = '';
      req.on('response', (h) => (code = Number(h[':status'])));
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () =>
        resolve(code === 200 ? (JSON.parse(body) as { status: string }).status : String(code)),
      );
      req.on('error', reject);
      req.end();
    });
  } finally {
    client.close();
  }
}

interface Health {
  snapshot: { version: string };
  follow: { version: number; deltasApplied: number; fullLoads: number };
}
async function health(s: Server): Promise<Health> {
  const r = await fetch(`http://127.0.0.1:${s.ports.http}/health`);
  return (await r.json()) as Health;
}

/** Polls until `ok` holds (generous: the machine may be busy); returns the last value. */
async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const end = Date.now() + 90_000;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const S = imei(11);
const S2 = imei(22);
const O = imei(33);
/** IMEIs blacklisted by the versions published mid-stream. */
const LATER = [41, 42, 43, 44, 45, 46].map(imei);
const PROBES = [S, S2, O, ...LATER];

test(
  'three followers take a published change; a killed one catches up',
  { skip, timeout: 300_000 },
  async () => {
    assert.ok(natsUp, 'CI=true needs NATS JetStream on 127.0.0.1:4222 (nats-server -js)');
    writeFileSync(configPath, CONFIG);
    await ceir([
      'import',
      'operator',
      await file('alpha_20260301_20260310.csv', [
        'date,imei,imsi,msisdn,rat',
        `20260305,${full(S)},${A(1)},${M(1)},006`,
        `20260305,${full(S2)},${A(2)},${M(2)},006`,
        `20260306,${full(O)},${A(3)},${M(3)},006`,
      ]),
    ]);
    const stolen = 'imei,reporting_date,status';
    await ceir([
      'import',
      'stolen',
      await file('stolen.csv', [stolen, `${full(S)},20260301,blacklist`]),
    ]);
    await ceir(['classify', '--as-of', '2026-03-10']);
    await ceir(['listgen', '--as-of', '2026-03-10', '--out', join(root, 'l1')]);
    assert.match(await ceir(['snapshot', 'publish']), /Published version 1 .*: full/);

    const servers = await Promise.all(['a', 'b', 'c'].map(startServer));
    for (const s of servers) {
      assert.equal(await status(s.ports.n5g, S), 'BLACKLISTED');
      assert.equal(await status(s.ports.n5g, S2), 'WHITELISTED');
      assert.equal((await health(s)).follow.version, 1);
    }

    // A change: S2 reported stolen, published as a delta; every server answers it.
    await ceir([
      'import',
      'stolen',
      await file('stolen.csv', [
        stolen,
        `${full(S)},20260301,blacklist`,
        `${full(S2)},20260311,blacklist`,
      ]),
    ]);
    await ceir(['classify', '--as-of', '2026-03-12']);
    await ceir(['listgen', '--as-of', '2026-03-12', '--out', join(root, 'l2')]);
    assert.match(await ceir(['snapshot', 'publish']), /Published version 2 .*: delta/);
    for (const s of servers)
      await until(
        'S2 black',
        () => status(s.ports.n5g, S2),
        (v) => v === 'BLACKLISTED',
      );
    for (const s of servers) {
      const h = await health(s);
      assert.equal(h.follow.version, 2);
      assert.equal(h.follow.deltasApplied, 1);
    }

    // Versions 3-8, one more stolen IMEI each; server b is killed after version 4 and restarted
    // after version 8 (versions 3 and 6 also carry full snapshots).
    const channel = await NatsSnapshotChannel.open({ url: NATS, stream: STREAM, bucket: BUCKET });
    try {
      for (let i = 0; i < LATER.length; i++) {
        const next = snapshotFromData(
          testData({
            listRun: 10 + i,
            reasonSets: [[], ['Reported stolen']],
            black: [S, S2, ...LATER.slice(0, i + 1)].map((k) => [k, 1] as const),
          }),
        );
        const r = await publishSnapshot({
          channel,
          next,
          empty: snapshotFromData(emptySnapshotData()),
          fullEvery: 3,
          keepFull: 3,
          log: () => {},
        });
        assert.equal(r.version, 3 + i);
        if (r.version === 4) {
          servers[1]!.child.kill('SIGKILL');
          await new Promise((res) => servers[1]!.child.once('exit', res));
        }
      }
    } finally {
      await channel.close();
    }
    servers[1] = await startServer('b');

    const expected = (k: string) => (k === O ? 'WHITELISTED' : 'BLACKLISTED');
    for (const s of servers) {
      await until(
        'version 8',
        () => health(s),
        (h) => h.follow.version === 8,
      );
      for (const k of PROBES) assert.equal(await status(s.ports.n5g, k), expected(k), k);
    }
    const versions = await Promise.all(
      servers.map(async (s) => (await health(s)).snapshot.version),
    );
    assert.equal(new Set(versions).size, 1, versions.join(' '));
    // The restarted server started from the full snapshot of version 6 and applied 7 and 8.
    const b = await health(servers[1]!);
    assert.equal(b.follow.fullLoads, 1);
    assert.equal(b.follow.deltasApplied, 2);

    // Workers applied the forwarded deltas themselves: no reload of theirs failed.
    const m = await (await fetch(`http://127.0.0.1:${servers[0]!.ports.http}/metrics`)).text();
    assert.match(m, /ceir_snapshot_reloads_total\{outcome="failed"\} 0/);
    assert.match(m, /ceir_snapshot_published_version 8/);
    for (const s of servers) {
      const exit = new Promise((res) => s.child.once('exit', res));
      s.child.kill('SIGTERM');
      assert.equal(await exit, 0);
    }
  },
);
