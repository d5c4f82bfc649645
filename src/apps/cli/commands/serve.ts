/**
 * `ceir serve`: the check servers (S13 Diameter, N5g-eir HTTP/2) in one worker process per core,
 * plus health and Prometheus metrics over HTTP/1.1, until SIGINT/SIGTERM; SIGHUP reloads the
 * snapshot from the latest list run. Options override the config's `server:` section.
 */
import { startServe } from '../../server/serve.js';
import { lowerBackgroundThreads } from '../../server/background-priority.js';
import { observationBatchCount } from '../../../core/observations/observation-batch.js';
import type { CloneFlagRecord } from '../../../core/ports/observation-store.js';
import type { Store } from '../../../core/ports/store.js';
import { CloneDetector } from '../../../eir/clone-detector.js';
import { ObservationSink } from '../../../eir/observation-sink.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';
import { pipelineMetrics } from '../../pipeline/pipeline-metrics.js';
import { observationMetricsText } from '../../server/observation-metrics.js';
import { startServePipeline } from '../../pipeline/pipeline-runner.js';
import { peopleApiForServe } from '../../server/api-server.js';
import { withWebUi } from '../../server/web-server.js';
import { followSnapshots, openSnapshotChannel } from '../../server/snapshot-follow.js';

export interface ServeCommandOptions {
  readonly s13Port?: string;
  readonly n5gPort?: string;
  readonly httpPort?: string;
  readonly host?: string;
  readonly workers?: string;
  /** `nats://...`: serve the snapshots published there (default: config server.snapshot_source). */
  readonly follow?: string;
  /** Port of the people-facing JSON API (default: config api.port). */
  readonly apiPort?: string;
}

function num(name: string, v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > max) throw new UsageError(`--${name} must be an integer 0-${max}`);
  return n;
}

export async function runServe(ctx: CliContext, opts: ServeCommandOptions): Promise<number> {
  const c = ctx.config.server;
  const p = c.policy;
  // One store user at a time (snapshot rebuilds and both buffers share this process's store).
  let queue: Promise<unknown> = Promise.resolve();
  const withStore = <T>(fn: (store: Store) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      try {
        const store = await ctx.openStore({ threads: c.store_threads });
        // The store's threads (created as it opens) yield the cores to the check workers.
        lowerBackgroundThreads();
        return await fn(store);
      } finally {
        await ctx.close();
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
  // Every check is an observation: the primary runs the one clone detector over all workers'
  // checks, and spills observations and flags to the store in batches (the store is opened only
  // for the write, so the CLI stays usable; a busy store keeps them buffered for the next try).
  const detector = new CloneDetector({
    threshold: c.clone_detector.threshold,
    windowSeconds: c.clone_detector.window_seconds,
    minPeers: c.clone_detector.min_peers,
    maxImeis: c.clone_detector.max_imeis,
  });
  const flagSink = new ObservationSink<CloneFlagRecord>({
    flush: (flags) => withStore((s) => s.appendCloneFlags(flags)),
    intervalMs: c.observation_flush_seconds * 1000,
    onError: (e) =>
      ctx.io.err(`ceir serve: clone flags kept for a later write: ${(e as Error).message}`),
  });
  // Observations wait for the store as the workers' batches of bytes (outside the JavaScript
  // heap: at 100,000 checks/s, ten seconds of them as objects kept the primary's garbage
  // collector busy); the detector reads them as numbers and the store as CSV written from them.
  const sink = new ObservationSink<Uint8Array>({
    flush: (batches) => withStore((s) => s.appendObservations(batches)),
    weight: observationBatchCount,
    batchSize: 500_000,
    intervalMs: c.observation_flush_seconds * 1000,
    onError: (e) =>
      ctx.io.err(`ceir serve: observations kept for a later write: ${(e as Error).message}`),
  });
  const onObservations = (bytes: Uint8Array): void => {
    sink.push(bytes);
    const flags = detector.observeBatch(bytes);
    if (flags.length > 0) {
      flagSink.pushAll(flags);
      for (const f of flags.slice(0, 10))
        ctx.io.err(
          `ceir serve: clone alert: IMEI ${f.imei} with ${f.imsis} IMSIs from ${f.peers} peers`,
        );
    }
  };
  const followUrl = opts.follow ?? c.snapshot_source;
  const policy = {
    malformedImei: p.malformed_imei,
    unknownTac: p.unknown_tac,
    unknownDevice: p.unknown_device,
    grey: p.grey,
  };
  const follow = followUrl
    ? followSnapshots(
        await openSnapshotChannel(ctx.config, followUrl, `ceir serve ${process.pid}`),
        policy,
        (l) => ctx.io.err(l),
      )
    : undefined;
  sink.start();
  flagSink.start();
  const api = peopleApiForServe(ctx, withStore, {
    host: opts.host ?? c.host,
    // With --http-port 0 (tests, benches) the API takes any free port too, unless given.
    port: num(
      'api-port',
      opts.apiPort ?? (opts.httpPort === '0' ? '0' : undefined),
      ctx.config.api.port,
      65535,
    ),
    // The web UI (docs/web.md) on the API's port: one API, one copy of the check data.
    site: (a) => withWebUi(a).site,
  });
  const handle = await startServe({
    ...(follow ? { follow } : {}),
    dataDir: ctx.dataDir,
    withStore,
    onObservations,
    onSnapshot: (path, followed) => api.onSnapshot(path, followed),
    host: opts.host ?? c.host,
    s13Port: num('s13-port', opts.s13Port, c.s13_port, 65535),
    n5gPort: num('n5g-port', opts.n5gPort, c.n5g_port, 65535),
    httpPort: num('http-port', opts.httpPort, c.http_port, 65535),
    workers: num('workers', opts.workers, c.workers, 1024),
    originHost: c.origin_host,
    originRealm: c.origin_realm,
    policy: {
      malformedImei: p.malformed_imei,
      unknownTac: p.unknown_tac,
      unknownDevice: p.unknown_device,
      grey: p.grey,
    },
    log: (l) => ctx.io.err(l),
    maxSnapshotAgeSeconds: ctx.config.observability.max_snapshot_age_hours * 3600,
    extraMetrics: () =>
      pipelineMetrics.text() +
      observationMetricsText(sink.stats(), flagSink.stats(), detector.stats()),
  });
  // The daily pipeline every pipeline.serve_interval_seconds, through withStore (docs/operations.md).
  const stopPipeline = startServePipeline(ctx, withStore);
  const host = opts.host ?? c.host;
  const { s13, n5g, http } = handle.ports;
  const apiPort = await api.start(() => handle.reload());
  const webUrl = apiPort === undefined ? undefined : `http://${host}:${apiPort}/`;
  ctx.print(
    { host, ports: handle.ports, workers: handle.workers, snapshot: handle.version() },
    () => [
      `ceir serve: listening on ${host} with ${handle.workers} worker(s), snapshot ${handle.version()}`,
      `  S13 (Diameter)        port ${s13}`,
      `  N5g-eir (HTTP/2)      port ${n5g}   http://${host}:${n5g}/n5g-eir-eic/v1/equipment-status?pei=imei-...`,
      `  health, metrics       port ${http}   http://${host}:${http}/health  /metrics`,
      apiPort === undefined
        ? '  people API (JSON)     not started (needs the DuckDB store)'
        : `  people API (JSON)     port ${apiPort}   http://${host}:${apiPort}/openapi.json  (docs/api.md)`,
      ...(webUrl
        ? [`  web UI                ${webUrl}   (docs/web.md; demo logins: ceir demo)`]
        : []),
      'Ctrl-C stops; SIGHUP reloads the lists (after `ceir listgen`).',
    ],
  );
  await handle.closed;
  await stopPipeline();
  await api.close();
  // The last observations and flags go to the store before the process ends.
  await sink.close();
  await flagSink.close();
  const d = detector.stats();
  ctx.io.err(
    `ceir serve: ${d.observed} checks observed, ${d.flags} clone alerts; observations written: ${sink.stats().flushed}`,
  );
  return 0;
}
