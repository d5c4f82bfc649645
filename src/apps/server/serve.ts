/**
 * `ceir serve`, the composition root of the real-time check engine (architecture.md "Real-time
 * check engine"). The primary process (node:cluster):
 * 1. opens the store, builds the snapshot of the latest list run into
 *    `<data>/snapshots/current.ceirsnap` (an empty snapshot when no list was ever generated: then
 *    every device is answered by the check policy, and the log says so), and closes the store
 *    again (DuckDB has one writer: the CLI stays usable while serving);
 * 2. forks the workers (serve-worker.ts, default one per core), each serving S13 and N5g-eir on
 *    ports shared by all workers;
 * 3. serves HTTP/1.1 itself on `httpPort`: `GET /health` (200 with the served snapshot's version
 *    and age; 503 while no worker serves a snapshot) and `GET /metrics` (Prometheus text). The
 *    metrics are aggregated here: workers send their counter deltas over IPC every
 *    `metricsIntervalMs` (default 1 s), so /metrics lags the checks by at most that;
 * 4. receives the workers' check observations in batches (bytes: `observation-batch.ts`) and
 *    hands them to `onObservations` (the hook for the real-time clone detector; a no-op by
 *    default);
 * 5. reloads on SIGHUP (rebuilds the snapshot from the store's latest list run, then every worker
 *    swaps it in atomically) and when `current.ceirsnap` is replaced by another program (file
 *    watch on the snapshot folder); stops on SIGINT/SIGTERM (workers close their servers: GOAWAY
 *    to HTTP/2 clients, DPR to Diameter peers).
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EirSnapshotData, EirSnapshotSource } from '../../core/ports/snapshot-source.js';
import { TAC_BITMAP_BYTES } from '../../core/ports/snapshot-source.js';
import { buildSnapshot } from '../../eir/build-snapshot.js';
import type { CheckPolicy } from '../../eir/check-engine.js';
import { snapshotFromData, writeSnapshot } from '../../eir/snapshot-format.js';
import {
  DURATION_BUCKETS,
  INTERFACES,
  type MetricsDelta,
  type PrimaryMessage,
  type WorkerMessage,
} from './serve-protocol.js';
import { observationBatchCount } from '../../core/observations/observation-batch.js';
import type { WorkerSettings } from './serve-worker.js';
import { AnswerDelays } from './answer-delay.js';
import type { FollowedVersion, SnapshotFollow } from './snapshot-follow.js';

export type { CheckObservation } from './serve-protocol.js';

export interface ServeOptions {
  readonly dataDir: string;
  /** Opens the store, runs `fn` with it and closes it again. */
  readonly withStore: <T>(fn: (source: EirSnapshotSource) => Promise<T>) => Promise<T>;
  readonly host: string;
  /** 0: any free port (the bound ports are in the handle and the ready line). */
  readonly s13Port: number;
  readonly n5gPort: number;
  readonly httpPort: number;
  /** Worker processes (0: os.availableParallelism()). */
  readonly workers: number;
  readonly originHost: string;
  readonly originRealm: string;
  readonly policy: Partial<CheckPolicy>;
  readonly log: (line: string) => void;
  readonly metricsIntervalMs?: number;
  /** Observations batched by a worker before sending (default 1,000). */
  readonly observationBatch?: number;
  /**
   * The clone detector's entry: every check of every worker, in batches of
   * `observation-batch.ts` bytes (`readObservationBatch`). Default: no-op.
   */
  readonly onObservations?: (batch: Uint8Array) => void;
  /** SIGINT/SIGTERM stop, SIGHUP reloads (default true). */
  readonly handleSignals?: boolean;
  /** Serve published snapshots (snapshot-follow.ts) instead of building them from the store. */
  readonly follow?: SnapshotFollow;
  /**
   * Called with the snapshot file whenever a new one is served (the people API follows it);
   * `followed`: a version followed from a snapshot channel.
   */
  readonly onSnapshot?: (path: string, followed?: boolean) => void;
  /** /health answers 503 (status "stale") when the served snapshot is older (s; 0: never). */
  readonly maxSnapshotAgeSeconds?: number;
  /** More Prometheus text for /metrics (the daily pipeline's, apps/pipeline/pipeline-metrics.ts). */
  readonly extraMetrics?: () => string;
}

export interface ServeHandle {
  readonly ports: { readonly s13: number; readonly n5g: number; readonly http: number };
  readonly workers: number;
  /** Version of the snapshot every worker serves. */
  version(): string;
  /** Rebuilds the snapshot from the store's latest list run; every worker swaps it in. */
  reload(): Promise<string>;
  /** Graceful stop; resolves when every worker has exited. */
  close(): Promise<void>;
  /** Resolves when the server has stopped (by close() or a signal). */
  readonly closed: Promise<void>;
}

export const SNAPSHOT_FILE = 'current.ceirsnap';
const WORKER_PATH = fileURLToPath(new URL('./serve-worker.js', import.meta.url));
const WORKER_EXIT_TIMEOUT_MS = 10_000;
const RELOAD_TIMEOUT_MS = 60_000;

/** The lists of a store where no list was ever generated: nothing listed. */
export function emptySnapshotData(): EirSnapshotData {
  return {
    listRun: 0,
    asOf: '',
    reasonSets: [[]],
    black: { imeis: new Float64Array(0), reasonSets: new Uint16Array(0) },
    grey: { imeis: new Float64Array(0), reasonSets: new Uint16Array(0) },
    exceptions: { imeis: new Float64Array(0), imsis: new Float64Array(0) },
    golden: new Float64Array(0),
    tacBitmap: new Uint8Array(TAC_BITMAP_BYTES),
    tacCount: 0,
    malformed: [],
  };
}

interface Built {
  readonly version: string;
  readonly empty: boolean;
  readonly ino: number;
}

/** Builds `<dir>/current.ceirsnap` from the latest list run (empty when there is none). */
async function build(o: ServeOptions, path: string): Promise<Built> {
  const policy = o.policy;
  const r = await o.withStore(async (source) => {
    try {
      const b = await buildSnapshot(source, path, { policy });
      const v = b.snapshot.version;
      return { version: v.id, empty: v.listRun === 0, counts: b.snapshot.counts };
    } catch (e) {
      // No list run at all (a store that reports it by a RangeError): an empty snapshot.
      if (!(e instanceof RangeError)) throw e;
      const { snapshot } = await writeSnapshot(
        path,
        snapshotFromData(emptySnapshotData(), { policy }),
      );
      return { version: snapshot.version.id, empty: true, counts: snapshot.counts };
    }
  });
  if (r.empty)
    o.log(
      'ceir serve: no lists yet: every device is answered by the unknown-equipment policy ' +
        `(${policyText(o.policy)})`,
    );
  else
    o.log(
      `ceir serve: snapshot ${r.version}: ${r.counts.black} black, ${r.counts.grey} pending, ` +
        `${r.counts.golden} golden, ${r.counts.exceptions} exception IMEIs`,
    );
  return { version: r.version, empty: r.empty, ino: statSync(path).ino };
}

function policyText(p: Partial<CheckPolicy>): string {
  return `unknown device: ${p.unknownDevice ?? 'whitelisted'}, unknown TAC: ${p.unknownTac ?? 'unknown'}, malformed IMEI: ${p.malformedImei ?? 'unknown'}`;
}

/** Parses a snapshot version id `r<run>-<as-of|none>-<created ISO>`. */
function versionParts(id: string): { listRun: number; asOf: string; createdAt: string } | null {
  const m = /^r(\d+)-(\d{4}-\d{2}-\d{2}|none)-(.+)$/.exec(id);
  return m ? { listRun: Number(m[1]), asOf: m[2] === 'none' ? '' : m[2]!, createdAt: m[3]! } : null;
}

/** Counters summed over every worker. */
class Metrics {
  readonly checks = new Map<string, number>();
  readonly histograms = INTERFACES.map(() => ({
    buckets: new Float64Array(DURATION_BUCKETS.length + 1),
    sum: 0,
    count: 0,
  }));
  readonly answerDelays = new AnswerDelays();
  observations = 0;
  droppedObservations = 0;
  reloads = 0;
  reloadFailures = 0;

  add(d: MetricsDelta): void {
    for (const [k, v] of Object.entries(d.checks))
      this.checks.set(k, (this.checks.get(k) ?? 0) + v);
    d.histograms.forEach((h, i) => {
      const t = this.histograms[i]!;
      h.buckets.forEach((n, b) => (t.buckets[b]! += n));
      t.sum += h.sum;
      t.count += h.count;
    });
    this.droppedObservations += d.droppedObservations;
    this.answerDelays.add(d.answerDelay);
  }

  text(served: ReadonlyMap<string, number>, workers: number, ageSeconds: number | null): string {
    const l: string[] = [];
    l.push('# HELP ceir_checks_total Equipment checks answered, by interface and status.');
    l.push('# TYPE ceir_checks_total counter');
    for (const [k, v] of [...this.checks].sort()) {
      const [iface, status] = k.split('|');
      l.push(`ceir_checks_total{interface="${iface}",status="${status}"} ${v}`);
    }
    l.push(
      '# HELP ceir_check_duration_seconds Time the check engine takes to decide, by interface.',
    );
    l.push('# TYPE ceir_check_duration_seconds histogram');
    INTERFACES.forEach((iface, i) => {
      const h = this.histograms[i]!;
      let cum = 0;
      DURATION_BUCKETS.forEach((le, b) => {
        cum += h.buckets[b]!;
        l.push(`ceir_check_duration_seconds_bucket{interface="${iface}",le="${le}"} ${cum}`);
      });
      l.push(`ceir_check_duration_seconds_bucket{interface="${iface}",le="+Inf"} ${h.count}`);
      l.push(`ceir_check_duration_seconds_sum{interface="${iface}"} ${h.sum}`);
      l.push(`ceir_check_duration_seconds_count{interface="${iface}"} ${h.count}`);
    });
    l.push(...this.answerDelays.lines());
    l.push('# HELP ceir_snapshot_info Snapshot served: number of workers serving each version.');
    l.push('# TYPE ceir_snapshot_info gauge');
    for (const [v, n] of served) l.push(`ceir_snapshot_info{version="${v}"} ${n}`);
    if (ageSeconds !== null) {
      l.push('# HELP ceir_snapshot_age_seconds Seconds since the served snapshot was built.');
      l.push('# TYPE ceir_snapshot_age_seconds gauge');
      l.push(`ceir_snapshot_age_seconds ${ageSeconds.toFixed(3)}`);
    }
    l.push('# HELP ceir_workers Check worker processes serving a snapshot.');
    l.push('# TYPE ceir_workers gauge');
    l.push(`ceir_workers ${workers}`);
    l.push('# HELP ceir_snapshot_reloads_total Snapshot reloads (successful, failed).');
    l.push('# TYPE ceir_snapshot_reloads_total counter');
    l.push(`ceir_snapshot_reloads_total{outcome="ok"} ${this.reloads}`);
    l.push(`ceir_snapshot_reloads_total{outcome="failed"} ${this.reloadFailures}`);
    l.push('# HELP ceir_observations_total Check observations received from the workers.');
    l.push('# TYPE ceir_observations_total counter');
    l.push(`ceir_observations_total ${this.observations}`);
    l.push(
      '# HELP ceir_observations_dropped_total Observations a worker dropped (the primary fell behind by more than 32 MB).',
    );
    l.push('# TYPE ceir_observations_dropped_total counter');
    l.push(`ceir_observations_dropped_total ${this.droppedObservations}`);
    const mem = process.memoryUsage();
    l.push('# HELP process_resident_memory_bytes Resident memory of the primary process.');
    l.push('# TYPE process_resident_memory_bytes gauge');
    l.push(`process_resident_memory_bytes ${mem.rss}`);
    return `${l.join('\n')}\n`;
  }
}

interface WorkerState {
  readonly worker: Worker;
  version: string | undefined;
  ready: boolean;
}

/** Starts the primary: snapshot, workers, HTTP endpoint. Resolves when every worker listens. */
export async function startServe(o: ServeOptions): Promise<ServeHandle> {
  if (!cluster.isPrimary) throw new Error('startServe runs in the primary process');
  const onObservations = o.onObservations ?? ((): void => {});
  const dir = join(o.dataDir, 'snapshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, SNAPSHOT_FILE);
  let built = o.follow
    ? { ...(await o.follow.start(path)), ino: statSync(path).ino }
    : await build(o, path);
  o.onSnapshot?.(path);
  const count = o.workers > 0 ? o.workers : availableParallelism();
  const metrics = new Metrics();
  const states = new Map<number, WorkerState>();
  let shuttingDown = false;
  let ports = { s13: o.s13Port, n5g: o.n5gPort };
  const reloadWaiters = new Set<(m: WorkerMessage, id: number) => void>();

  cluster.setupPrimary({
    exec: WORKER_PATH,
    execArgv: process.execArgv.filter((a) => !a.startsWith('--test')),
    silent: false,
    // Observation batches are bytes (observation-batch.ts): sent as such, not as JSON.
    serialization: 'advanced',
  });

  let readyResolve: (() => void) | undefined;
  let readyReject: ((e: Error) => void) | undefined;
  const allReady = new Promise<void>((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });

  const settings = (): WorkerSettings => ({
    snapshot: path,
    host: o.host,
    // The configured ports, not the bound ones: workers listening on 0 share one free port (the
    // cluster hands out the same handle for the same listen call of every worker).
    s13Port: o.s13Port,
    n5gPort: o.n5gPort,
    originHost: o.originHost,
    originRealm: o.originRealm,
    policy: o.policy,
    metricsIntervalMs: o.metricsIntervalMs ?? 1000,
    observationBatch: o.observationBatch ?? 1000,
  });

  // Following a snapshot channel: the latest version followed, the one waiting for the file,
  // and the file write in progress (writeFile below).
  let followed: string | undefined;
  let waiting: FollowedVersion | undefined;
  let writes: Promise<void> | undefined;

  const fork = (): void => {
    const worker = cluster.fork({ CEIR_SERVE_WORKER: JSON.stringify(settings()) });
    const st: WorkerState = { worker, version: undefined, ready: false };
    states.set(worker.id, st);
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'ready':
          st.ready = true;
          st.version = m.version;
          // A worker restarted while the file was behind the followed version: once the file
          // has caught up, it loads it (issue 7: a restarted server converges).
          if (followed !== undefined && m.version !== followed)
            void (writes ?? Promise.resolve()).then(() => {
              if (worker.isConnected()) worker.send({ type: 'reload', path } as PrimaryMessage);
            });
          ports = { s13: m.s13Port, n5g: m.n5gPort };
          if ([...states.values()].filter((s) => s.ready).length === count) readyResolve?.();
          break;
        case 'loaded':
          st.version = m.version;
          break;
        case 'metrics':
          metrics.add(m.delta);
          break;
        case 'observations':
          try {
            metrics.observations += observationBatchCount(m.batch);
            onObservations(m.batch);
          } catch (e) {
            o.log(`ceir serve: observation hook failed: ${(e as Error).message}`);
          }
          break;
        default:
          break;
      }
      for (const w of reloadWaiters) w(m, worker.id);
    });
    worker.on('exit', (code, signal) => {
      states.delete(worker.id);
      if (shuttingDown) return;
      if (!st.ready) {
        readyReject?.(
          new Error(`worker ${worker.process.pid} failed to start (${signal ?? code})`),
        );
        return;
      }
      o.log(`ceir serve: worker ${worker.process.pid} exited (${signal ?? code}); restarting`);
      fork();
    });
  };

  // HTTP/1.1: health and metrics.
  const served = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (const s of states.values())
      if (s.ready && s.version) m.set(s.version, (m.get(s.version) ?? 0) + 1);
    return m;
  };
  const ageOf = (version: string | undefined): number | null => {
    const p = version ? versionParts(version) : null;
    return p ? (Date.now() - Date.parse(p.createdAt)) / 1000 : null;
  };
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url === '/health') {
      const versions = served();
      const current = [...versions.keys()].sort().at(-1);
      const parts = current ? versionParts(current) : null;
      const age = ageOf(current);
      const stale =
        Boolean(o.maxSnapshotAgeSeconds) && age !== null && age > o.maxSnapshotAgeSeconds!;
      const body = current
        ? {
            status: stale ? 'stale' : versions.size === 1 ? 'ok' : 'reloading',
            ...(o.follow ? { follow: o.follow.status() } : {}),
            snapshot: {
              version: current,
              list_run: parts?.listRun ?? null,
              as_of: parts?.asOf || null,
              created_at: parts?.createdAt ?? null,
              age_seconds: ageOf(current),
              empty: built.empty,
            },
            workers: {
              serving: [...versions.values()].reduce((a, b) => a + b, 0),
              configured: count,
            },
            versions: Object.fromEntries(versions),
            ports: { s13: ports.s13, n5g: ports.n5g, http: httpPort },
          }
        : {
            status: 'unavailable',
            reason: 'no snapshot served',
            workers: { serving: 0, configured: count },
          };
      res
        .writeHead(current && !stale ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
      return;
    }
    if (url === '/metrics') {
      const versions = served();
      const current = [...versions.keys()].sort().at(-1);
      const n = [...versions.values()].reduce((a, b) => a + b, 0);
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(
          metrics.text(versions, n, ageOf(current)) +
            (o.follow?.metricsText() ?? '') +
            (o.extraMetrics?.() ?? ''),
        );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404}');
  });
  const httpPort = await new Promise<number>((res, rej) => {
    http.once('error', rej);
    http.listen(o.httpPort, o.host, () => {
      http.off('error', rej);
      res((http.address() as AddressInfo).port);
    });
  });

  // Workers: the first fixes the ports (with port 0, the others then share the same ones).
  fork();
  await new Promise<void>((res, rej) => {
    const check = setInterval(() => {
      const first = [...states.values()][0];
      if (first?.ready) {
        clearInterval(check);
        res();
      }
    }, 10);
    allReady.catch((e: unknown) => {
      clearInterval(check);
      rej(e as Error);
    });
  }).catch(async (e: unknown) => {
    http.close();
    throw e;
  });
  for (let i = 1; i < count; i++) fork();
  try {
    await allReady;
  } catch (e) {
    shuttingDown = true;
    for (const s of states.values()) s.worker.kill();
    http.close();
    throw e;
  }

  const broadcast = (m: PrimaryMessage): void => {
    for (const s of states.values()) if (s.worker.isConnected()) s.worker.send(m);
  };

  /** Tells every worker to load the snapshot file; resolves when all have (or one failed). */
  const loadEverywhere = (
    expected: string | undefined,
    message: PrimaryMessage = { type: 'reload', path },
  ): Promise<string> =>
    new Promise<string>((res, rej) => {
      const pending = new Set([...states.values()].filter((s) => s.ready).map((s) => s.worker.id));
      let version = expected ?? '';
      let failure: string | undefined;
      const timer = setTimeout(
        () => done(new Error('snapshot reload timed out')),
        RELOAD_TIMEOUT_MS,
      );
      const waiter = (m: WorkerMessage, id: number): void => {
        if (m.type !== 'loaded' && m.type !== 'load-failed') return;
        if (m.type === 'loaded') version = m.version;
        else failure = m.error;
        pending.delete(id);
        if (pending.size === 0) done(failure ? new Error(failure) : undefined);
      };
      const done = (e?: Error): void => {
        clearTimeout(timer);
        reloadWaiters.delete(waiter);
        if (e) {
          metrics.reloadFailures++;
          rej(e);
        } else {
          metrics.reloads++;
          res(version);
        }
      };
      reloadWaiters.add(waiter);
      if (pending.size === 0) done();
      else broadcast(message);
    });

  let reloading: Promise<string> | undefined;
  // The snapshot file follows the versions for workers started later and for the people API.
  // One write at a time; a version that arrives during a write replaces any waiting one, so only
  // the latest is written next (150 MB at 10M IMEIs: seconds on a busy machine). Resolves once
  // the version given, or a newer one, is in the file.
  const writeLatest = async (): Promise<void> => {
    await Promise.resolve(); // `writes` is set before the loop can end
    try {
      while (waiting) {
        const w = waiting;
        waiting = undefined;
        try {
          await w.write();
          built = { version: w.version, empty: false, ino: statSync(path).ino };
          o.onSnapshot?.(path, true);
        } catch (e) {
          o.log(`ceir serve: snapshot file not written: ${(e as Error).message}`);
        }
      }
    } finally {
      writes = undefined;
    }
  };
  const writeFile = (v: FollowedVersion): Promise<void> => {
    waiting = v;
    if (!writes) writes = writeLatest();
    return writes;
  };
  o.follow?.onVersion(async (v) => {
    followed = v.version;
    // A delta goes to the workers first (each applies it in memory); when every worker has, the
    // file is written in the background, so the next version does not wait behind it.
    const applied =
      v.delta !== undefined &&
      (await loadEverywhere(v.version, { type: 'delta', ...v.delta }).then(
        () => true,
        () => false,
      ));
    if (applied && [...states.values()].every((st) => !st.ready || st.version === v.version)) {
      void writeFile(v);
      return;
    }
    await writeFile(v);
    await loadEverywhere(v.version);
  });
  const reload = (): Promise<string> => {
    reloading ??= (async () => {
      try {
        if (!o.follow) built = await build(o, path);
        o.onSnapshot?.(path);
        const v = await loadEverywhere(built.version);
        o.log(`ceir serve: reloaded: serving snapshot ${v} in ${states.size} worker(s)`);
        return v;
      } catch (e) {
        o.log(
          `ceir serve: reload failed, still serving the previous snapshot: ${(e as Error).message}`,
        );
        throw e;
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };

  // Another program replacing current.ceirsnap (e.g. a snapshot shipped from elsewhere).
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  try {
    watcher = watch(dir, (_event, name) => {
      if (name !== SNAPSHOT_FILE || reloading) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        let ino: number;
        try {
          ino = statSync(path).ino;
        } catch {
          return;
        }
        if (ino === built.ino || reloading) return;
        built = { version: '', empty: false, ino };
        loadEverywhere(undefined).then(
          (v) => o.log(`ceir serve: ${SNAPSHOT_FILE} replaced: serving snapshot ${v}`),
          (e: unknown) =>
            o.log(`ceir serve: ${SNAPSHOT_FILE} replaced but refused: ${(e as Error).message}`),
        );
      }, 200);
    });
    watcher.on('error', () => {});
  } catch {
    // No file watch on this file system: SIGHUP still reloads.
  }

  let closedResolve: () => void = () => {};
  const closed = new Promise<void>((res) => (closedResolve = res));
  let closing: Promise<void> | undefined;
  const onSigHup = (): void => void reload().catch(() => {});
  const onStop = (signal: string) => (): void => {
    o.log(`ceir serve: ${signal}: stopping`);
    void close();
  };
  const onInt = onStop('SIGINT');
  const onTerm = onStop('SIGTERM');
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      watcher?.close();
      await o.follow?.close();
      clearTimeout(debounce);
      if (o.handleSignals !== false) {
        process.off('SIGHUP', onSigHup);
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
      const exits = [...states.values()].map(
        (s) =>
          new Promise<void>((res) => {
            if (s.worker.isDead()) return res();
            const t = setTimeout(() => s.worker.kill('SIGKILL'), WORKER_EXIT_TIMEOUT_MS);
            s.worker.once('exit', () => {
              clearTimeout(t);
              res();
            });
          }),
      );
      broadcast({ type: 'shutdown' });
      await Promise.all(exits);
      const httpClosed = new Promise<void>((res) => http.close(() => res()));
      http.closeAllConnections();
      await httpClosed;
      o.log('ceir serve: stopped');
      closedResolve();
    })();
    return closing;
  };
  if (o.handleSignals !== false) {
    process.on('SIGHUP', onSigHup);
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  }

  return {
    ports: { s13: ports.s13, n5g: ports.n5g, http: httpPort },
    workers: count,
    version: () => [...served().keys()].sort().at(-1) ?? '',
    reload,
    close,
    closed,
  };
}
