/**
 * Issue #9 item 5: three CEIR instances (XA, XB, XC) as separate processes on loopback, each
 * with its own data directory, key and store, each serving its exchange endpoint and peering
 * with the other two. XC reaches XA through a test proxy that can tamper with bodies.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { RELAXED_GATES_YAML } from '../../testing/cli-test-kit.js';

const CEIR = fileURLToPath(new URL('../../../bin/ceir.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'ceir-federation-'));
const children = new Set<ChildProcess>();
let proxy: Server | undefined;
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  proxy?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CEIR, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

class Ceir {
  readonly dir: string;
  readonly data: string;
  readonly config: string;
  port = 0;
  server: ChildProcess | undefined;
  constructor(readonly country: string) {
    this.dir = join(root, country);
    this.data = join(this.dir, 'data');
    this.config = join(this.dir, 'ceir.yaml');
    mkdirSync(this.dir, { recursive: true });
  }
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  get publicKey() {
    return join(this.data, 'keys', 'lists-ed25519.pub.pem');
  }
  async run(...args: string[]): Promise<Run> {
    return start([...args, '--data', this.data, '--config', this.config]).done;
  }
  async ok(...args: string[]): Promise<string> {
    const r = await this.run(...args);
    assert.equal(r.code, 0, `${this.country} ceir ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  async json<T>(...args: string[]): Promise<T> {
    return JSON.parse(await this.ok(...args, '--json')) as T;
  }
  async serve(): Promise<void> {
    const s = start(['exchange', 'serve', '--data', this.data, '--config', this.config]);
    this.server = s.child;
    await new Promise<void>((resolve, reject) => {
      s.child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('listening on')) resolve();
      });
      void s.done.then((r) => reject(new Error(`${this.country} serve ended: ${r.stderr}`)));
    });
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const c = this.server!;
    const closed = new Promise((r) => c.on('close', r));
    c.kill(signal);
    await closed;
  }
}

const A = new Ceir('XA');
const B = new Ceir('XB');
const C = new Ceir('XC');

/** Foreign records of peers trusted to block are a blocking condition. */
const CONDITIONS = `conditions:
  - label: foreign_stolen
    reason: Reported stolen abroad
    blocking: true
    grace_period_days: 0
    max_allowed_matching_ratio: 1
    dimensions: [{ module: foreign_block_list, parameters: { trust: [block] } }]
`;

function config(me: Ceir, peers: { c: Ceir; url?: string }[]): string {
  return `country: { name: ${me.country}land, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
${RELAXED_GATES_YAML}${CONDITIONS}exchange:
  country: ${me.country}
  port: ${me.port}
  page_size: 1000
  peers:
${peers
  .map(
    (p) =>
      `    - { id: ${p.c.country.toLowerCase()}, country: ${p.c.country}, url: '${p.url ?? p.c.url}', public_key: '${p.c.publicKey}', trust: block }`,
  )
  .join('\n')}
`;
}

/** XC's way to XA: forwards, or flips one byte of the record lines of the answer. */
let tamper = false;
async function startProxy(): Promise<string> {
  proxy = createServer((req, res) => {
    const up = request(`${A.url}${req.url}`, { method: req.method }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        let body = Buffer.concat(chunks);
        if (tamper)
          body = Buffer.from(
            body.toString('utf8').replace('"reason":"stolen"', '"reason":"stolex"'),
          );
        res.writeHead(r.statusCode ?? 502, { 'content-length': body.length });
        res.end(body);
      });
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const IMEI1 = '35209900176148';
const IMEI2 = '49015420323751';
const many = (n: number) => `3521000${String(n).padStart(7, '0')}`;

interface Foreign {
  recordId: string;
  status: string;
  peer: string;
  origin: string;
  keyId: string;
}
interface Status {
  peers: { peer: string; lastSeq: number; lastError: string | null; records: number }[];
}
const peerState = async (c: Ceir, peer: string) =>
  (await c.json<Status>('exchange', 'status')).peers.find((p) => p.peer === peer)!;
const active = (fs: Foreign[], origin: string) =>
  fs
    .filter((f) => f.origin === origin && f.status === 'active')
    .map((f) => f.recordId)
    .sort();

test(
  'federation of three CEIRs: propagation, removal, forgery, tampering, restarts, notices',
  { timeout: 600_000 },
  async () => {
    for (const c of [A, B, C]) c.port = await freePort();
    const viaProxy = await startProxy();
    writeFileSync(A.config, config(A, [{ c: B }, { c: C }]));
    writeFileSync(B.config, config(B, [{ c: A }, { c: C }]));
    writeFileSync(C.config, config(C, [{ c: A, url: viaProxy }, { c: B }]));
    await Promise.all([A, B, C].map((c) => c.ok('keys', 'generate')));
    await Promise.all([A.serve(), B.serve(), C.serve()]);

    // 1. A theft confirmed in XA (on its stolen list) is a foreign block in XB and XC after a pull.
    const stolen = join(A.dir, 'stolen.csv');
    writeFileSync(
      stolen,
      `imei,reporting_date,status\n${IMEI1}5,20260105,\n${IMEI2}8,20260106,blacklist\n`,
    );
    await A.ok('import', 'stolen', stolen);
    const pub = await A.json<{ appended: number; headSeq: number }>('exchange', 'publish');
    assert.deepEqual([pub.appended, pub.headSeq], [2, 2]);
    await Promise.all([B, C].map((c) => c.ok('exchange', 'pull')));
    const want = [`XA-stolen-${IMEI1}`, `XA-stolen-${IMEI2}`];
    for (const c of [B, C]) {
      const fs = await c.json<Foreign[]>('exchange', 'foreign');
      assert.deepEqual(active(fs, 'XA'), want, c.country);
      assert.ok(fs.every((f) => f.peer === 'xa'));
    }

    // 2. The owner's removal (device recovered) propagates.
    const delta = join(A.dir, 'stolen-delta.csv');
    writeFileSync(
      delta,
      `change_type,imei,reporting_date,status\nremove,${IMEI2}8,20260106,blacklist\n`,
    );
    await A.ok('import', 'stolen', '--delta', delta);
    await A.ok('exchange', 'publish');
    for (const c of [B, C]) {
      await c.ok('exchange', 'pull');
      assert.deepEqual(active(await c.json<Foreign[]>('exchange', 'foreign'), 'XA'), [want[0]]);
    }

    // 3. XB forges, in its own correctly signed feed, a record of XA's (XA's removed theft
    // report brought back): XC refuses it, and the whole batch.
    const bs = await DuckDbStore.open({ dataDir: B.data, memoryLimit: '256MB', threads: 1 });
    await bs.db.run(`INSERT INTO exchange_feed VALUES (1, 'XA-stolen-${IMEI2}', ${Number(IMEI2)},
      'stolen', NULL, 'active', 'XA', TIMESTAMP '2026-02-01 00:00:00')`);
    await bs.close();
    const forged = await C.run('exchange', 'pull', '--peer', 'xb');
    assert.equal(forged.code, 13, forged.stderr + forged.stdout);
    assert.match(forged.stdout, /CEIR_ERR_NOT_OWNER.*only XA may/);
    assert.deepEqual(active(await C.json<Foreign[]>('exchange', 'foreign'), 'XA'), [want[0]]);
    const xbAtC = await peerState(C, 'xb');
    assert.equal(xbAtC.lastSeq, 0);
    assert.match(xbAtC.lastError ?? '', /NOT_OWNER/);

    // 4. A batch tampered with on the way is refused, and changes nothing.
    writeFileSync(
      stolen,
      `imei,reporting_date,status\n${IMEI1}5,20260105,\n${many(1)}0,20260107,\n`,
    );
    await A.ok('import', 'stolen', '--force', stolen);
    await A.ok('exchange', 'publish');
    tamper = true;
    const t = await C.run('exchange', 'pull', '--peer', 'xa');
    tamper = false;
    assert.equal(t.code, 13, t.stderr + t.stdout);
    assert.match(t.stdout, /CEIR_ERR_BAD_SIGNATURE.*altered/);
    assert.deepEqual(active(await C.json<Foreign[]>('exchange', 'foreign'), 'XA'), [want[0]]);
    await C.ok('exchange', 'pull', '--peer', 'xa');
    assert.deepEqual(
      active(await C.json<Foreign[]>('exchange', 'foreign'), 'XA'),
      [want[0], `XA-stolen-${many(1)}`].sort(),
    );

    // 5. Many new records; XA's server is restarted while XB pulls, XC's pull is killed mid-way:
    // both resume where their last applied page ended, without loss or duplicates.
    const N = 400;
    const rows = Array.from({ length: N }, (_, i) => `${many(i + 1)}0,20260108,`);
    writeFileSync(stolen, `imei,reporting_date,status\n${IMEI1}5,20260105,\n${rows.join('\n')}\n`);
    await A.ok('import', 'stolen', '--force', stolen);
    const head = (await A.json<{ headSeq: number }>('exchange', 'publish')).headSeq;
    const before = (await peerState(B, 'xa')).lastSeq;
    const pullB = start([
      'exchange',
      'pull',
      '--peer',
      'xa',
      '--page-size',
      '20',
      '--data',
      B.data,
      '--config',
      B.config,
    ]);
    await new Promise<void>((r) => pullB.child.stderr!.once('data', () => r()));
    await A.stop('SIGKILL');
    const cut = await pullB.done;
    assert.equal(cut.code, 14, cut.stderr + cut.stdout); // CEIR_ERR_PEER_DOWN
    const mid = (await peerState(B, 'xa')).lastSeq;
    assert.ok(mid > before && mid < head, `XB stopped at ${mid} between ${before} and ${head}`);
    await A.serve();
    await B.ok('exchange', 'pull', '--peer', 'xa', '--page-size', '20');

    const pullC = start([
      'exchange',
      'pull',
      '--peer',
      'xa',
      '--page-size',
      '20',
      '--data',
      C.data,
      '--config',
      C.config,
    ]);
    await new Promise<void>((r) => pullC.child.stderr!.once('data', () => r()));
    pullC.child.kill('SIGKILL');
    await pullC.done;
    const midC = (await peerState(C, 'xa')).lastSeq;
    assert.ok(midC < head, `XC killed at ${midC} before ${head}`);
    await C.ok('exchange', 'pull', '--peer', 'xa');
    for (const c of [B, C]) {
      const s = await peerState(c, 'xa');
      assert.equal(s.lastSeq, head, c.country);
      const fs = await c.json<Foreign[]>('exchange', 'foreign');
      const ids = fs.map((f) => f.recordId);
      assert.equal(new Set(ids).size, ids.length, `${c.country}: no duplicates`);
      assert.equal(active(fs, 'XA').length, N + 1, c.country);
    }

    // 6. Owner notice: XB's network sees XA's stolen device; XA is told, without subscriber data.
    const dump = join(B.dir, 'alpha_20260201_20260228.csv');
    writeFileSync(
      dump,
      `date,imei,imsi,msisdn,rat\n20260210,${IMEI1}5,001010000000001,99900000001,006\n20260211,35209900000001,001010000000002,99900000002,006\n`,
    );
    await B.ok('import', 'operator', dump);
    // XA's theft report is a block in XB: the foreign_block_list condition matches the device.
    await B.ok('classify', '--as-of', '2026-02-28');
    await B.ok('exchange', 'notify');
    const got = await A.json<Record<string, string>[]>('exchange', 'notices');
    assert.deepEqual(
      got.map(({ receivedAt: _r, keyId: _k, ...n }) => n),
      [
        {
          recordId: `XA-stolen-${IMEI1}`,
          imei: IMEI1,
          seenIn: 'XB',
          seenOn: '2026-02-10',
          fromPeer: 'xb',
        },
      ],
    );
    assert.match(await B.ok('exchange', 'notify'), /no owner notice/);
    const bdb = await DuckDbStore.open({ dataDir: B.data, memoryLimit: '256MB', threads: 1 });
    const matched = await bdb.db.all(`SELECT lpad(imei::VARCHAR, 14, '0') AS imei, condition,
      block_date::VARCHAR AS block_date FROM classification_state WHERE end_date IS NULL`);
    await bdb.close();
    assert.deepEqual(matched, [
      { imei: IMEI1, condition: 'foreign_stolen', block_date: '2026-02-28' },
    ]);

    await Promise.all([A.stop(), B.stop(), C.stop()]);
  },
);
