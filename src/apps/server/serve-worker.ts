/**
 * One check worker of `ceir serve` (a node:cluster worker forked by serve.ts): loads the snapshot
 * into a SnapshotHolder, runs the S13 (Diameter) and N5g-eir (HTTP/2) servers on ports shared by
 * every worker, and talks to the primary over IPC:
 * - to the primary: `ready` (bound ports, served version), `loaded` / `load-failed` after a
 *   reload, `metrics` (counter and histogram deltas, every `metricsIntervalMs`), `observations`
 *   (batches of checks, for the primary's clone detector), `closed`;
 * - from the primary: `reload` (a snapshot path: read, verify, swap atomically), `shutdown`
 *   (close the servers: GOAWAY to HTTP/2 clients, DPR to Diameter peers; flush; exit 0).
 * SIGINT and SIGHUP are ignored here (a terminal sends them to the whole process group; the
 * primary coordinates); SIGTERM sent to a worker alone shuts it down.
 */
import cluster from 'node:cluster';
import { performance } from 'node:perf_hooks';
import type { EquipmentCheckResult, EquipmentChecker } from '../../core/check/equipment-check.js';
import type { CheckPolicy } from '../../eir/check-engine.js';
import { SnapshotHolder } from '../../eir/snapshot-holder.js';
import { createN5gEirServer } from './n5g-eir-server.js';
import {
  OBSERVED_STATUSES,
  ObservationBatchWriter,
  observedStatusCode,
  type CheckedRequest,
} from '../../core/observations/observation-batch.js';
import { AnswerDelays } from './answer-delay.js';
import { createS13Server } from './s13-server.js';
import { applyDeltaMessage } from './snapshot-follow-worker.js';
import {
  DURATION_BUCKETS,
  INTERFACES,
  statusLabel,
  type CheckInterface,
  type MetricsDelta,
  type PrimaryMessage,
  type WorkerMessage,
} from './serve-protocol.js';

/** What the primary gives each worker (JSON in the CEIR_SERVE_WORKER environment variable). */
export interface WorkerSettings {
  readonly snapshot: string;
  readonly host: string;
  readonly s13Port: number;
  readonly n5gPort: number;
  readonly originHost: string;
  readonly originRealm: string;
  readonly policy: Partial<CheckPolicy>;
  readonly metricsIntervalMs: number;
  /** Observations sent at once at most (a fuller batch is sent before the interval ends). */
  readonly observationBatch: number;
}

/** Counters for one interval; sent to the primary as a delta and reset. */
class WorkerMetrics {
  /** Checks by interface and status: [interface * statuses + status code]. */
  checks = new Float64Array(INTERFACES.length * OBSERVED_STATUSES.length);
  buckets = INTERFACES.map(() => new Float64Array(DURATION_BUCKETS.length + 1));
  sums = INTERFACES.map(() => 0);
  counts = INTERFACES.map(() => 0);
  dropped = 0;
  readonly answerDelays = new AnswerDelays();

  record(iface: number, status: string, seconds: number): void {
    this.checks[iface * OBSERVED_STATUSES.length + observedStatusCode(status)]!++;
    let b = 0;
    while (b < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[b]!) b++;
    this.buckets[iface]![b]!++;
    this.sums[iface]! += seconds;
    this.counts[iface]!++;
  }

  take(): MetricsDelta {
    const checks: Record<string, number> = {};
    this.checks.forEach((n, k) => {
      if (n === 0) return;
      const iface = INTERFACES[Math.floor(k / OBSERVED_STATUSES.length)]!;
      checks[`${iface}|${OBSERVED_STATUSES[k % OBSERVED_STATUSES.length]!}`] = n;
    });
    const d: MetricsDelta = {
      checks,
      histograms: INTERFACES.map((_, i) => ({
        buckets: [...this.buckets[i]!],
        sum: this.sums[i]!,
        count: this.counts[i]!,
      })),
      droppedObservations: this.dropped,
      answerDelay: this.answerDelays.take(),
    };
    this.checks.fill(0);
    this.buckets = INTERFACES.map(() => new Float64Array(DURATION_BUCKETS.length + 1));
    this.sums = INTERFACES.map(() => 0);
    this.counts = INTERFACES.map(() => 0);
    this.dropped = 0;
    return d;
  }
}

/**
 * A checker that times each decision and counts it under one interface. A burst (`checkMany`,
 * the S13 server's bulk path) is timed as a whole, each decision counted at its share.
 */
function timed(holder: SnapshotHolder, iface: number, m: WorkerMetrics): EquipmentChecker {
  return {
    get version() {
      return holder.version;
    },
    check(imei: string, imsi?: string): EquipmentCheckResult {
      const t0 = performance.now();
      const r = holder.check(imei, imsi);
      m.record(iface, statusLabel(r), (performance.now() - t0) / 1000);
      return r;
    },
    checkMany(imeis, imsis, out, n = imeis.length): void {
      const t0 = performance.now();
      holder.checkMany(imeis, imsis, out, n);
      const each = (performance.now() - t0) / 1000 / Math.max(1, n);
      for (let i = 0; i < n; i++) m.record(iface, statusLabel(out[i]!), each);
    },
  };
}

const S13_MAX_IN_FLIGHT = 1024;
const OBSERVATION_BACKLOG_BYTES = 32 * 1024 * 1024;

export async function runWorker(s: WorkerSettings): Promise<void> {
  const send = (m: WorkerMessage): void => {
    if (process.connected) process.send?.(m);
  };
  const holder = await SnapshotHolder.open(s.snapshot, s.policy);
  const metrics = new WorkerMetrics();
  // Observations go to the primary as bytes (observation-batch.ts), not as objects: no garbage
  // per check that outlives the young generation.
  const queue = new ObservationBatchWriter();
  const observe = (
    iface: CheckInterface,
    o: CheckedRequest,
    result: EquipmentCheckResult,
    version: string,
  ): void => {
    const status = statusLabel(result);
    if (!queue.add(iface, o, status, version)) {
      flushObservations();
      queue.add(iface, o, status, version);
    }
    if (queue.count >= s.observationBatch) flushObservations();
  };
  // Bounded memory when the primary falls behind: batches beyond this many bytes not yet written
  // to the IPC channel are dropped and counted (ceir_observations_dropped_total).
  let unsentBytes = 0;
  const flushObservations = (): void => {
    const n = queue.count;
    const batch = queue.take();
    if (!batch) return;
    if (unsentBytes > OBSERVATION_BACKLOG_BYTES || !process.connected || !process.send) {
      metrics.dropped += n;
      return;
    }
    unsentBytes += batch.length;
    process.send({ type: 'observations', batch }, undefined, {}, () => {
      unsentBytes -= batch.length;
    });
  };
  const flush = (): void => {
    flushObservations();
    send({ type: 'metrics', delta: metrics.take() });
  };
  const iface = (name: CheckInterface) => INTERFACES.indexOf(name);

  const s13 = createS13Server({
    checker: () => s13Checker,
    originHost: s.originHost,
    originRealm: s.originRealm,
    productName: 'OpenCEIR',
    answerDelays: metrics.answerDelays,
    // About 5-10 ms of checking at 100,000-200,000 ECR/s per worker: beyond, a request read is
    // answered 3004 at once (shed early, domain.md section 6).
    overload: { maxInFlight: S13_MAX_IN_FLIGHT },
    onCheck: (o) => observe('s13', o, o.result, holder.version),
  });
  const s13Checker = timed(holder, iface('s13'), metrics);
  const n5gChecker = timed(holder, iface('n5g-eir'), metrics);
  const n5g = createN5gEirServer({
    checker: () => n5gChecker,
    overload: { maxInFlight: 10_000 },
    onCheck: (o) => observe('n5g-eir', o, o.result, o.version),
  });
  const s13Port = await s13.listen(s.s13Port, s.host);
  const n5gPort = await n5g.listen(s.n5gPort, s.host);
  const timer = setInterval(flush, s.metricsIntervalMs);
  timer.unref();

  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    clearInterval(timer);
    await Promise.allSettled([s13.close(), n5g.close()]);
    flush();
    // Exit once the last messages are written to the IPC channel (or at once without one).
    if (process.connected && process.send) process.send({ type: 'closed' }, () => process.exit(0));
    else process.exit(0);
  };

  process.on('message', (m: PrimaryMessage) => {
    if (m.type === 'reload') {
      holder.load(m.path).then(
        (served) => send({ type: 'loaded', version: served.version.id }),
        (e: unknown) => send({ type: 'load-failed', error: (e as Error).message }),
      );
    } else if (m.type === 'delta') {
      try {
        send({ type: 'loaded', version: applyDeltaMessage(holder, m, s.policy) });
      } catch (e) {
        send({ type: 'load-failed', error: (e as Error).message });
      }
    } else if (m.type === 'shutdown') void shutdown();
  });
  process.on('SIGINT', () => {});
  process.on('SIGHUP', () => {});
  process.on('SIGTERM', () => void shutdown());
  process.on('disconnect', () => void shutdown());
  send({ type: 'ready', s13Port, n5gPort, version: holder.version });
}

if (cluster.isWorker && process.env.CEIR_SERVE_WORKER) {
  const settings = JSON.parse(process.env.CEIR_SERVE_WORKER) as WorkerSettings;
  runWorker(settings).catch((e: unknown) => {
    process.stderr.write(`ceir serve worker ${process.pid}: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
