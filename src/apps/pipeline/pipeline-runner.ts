/**
 * Runs pipeline passes: once (`ceir pipeline run --once`), in a loop (`ceir pipeline run`), or
 * on a timer inside `ceir serve` (through serve's one-store-user-at-a-time queue). A pass holds
 * the store from start to end and passes never overlap; a pass that finds the store busy (another
 * process holds it) is skipped and tried at the next tick.
 */
import { join } from 'node:path';
import { CeirFailure } from '../../core/errors.js';
import type { Store } from '../../core/ports/store.js';
import type { CliContext } from '../cli/cli-context.js';
import { createLogger, newJobId, type Logger } from '../observability/logger.js';
import { OutboxNotifier } from './outbox-notifier.js';
import type { PipelineEnv } from './pipeline-env.js';
import { pipelineMetrics } from './pipeline-metrics.js';
import { runPipelinePass, type PassSummary } from './pipeline-pass.js';

/** The environment of a pass in this process: its clock, JSON log, outbox and metrics. */
export function pipelineEnv(ctx: CliContext, log?: Logger): PipelineEnv {
  const logger =
    log ??
    createLogger({
      level: ctx.config.observability.log_level,
      base: { component: 'pipeline' },
      // Through the command's error stream (stderr; captured by in-process tests).
      destination: { write: (line: string) => ctx.io.err(line.replace(/\n$/, '')) },
    });
  return {
    ctx,
    now: () => new Date(),
    log: logger,
    notifier: new OutboxNotifier(join(ctx.dataDir, 'outbox', 'notifications.jsonl'), logger),
    metrics: pipelineMetrics,
  };
}

/** One pass with its own job id on every log line. */
export async function pass(env: PipelineEnv): Promise<PassSummary> {
  const log = env.log.child({ job_id: newJobId('pass') });
  const t0 = performance.now();
  const s = await runPipelinePass({ ...env, log });
  log.info(
    {
      files: s.files.length,
      days_done: s.daysDone,
      waiting: s.waiting,
      failed: s.failed,
      seconds: (performance.now() - t0) / 1000,
    },
    'pipeline pass',
  );
  return s;
}

/**
 * Inside `ceir serve`: a pass every `pipeline.serve_interval_seconds` (0: none) through serve's
 * `withStore`, so it never overlaps the snapshot rebuilds and observation writes. Returns a stop
 * function that waits for a running pass.
 */
export function startServePipeline(
  ctx: CliContext,
  withStore: <T>(fn: (store: Store) => Promise<T>) => Promise<T>,
): () => Promise<void> {
  const seconds = ctx.config.pipeline.serve_interval_seconds;
  if (seconds === 0) return async () => {};
  const env = pipelineEnv(ctx);
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = (): void => {
    if (busy) return;
    busy = true;
    running = withStore(() => pass(env))
      .catch((e: unknown) => {
        const busyStore = e instanceof CeirFailure && e.error.code === 'CEIR_ERR_BUSY';
        env.log[busyStore ? 'warn' : 'error']({ err: e }, 'pipeline pass did not run');
      })
      .finally(() => (busy = false));
  };
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  setImmediate(tick);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
