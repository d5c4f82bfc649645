/**
 * Small load tool for the N5g-eir server, loopback only (127.0.0.1), bounded in time and count.
 *
 *   node dist/apps/server/n5g-eir-load.js serve [--port 8081] [--duration 60] [--max-in-flight N]
 *       [--max-lag-ms L] [--max-streams S]
 *       start the server with an in-memory fake checker (for h2load), stop after --duration s
 *   node dist/apps/server/n5g-eir-load.js run [--port P] [--connections 1] [--streams 100]
 *       [--duration 10] [--count 1000000] [--rate R]
 *       drive a server (an in-process one when --port is absent) with `connections` HTTP/2
 *       connections of `streams` concurrent streams each (closed loop), or at `rate` req/s
 *       (open loop); print req/s, p50/p99/max latency and the status codes seen.
 */
import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';
import type {
  EquipmentChecker,
  EquipmentCheckResult,
  EquipmentStatus,
} from '../../core/check/equipment-check.js';
import { createN5gEirServer } from './n5g-eir-server.js';

const HOST = '127.0.0.1';
const STATUSES: EquipmentStatus[] = ['WHITELISTED', 'BLACKLISTED', 'GREYLISTED'];

/** Fake checker: a status from the last IMEI digit; `...9` unknown. */
class SyntheticChecker implements EquipmentChecker {
  readonly version = 'load-test';
  private readonly answers: EquipmentCheckResult[] = STATUSES.map((status) => ({
    kind: 'status',
    status,
    reasons: [],
  }));
  private readonly unknown: EquipmentCheckResult = { kind: 'unknown', reasons: [] };
  check(imei: string): EquipmentCheckResult {
    const d = imei.charCodeAt(13) - 48;
    return d === 9 ? this.unknown : (this.answers[d % 3] ?? this.unknown);
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number`);
  return v;
}

function has(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

async function serve(): Promise<void> {
  const checker = new SyntheticChecker();
  const server = createN5gEirServer({
    checker: () => checker,
    maxConcurrentStreams: arg('max-streams', 256),
    ...(has('max-in-flight') || has('max-lag-ms')
      ? {
          overload: {
            maxInFlight: arg('max-in-flight', 1_000_000),
            ...(has('max-lag-ms') ? { maxEventLoopLagMs: arg('max-lag-ms', 20) } : {}),
          },
        }
      : {}),
  });
  const port = await server.listen(arg('port', 8081), HOST);
  const seconds = Math.min(arg('duration', 60), 3600);
  console.log(`n5g-eir serving on http://${HOST}:${port} for ${seconds} s`);
  console.log(
    `try: h2load -n 200000 -c 4 -m 100 'http://${HOST}:${port}/n5g-eir-eic/v1/equipment-status?pei=imei-352099001761480'`,
  );
  const mem = setInterval(() => {
    const m = process.memoryUsage();
    console.log(
      `rss ${(m.rss / 1e6).toFixed(0)} MB, heap ${(m.heapUsed / 1e6).toFixed(0)} MB, in flight ${server.inFlight()}`,
    );
  }, 5000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(mem);
  await server.close();
}

async function run(): Promise<void> {
  let port = arg('port', 0);
  let own: ReturnType<typeof createN5gEirServer> | undefined;
  if (port === 0) {
    const checker = new SyntheticChecker();
    own = createN5gEirServer({ checker: () => checker, maxConcurrentStreams: 1000 });
    port = await own.listen(0, HOST);
  }
  const connections = Math.max(1, Math.min(arg('connections', 1), 64));
  const streams = Math.max(1, Math.min(arg('streams', 100), 1000));
  const durationMs = Math.min(arg('duration', 10), 600) * 1000;
  const maxCount = Math.min(arg('count', 1_000_000), 50_000_000);
  const rate = arg('rate', 0);

  const latencies = new Float64Array(Math.min(maxCount, 20_000_000));
  const codes = new Map<number, number>();
  let sent = 0;
  let done = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const sessions = Array.from({ length: connections }, () => {
    const s = http2.connect(`http://${HOST}:${port}`, { settings: { enablePush: false } });
    s.on('error', () => {});
    return s;
  });

  await new Promise<void>((resolveAll) => {
    let finished = false;
    const finish = (): void => {
      if (!finished && done >= sent && (sent >= maxCount || performance.now() >= deadline)) {
        finished = true;
        resolveAll();
      }
    };
    const one = (session: http2.ClientHttp2Session, next: boolean): void => {
      if (sent >= maxCount || performance.now() >= deadline) {
        finish();
        return;
      }
      const n = sent++;
      const imei = `35209900${String(n % 1_000_000).padStart(6, '0')}0`;
      const start = performance.now();
      const req = session.request(
        { ':method': 'GET', ':path': `/n5g-eir-eic/v1/equipment-status?pei=imei-${imei}` },
        { endStream: true },
      );
      req.on('response', (h) => {
        const c = Number(h[':status']);
        codes.set(c, (codes.get(c) ?? 0) + 1);
      });
      req.on('data', () => {});
      req.on('close', () => {
        if (done < latencies.length) latencies[done] = performance.now() - start;
        done++;
        if (next) one(session, true);
        else finish();
      });
      req.on('error', () => {
        errors++;
      });
    };
    if (rate > 0) {
      // Open loop: `rate` requests a second spread over the connections, 1 ms ticks.
      let i = 0;
      const perTick = rate / 1000;
      let credit = 0;
      const tick = setInterval(() => {
        credit += perTick;
        while (credit >= 1) {
          credit--;
          one(sessions[i++ % connections] as http2.ClientHttp2Session, false);
        }
        if (sent >= maxCount || performance.now() >= deadline) {
          clearInterval(tick);
          finish();
        }
      }, 1);
    } else {
      for (const s of sessions) for (let k = 0; k < streams; k++) one(s, true);
    }
  });

  const elapsed = (performance.now() - t0) / 1000;
  const lat = latencies.subarray(0, Math.min(done, latencies.length)).sort();
  const pct = (p: number): string =>
    lat.length ? (lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0).toFixed(2) : '-';
  console.log(
    `${done} requests in ${elapsed.toFixed(2)} s: ${(done / elapsed).toFixed(0)} req/s; ` +
      `latency ms p50 ${pct(0.5)} p99 ${pct(0.99)} max ${pct(1)}; ` +
      `codes ${[...codes].map(([c, n]) => `${c}:${n}`).join(' ')}; errors ${errors}`,
  );
  for (const s of sessions) s.close();
  if (own) await own.close();
}

const mode = process.argv[2];
if (mode === 'serve') await serve();
else if (mode === 'run') await run();
else {
  console.error('usage: n5g-eir-load.js serve|run [options] (see the file header)');
  process.exitCode = 2;
}
