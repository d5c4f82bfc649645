/**
 * `ceir serve` runs the daily pipeline on its timer: a dump and a stolen list dropped into the
 * inbox are imported, the day is classified, its lists generated and its snapshot published and
 * served; /metrics carries the pipeline's figures; /health answers 503 "stale" once the served
 * snapshot is older than observability.max_snapshot_age_hours.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/ids/index.js';
import {
  captureIo,
  RELAXED_GATES_YAML,
  STOLEN_CONDITION_YAML,
  TESTLAND_YAML,
} from '../../testing/cli-test-kit.js';
import { main } from '../cli/main.js';
import { startServeProcess } from '../server/serve-process.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-serve-pipeline-'));
let child: ChildProcess | undefined;
after(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const CONFIG = `${TESTLAND_YAML}${RELAXED_GATES_YAML}conditions:
${STOLEN_CONDITION_YAML}pipeline: { stable_seconds: 0, serve_interval_seconds: 1, deadline_hours: 0 }
observability: { max_snapshot_age_hours: 0.0002 }
`;

const imei = (snr: number) => {
  const k = `35000000${String(snr).padStart(6, '0')}`;
  return `${k}${luhnCheckDigit(k)}`;
};

function fetch(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('serve runs the pipeline, publishes its metrics, and reports a stale snapshot', async () => {
  const data = join(root, 'data');
  const inbox = join(data, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const config = join(root, 'ceir.yaml');
  writeFileSync(config, CONFIG);
  writeFileSync(
    join(inbox, 'stolen_list.csv'),
    `imei,reporting_date,status\n${imei(1)},20251201,\n`,
  );
  const rows = [1, 2, 3].map(
    (n) =>
      `20260101,${imei(n)},00101${String(n).padStart(10, '0')},999${String(n).padStart(8, '0')},006`,
  );
  writeFileSync(
    join(inbox, 'alpha_20260101_20260101.csv'),
    `date,imei,imsi,msisdn,rat\n${rows.join('\n')}\n`,
  );
  const server = await startServeProcess(
    [
      ...['--data', data, '--config', config, '--workers', '1'],
      ...['--s13-port', '0', '--n5g-port', '0', '--http-port', '0', '--api-port', '0'],
    ],
    { onSpawn: (c) => (child = c) },
  );
  const { ports } = server;
  const metrics = await until('the pipeline metrics', async () => {
    const m = await fetch(ports.http, '/metrics');
    return /ceir_pipeline_step_duration_seconds_count\{outcome="done",step="snapshot"\} 1/.test(
      m.body,
    )
      ? m.body
      : undefined;
  });
  assert.match(metrics, /ceir_pipeline_files_total\{outcome="imported",source="operator"\} 1/);
  assert.match(
    metrics,
    /ceir_pipeline_rows_imported_total\{operator="alpha",source="operator"\} 3/,
  );
  assert.match(metrics, /ceir_pipeline_classification_matched\{condition="stolen"\} 1/);
  assert.match(metrics, /ceir_pipeline_list_size\{kind="black",operator=""\} 1/);
  // The published snapshot of list run 1 is served.
  const health = await until('the day-1 snapshot served', async () => {
    const h = await fetch(ports.http, '/health');
    const b = JSON.parse(h.body) as { status: string; snapshot?: { list_run: number } };
    return b.snapshot?.list_run === 1 ? { ...h, b } : undefined;
  });
  // 0.0002 h is 0.72 s: the snapshot is stale by the time it is asked for again.
  await new Promise((r) => setTimeout(r, 800));
  const stale = await fetch(ports.http, '/health');
  assert.equal(stale.status, 503, health.body);
  assert.equal((JSON.parse(stale.body) as { status: string }).status, 'stale');
  assert.match(server.log(), /"msg":"day run done"/);
  // A backup while serving: it waits for serve's short store jobs and copies one instant.
  const io = captureIo();
  const code0 = await main(
    ['backup', join(root, 'backup.duckdb'), '--data', data, '--config', config],
    io,
  );
  assert.equal(code0, 0, io.stderr.join('\n'));
  const manifest = JSON.parse(readFileSync(join(root, 'backup.duckdb.json'), 'utf8')) as {
    tables: Record<string, number>;
  };
  assert.equal(manifest.tables.triplets, 3);
  assert.equal(manifest.tables.pipeline_days, 1);
  assert.match(server.log(), /"job_id":"pass-[0-9a-f]{8}"/);
  const code = await new Promise<number | null>((resolve) => {
    child!.once('exit', (c) => resolve(c));
    child!.kill('SIGTERM');
  });
  assert.equal(code, 0, server.log());
});
