/**
 * `npm run bench:eir [-- --rows 200000 --workers N --seconds 5 --keep]`: builds a demo store
 * (`ceir demo`: generated dataset, classified, lists generated) in a work folder, starts
 * `ceir serve` as a child process on 127.0.0.1 (free ports), then
 * - drives S13 with the project's Diameter load client (16 connections; rate steps 50k, 100k,
 *   150k requests/s and unbounded; `--seconds` each);
 * - drives N5g-eir with `h2load` (Debian nghttp2-client; skipped when not installed), h2c prior
 *   knowledge, 100 streams per connection, 1 and 4 connections, `--seconds` each;
 * with IMEIs taken from the demo's operator dumps (listed and unlisted). Prints a Markdown table
 * (throughput, latency; h2load reports mean and max, not percentiles) and stops the server.
 * Loopback only; bounded in time (a 1 s warm-up, 6 x `--seconds`, the store build).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDiameterLoad, type LoadTarget } from '../server/diameter-load-client.js';
import { CEIR_BIN, startServeProcess, type ServeProcess } from '../server/serve-process.js';
import { demoImeis } from './demo-imeis.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    workers: { type: 'string', default: String(availableParallelism()) },
    seconds: { type: 'string', default: '5' },
    work: { type: 'string', default: join(tmpdir(), 'ceir-bench-eir') },
    keep: { type: 'boolean', default: false },
  },
});
const HOST = '127.0.0.1';
const seconds = Number(values.seconds);
const data = join(values.work, values.rows, 'data');
const CEIR = CEIR_BIN;

interface Row {
  readonly tool: string;
  readonly load: string;
  readonly reqPerSec: number;
  readonly p50: string;
  readonly p99: string;
  readonly note: string;
}

/** The Origin-Host of `ceir serve` with the default configuration. */
const ORIGIN_HOST = 'ceir.openceir.local';

function startServer(): Promise<ServeProcess> {
  const args = ['--data', data, '--workers', values.workers, '--host', HOST];
  return startServeProcess([...args, '--s13-port', '0', '--n5g-port', '0', '--http-port', '0'], {
    inheritStderr: true,
  });
}

function h2load(port: number, ts: readonly LoadTarget[], connections: number): Row {
  const urls = ts
    .slice(0, 50)
    .map((t) => `http://${HOST}:${port}/n5g-eir-eic/v1/equipment-status?pei=imei-${t.imei}`);
  const r = spawnSync(
    'h2load',
    ['-D', String(seconds), '-c', String(connections), '-m', '100', '-t', '1', ...urls],
    { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
  );
  const text = `${r.stdout}${r.stderr}`;
  const rps = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(text);
  const status = /status codes: (\d+) 2xx, \d+ 3xx, (\d+) 4xx, (\d+) 5xx/.exec(text);
  const lat = /time for request:\s+(\S+)\s+(\S+)\s+(\S+)/.exec(text);
  return {
    tool: 'h2load N5g-eir',
    load: `${connections} conn x 100 streams`,
    reqPerSec: rps ? Number(rps[1]) : 0,
    p50: lat ? `mean ${lat[3]}` : '-',
    p99: lat ? `max ${lat[2]}` : '-',
    note: status ? `${status[1]} 2xx, ${status[2]} 4xx, ${status[3]} 5xx` : text.slice(-200),
  };
}

async function main(): Promise<void> {
  // With --keep, a store left by a previous run is reused (`ceir demo` then only reports).
  if (!values.keep) rmSync(join(values.work, values.rows), { recursive: true, force: true });
  const t0 = performance.now();
  execFileSync(process.execPath, [CEIR, 'demo', '--rows', values.rows, '--data', data], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.stderr.write(
    `store built (${values.rows} rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const ts: LoadTarget[] = demoImeis(data, 10_000).map((imei) => ({ imei }));
  const server = await startServer();
  const rows: Row[] = [];
  try {
    // Warm-up (JIT, connection set-up in the workers), not reported.
    await runDiameterLoad({
      port: server.ports.s13,
      host: HOST,
      connections: 16,
      seconds: 1,
      rate: 20_000,
      targets: ts,
    });
    for (const rate of [50_000, 100_000, 150_000, 0]) {
      const r = await runDiameterLoad({
        port: server.ports.s13,
        host: HOST,
        connections: 16,
        seconds,
        ...(rate ? { rate } : {}),
        targets: ts,
        // As an MME does: naming the EIR (so shed requests are 3004) and advertising DOIC.
        destinationHost: ORIGIN_HOST,
        doic: true,
      });
      const shed = r.tooBusyLatency.count
        ? `; shed answered in p99 ${r.tooBusyLatency.p99Ms.toFixed(2)} ms`
        : '';
      const codes = Object.entries(r.resultCodes)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      rows.push({
        tool: 'Diameter S13 (own client)',
        load: `16 conn, ${rate ? `${rate / 1000}k/s` : 'unbounded'}`,
        reqPerSec: r.answersPerSecond,
        p50: `${r.latency.p50Ms.toFixed(2)} ms`,
        p99: `${r.latency.p99Ms.toFixed(2)} ms`,
        note: codes + shed + (r.errors.length ? `; errors: ${r.errors.length}` : ''),
      });
      process.stderr.write(`S13 ${rows.at(-1)!.load}: ${Math.round(r.answersPerSecond)}/s\n`);
    }
    const has = spawnSync('h2load', ['--version'], { encoding: 'utf8' });
    if (has.error) {
      rows.push({
        tool: 'h2load N5g-eir',
        load: '-',
        reqPerSec: 0,
        p50: '-',
        p99: '-',
        note: 'h2load not installed (apt-get install nghttp2-client)',
      });
    } else {
      for (const c of [1, 4]) rows.push(h2load(server.ports.n5g, ts, c));
    }
  } finally {
    await server.stop();
    if (!values.keep) rmSync(join(values.work, values.rows), { recursive: true, force: true });
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nceir serve, ${values.workers} worker(s), ${availableParallelism()} cores (${cpu}), ` +
      `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ` +
      `load generators on the same host; ${seconds} s per step\n`,
  );
  console.log('| tool | load | answers/s | p50 | p99 | answers |');
  console.log('| --- | --- | ---: | ---: | ---: | --- |');
  for (const r of rows)
    console.log(
      `| ${r.tool} | ${r.load} | ${Math.round(r.reqPerSec).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.note} |`,
    );
}

await main();
