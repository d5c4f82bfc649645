/**
 * `npm run bench:api [-- --rows 10000000 --seconds 10 --keep]`: the public IMEI check of the
 * people API (issue #5) under load. Builds a demo store (`ceir demo --rows N`, default 10M rows)
 * in a work folder with the demo configuration plus a rate limit high enough not to refuse the
 * load generator, starts `ceir serve` on 127.0.0.1 with the API on a free port, then drives
 * `GET /api/v1/public/check` with `wrk` (Debian package `wrk`; skipped when missing) over
 * keep-alive connections, rotating through IMEIs of the demo's dumps (listed and not), and
 * prints requests/s and latency percentiles as a Markdown table. Loopback only; bounded in time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CEIR_BIN, startServeProcess } from '../server/serve-process.js';
import { demoImeis } from './demo-imeis.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    seconds: { type: 'string', default: '10' },
    work: { type: 'string', default: join(tmpdir(), 'ceir-bench-api') },
    keep: { type: 'boolean', default: false },
  },
});
const HOST = '127.0.0.1';
const root = join(values.work, values.rows);
const data = join(root, 'data');
const config = join(root, 'ceir.yaml');
const CEIR = CEIR_BIN;
const DEMO_CONFIG = fileURLToPath(new URL('../../../config/demo.ceir.yaml', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, HOST, () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startServer(apiPort: number): Promise<() => Promise<unknown>> {
  const args = ['--data', data, '--config', config, '--workers', '1', '--host', HOST];
  const ports = ['--s13-port', '0', '--n5g-port', '0', '--http-port', '0'];
  const server = await startServeProcess([...args, ...ports, '--api-port', String(apiPort)], {
    inheritStderr: true,
  });
  return server.stop;
}

interface Row {
  readonly load: string;
  readonly reqPerSec: number;
  readonly p50: string;
  readonly p99: string;
  readonly note: string;
}

function wrk(port: number, script: string, threads: number, connections: number): Row {
  const r = spawnSync(
    'wrk',
    [
      '-t',
      String(threads),
      '-c',
      String(connections),
      '-d',
      `${values.seconds}s`,
      '--latency',
      '-s',
      script,
      `http://${HOST}:${port}/`,
    ],
    { encoding: 'utf8', timeout: (Number(values.seconds) + 30) * 1000 },
  );
  const text = `${r.stdout}${r.stderr}`;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const p50 = /\n\s+50%\s+(\S+)/.exec(text);
  const p99 = /\n\s+99%\s+(\S+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const errors = /Socket errors: (.*)/.exec(text);
  return {
    load: `${threads} thread, ${connections} conn`,
    reqPerSec: rps ? Number(rps[1]) : 0,
    p50: p50?.[1] ?? '-',
    p99: p99?.[1] ?? '-',
    note: `${non2xx ? `${non2xx[1]} non-2xx` : 'all 2xx'}${errors ? `; socket errors: ${errors[1]}` : ''}`,
  };
}

async function main(): Promise<void> {
  if (spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error) {
    process.stdout.write('wrk is not installed (apt-get install -y wrk): nothing measured\n');
    return;
  }
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(
    config,
    `${readFileSync(DEMO_CONFIG, 'utf8')}\n# bench: the load generator is one client; do not refuse it.\napi: { rate_limit: { per_second: 1000000, burst: 1000000 } }\n`,
  );
  const t0 = performance.now();
  if (!existsSync(join(data, 'ceir.duckdb')) || !values.keep)
    execFileSync(
      process.execPath,
      [CEIR, 'demo', '--rows', values.rows, '--data', data, '--config', config],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  process.stderr.write(
    `store ready (${values.rows} rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const list = demoImeis(data, 5000);
  const script = join(root, 'check.lua');
  writeFileSync(
    script,
    `local imeis = {${list.map((i) => `"${i}"`).join(',')}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/public/check?imei=" .. imeis[(i % #imeis) + 1])
end
`,
  );
  const port = await freePort();
  const stop = await startServer(port);
  const rows: Row[] = [];
  try {
    wrk(port, script, 1, 16); // warm-up, not reported
    for (const [t, c] of [
      [1, 16],
      [1, 64],
      [2, 128],
    ] as const) {
      rows.push(wrk(port, script, t, c));
      process.stderr.write(`${rows.at(-1)!.load}: ${Math.round(rows.at(-1)!.reqPerSec)}/s\n`);
    }
  } finally {
    await stop();
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    [
      `Public IMEI check, GET /api/v1/public/check (${values.rows}-row demo store, ${cpus().length} cores: ${cpu}; wrk ${values.seconds} s per step, ${list.length} IMEIs rotated)`,
      '',
      '| load (wrk) | requests/s | p50 | p99 | note |',
      '| --- | ---: | ---: | ---: | --- |',
      ...rows.map(
        (r) =>
          `| ${r.load} | ${Math.round(r.reqPerSec).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.note} |`,
      ),
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:api failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
