/**
 * Issue #4 items 5 and 6: `ceir serve` as a child process (node:cluster primary, one worker) on
 * free ports: an empty data directory answered by the policy, then a store built through the CLI
 * in process where a stolen IMEI is black over N5g-eir and S13, and a newly stolen one is black
 * after listgen and SIGHUP, without a restart.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/ids/index.js';
import type { CliIo } from '../cli/cli-context.js';
import { main } from '../cli/main.js';
import { runDiameterLoad } from './diameter-load-client.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import {
  RELAXED_GATES_YAML,
  STOLEN_CONDITION_YAML,
  TESTLAND_YAML,
} from '../../testing/cli-test-kit.js';

const roots: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const CONFIG = (extra = '') => `${TESTLAND_YAML}${RELAXED_GATES_YAML}conditions:
${STOLEN_CONDITION_YAML}${extra}`;

const imei = (snr: number) => `35000000${String(snr).padStart(6, '0')}`;
const full = (key: string) => `${key}${luhnCheckDigit(key)}`;
const A = (n: number) => `00101${String(n).padStart(10, '0')}`;
const M = (n: number) => `999${String(n).padStart(8, '0')}`;

class Env {
  readonly root = mkdtempSync(join(tmpdir(), 'ceir-serve-'));
  readonly data = join(this.root, 'data');
  readonly config = join(this.root, 'ceir.yaml');
  private files = 0;
  constructor(config: string) {
    roots.push(this.root);
    writeFileSync(this.config, config);
  }

  async ok(args: string[]): Promise<void> {
    const out: string[] = [];
    const io: CliIo = { interactive: false, out: (l) => out.push(l), err: (l) => out.push(l) };
    const code = await main([...args, '--data', this.data, '--config', this.config], io);
    assert.equal(code, 0, `ceir ${args.join(' ')}: ${out.join('\n')}`);
  }

  async file(name: string, lines: string[]): Promise<string> {
    const d = join(this.root, `in-${this.files++}`);
    mkdirSync(d);
    const f = join(d, name);
    writeFileSync(f, lines.join('\n') + '\n');
    return f;
  }
}

async function serve(env: Env): Promise<ServeProcess> {
  const args = ['--data', env.data, '--config', env.config, '--workers', '1'];
  return startServeProcess([...args, '--s13-port', '0', '--n5g-port', '0', '--http-port', '0'], {
    onSpawn: (child) => children.push(child),
  });
}

/** One N5g-eir request: HTTP status and body. */
async function n5g(port: number, pei: string): Promise<{ status: number; body: string }> {
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise((resolve, reject) => {
      const req = client.request({
        ':path': `/n5g-eir-eic/v1/equipment-status?pei=${pei}`,
      });
      let status = 0;
      let body = '';
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => resolve({ status, body }));
      req.on('error', reject);
      req.end();
    });
  } finally {
    client.close();
  }
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, body: await r.text() };
}

/** Equipment-Status values of `n` S13 ECRs for one IMEI. */
async function s13(port: number, imeiText: string, n = 5): Promise<Record<string, number>> {
  const r = await runDiameterLoad({
    port,
    connections: 1,
    seconds: 2,
    count: n,
    targets: [{ imei: imeiText }],
  });
  assert.deepEqual(r.errors, []);
  assert.equal(r.answered, n);
  return { ...r.equipmentStatus, ...r.resultCodes };
}

/** Waits until /metrics shows `line` (workers send their counters every second). */
async function metricsWith(port: number, re: RegExp): Promise<string> {
  const end = Date.now() + 10_000;
  for (;;) {
    const { body } = await get(port, '/metrics');
    if (re.test(body) || Date.now() > end) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('empty data directory: serves, answers by policy, health and metrics', async () => {
  const env = new Env(CONFIG('server: { policy: { unknown_device: unknown } }\n'));
  const s = await serve(env);
  assert.match(s.log(), /no lists yet: every device is answered by the unknown-equipment policy/);
  for (const p of Object.values(s.ports)) assert.ok(p > 0);

  const any = full(imei(1));
  assert.equal((await n5g(s.ports.n5g, `imei-${any}`)).status, 404);
  assert.deepEqual(await s13(s.ports.s13, any, 3), { '5422': 3 });

  const h = await get(s.ports.http, '/health');
  assert.equal(h.status, 200);
  const health = JSON.parse(h.body) as {
    status: string;
    snapshot: { version: string; list_run: number; empty: boolean; age_seconds: number };
  };
  assert.equal(health.status, 'ok');
  assert.equal(health.snapshot.list_run, 0);
  assert.equal(health.snapshot.empty, true);
  assert.ok(health.snapshot.age_seconds >= 0);

  const m = await metricsWith(
    s.ports.http,
    /ceir_checks_total\{interface="s13",status="UNKNOWN_EQUIPMENT"\} 3/,
  );
  assert.match(m, /ceir_checks_total\{interface="n5g-eir",status="UNKNOWN_EQUIPMENT"\} 1/);
  assert.match(m, /ceir_checks_total\{interface="s13",status="UNKNOWN_EQUIPMENT"\} 3/);
  assert.match(m, /ceir_check_duration_seconds_count\{interface="s13"\} 3/);
  assert.match(m, /ceir_s13_answer_delay_seconds_count\{outcome="checked"\} 3/);
  assert.match(m, /ceir_s13_answer_delay_seconds_count\{outcome="shed"\} 0/);
  assert.match(m, /ceir_check_duration_seconds_bucket\{interface="n5g-eir",le="\+Inf"\} 1/);
  assert.match(m, new RegExp(`ceir_snapshot_info\\{version="${health.snapshot.version}"\\} 1`));
  assert.match(m, /ceir_observations_total 4/);
  assert.equal((await get(s.ports.http, '/nothing')).status, 404);

  assert.equal(await s.stop(), 0);
  assert.match(s.log(), /stopped/);
});

test('stolen IMEI black over N5g-eir and S13; a new one after listgen and SIGHUP', async () => {
  const env = new Env(CONFIG());
  const S = imei(11);
  const S2 = imei(22);
  const O = imei(33);
  await env.ok([
    'import',
    'operator',
    await env.file('alpha_20260301_20260310.csv', [
      'date,imei,imsi,msisdn,rat',
      `20260305,${full(S)},${A(1)},${M(1)},006`,
      `20260305,${full(S2)},${A(2)},${M(2)},006`,
      `20260306,${full(O)},${A(3)},${M(3)},006`,
    ]),
  ]);
  const stolen = 'imei,reporting_date,status';
  await env.ok([
    'import',
    'stolen',
    await env.file('stolen.csv', [stolen, `${full(S)},20260301,blacklist`]),
  ]);
  await env.ok(['classify', '--as-of', '2026-03-10']);
  await env.ok(['listgen', '--as-of', '2026-03-10', '--out', join(env.root, 'l1')]);

  const s = await serve(env);
  assert.match(s.log(), /snapshot r1-2026-03-10-/);
  const black = await n5g(s.ports.n5g, `imei-${full(S)}`);
  assert.equal(black.status, 200);
  assert.equal(JSON.parse(black.body).status, 'BLACKLISTED');
  assert.equal(JSON.parse((await n5g(s.ports.n5g, `imei-${full(O)}`)).body).status, 'WHITELISTED');
  assert.equal(JSON.parse((await n5g(s.ports.n5g, `imei-${full(S2)}`)).body).status, 'WHITELISTED');
  assert.deepEqual(await s13(s.ports.s13, full(S)), { '1': 5, '2001': 5 });
  assert.deepEqual(await s13(s.ports.s13, full(S2)), { '0': 5, '2001': 5 });

  // The CLI works on the store while serving; S2 is reported stolen.
  await env.ok([
    'import',
    'stolen',
    await env.file('stolen.csv', [
      stolen,
      `${full(S)},20260301,blacklist`,
      `${full(S2)},20260311,blacklist`,
    ]),
  ]);
  await env.ok(['classify', '--as-of', '2026-03-12']);
  await env.ok(['listgen', '--as-of', '2026-03-12', '--out', join(env.root, 'l2')]);
  const reloaded = s.waitLog(/reloaded: serving snapshot r2-2026-03-12-\S+/);
  s.child.kill('SIGHUP');
  await reloaded;
  assert.equal(JSON.parse((await n5g(s.ports.n5g, `imei-${full(S2)}`)).body).status, 'BLACKLISTED');
  assert.deepEqual(await s13(s.ports.s13, full(S2)), { '1': 5, '2001': 5 });
  assert.equal(JSON.parse((await n5g(s.ports.n5g, `imei-${full(O)}`)).body).status, 'WHITELISTED');
  const health = JSON.parse((await get(s.ports.http, '/health')).body) as {
    snapshot: { list_run: number; empty: boolean };
  };
  assert.equal(health.snapshot.list_run, 2);
  assert.equal(health.snapshot.empty, false);
  const m = await metricsWith(s.ports.http, /ceir_snapshot_reloads_total\{outcome="ok"\} 1/);
  assert.match(m, /ceir_snapshot_reloads_total\{outcome="ok"\} 1/);

  assert.equal(await s.stop(), 0);
});

test('every check is an observation: a clone alert, observations and flags in the store', async () => {
  const env = new Env(
    CONFIG(
      'server:\n  clone_detector: { threshold: 2, window_seconds: 600, min_peers: 1 }\n  observation_flush_seconds: 1\n',
    ),
  );
  const s = await serve(env);
  const key = imei(7);
  const alert = s.waitLog(/clone alert: IMEI \d+ with \d+ IMSIs/);
  // One IMEI presented with four SIMs: the third distinct IMSI is over the threshold of 2.
  for (let i = 0; i < 4; i++)
    assert.equal((await n5g(s.ports.n5g, `imei-${full(key)}&supi=imsi-${A(i)}`)).status, 200);
  assert.match(await alert, new RegExp(`IMEI ${key} with 3 IMSIs`));
  assert.equal(await s.stop(), 0);

  const store = await DuckDbStore.open({ dataDir: env.data, memoryLimit: '256MB', threads: 1 });
  try {
    const obs = await store.db.one(
      'SELECT count(*)::INTEGER AS n, count(DISTINCT imsi)::INTEGER AS imsis FROM check_observations WHERE imei = ?',
      [Number(key)],
    );
    assert.deepEqual(obs, { n: 4, imsis: 4 });
    const flags = await store.db.all(
      'SELECT imei::VARCHAR AS imei, imsis FROM realtime_clone_flags',
    );
    assert.deepEqual(flags, [{ imei: String(Number(key)), imsis: 3 }]);
  } finally {
    await store.close();
  }
});
