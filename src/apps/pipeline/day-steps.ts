/**
 * The steps of a data day's run, in order: classify (as of the day), listgen, snapshot, prune.
 * Each step is recorded running (with the store's mark before it), does its work, and is
 * recorded done with what it made. A step found running or failed (a crash, an error) first
 * asks whether its work already landed, by the mark: a classification run or list run newer
 * than the mark for this day is the step's own, and is taken instead of running again. The
 * store's classification and list commits are single transactions, so the work is either whole
 * or absent; list files and the snapshot are rewritten from the recorded run (same content).
 */
import { dirname, join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import type { PipelineStepName, PipelineStore } from '../../core/ports/pipeline-store.js';
import type { Store } from '../../core/ports/store.js';
import { buildSnapshot } from '../../eir/build-snapshot.js';
import { readSnapshot } from '../../eir/snapshot-format.js';
import { classifyNow } from '../cli/commands/classify.js';
import { listgenNow, writeListRunFiles } from '../cli/commands/listgen.js';
import { SNAPSHOT_FILE } from '../server/serve.js';
import type { PipelineEnv } from './pipeline-env.js';
import { pruneNow } from './prune-now.js';
import { retentionStoreOf } from './stores.js';

interface StepImpl {
  /** The store's mark before the work (null: the step needs none). */
  mark(): Promise<string | null>;
  /** The ref of work that already landed after `before`, or null. */
  landed(before: string | null): Promise<string | null>;
  work(): Promise<{ ref: string; detail?: string }>;
}

export class StepFailure extends Error {
  constructor(
    readonly step: PipelineStepName,
    override readonly cause: unknown,
  ) {
    super(`${step}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** Runs one step unless done; returns its ref. */
async function runStep(
  env: PipelineEnv,
  ps: PipelineStore,
  day: string,
  step: PipelineStepName,
  impl: StepImpl,
): Promise<string> {
  const at = () => env.now().toISOString();
  const log = env.log.child({ job_id: `day-${day}-${step}`, day, step });
  const existing = (await ps.steps(day)).find((s) => s.step === step);
  if (existing?.state === 'done') return existing.ref ?? '';
  const t0 = performance.now();
  try {
    if (existing) {
      const ref = await impl.landed(existing.beforeRef);
      if (ref !== null) {
        await ps.finishStep(
          day,
          step,
          { state: 'done', ref, detail: 'found landed on resume' },
          at(),
        );
        log.info({ ref, attempt: existing.attempt }, 'step had landed before a stop: recorded');
        return ref;
      }
    }
    const begun = await ps.beginStep(day, step, await impl.mark(), at());
    log.info({ attempt: begun.attempt }, 'step started');
    await env.onStep?.(day, step, 'begin');
    const r = await impl.work();
    await env.onStep?.(day, step, 'landed');
    await ps.finishStep(
      day,
      step,
      { state: 'done', ref: r.ref, ...(r.detail ? { detail: r.detail } : {}) },
      at(),
    );
    const seconds = (performance.now() - t0) / 1000;
    env.metrics.step(step, 'done', seconds);
    log.info({ ref: r.ref, seconds }, 'step done');
    return r.ref;
  } catch (e) {
    const seconds = (performance.now() - t0) / 1000;
    env.metrics.step(step, 'failed', seconds);
    await ps.finishStep(
      day,
      step,
      { state: 'failed', detail: (e as Error).message ?? String(e) },
      at(),
    );
    log.error({ err: e, seconds }, 'step failed');
    throw new StepFailure(step, e);
  }
}

/** Runs (or resumes) every step of a day; throws StepFailure at the first that fails. */
export async function runDaySteps(
  env: PipelineEnv,
  store: Store,
  ps: PipelineStore,
  day: string,
): Promise<void> {
  const { ctx, metrics } = env;
  const classifyRef = await runStep(env, ps, day, 'classify', {
    mark: async () => String((await store.lastClassificationRun())?.id ?? 0),
    landed: async (before) => {
      const last = await store.lastClassificationRun();
      return last && last.id > Number(before ?? 0) && last.asOf === day ? String(last.id) : null;
    },
    work: async () => {
      const run = await classifyNow(ctx, { asOf: day });
      metrics.matched.clear();
      for (const r of run.results) metrics.matched.set({ condition: r.label }, r.matched);
      return { ref: String(run.id), detail: `${run.results.length} conditions` };
    },
  });
  const recordListSizes = (counts: {
    black: number;
    notification: Record<string, number>;
    exception: Record<string, number>;
  }) => {
    metrics.listSize.clear();
    metrics.listSize.set({ kind: 'black', operator: '' }, counts.black);
    for (const [op, n] of Object.entries(counts.notification))
      metrics.listSize.set({ kind: 'notification', operator: op }, n);
    for (const [op, n] of Object.entries(counts.exception))
      metrics.listSize.set({ kind: 'exception', operator: op }, n);
  };
  const listRef = await runStep(env, ps, day, 'listgen', {
    mark: async () => String((await store.listRuns()).at(-1)?.id ?? 0),
    landed: async (before) => {
      const run = (await store.listRuns()).find(
        (r) => r.id > Number(before ?? 0) && r.classificationRun === Number(classifyRef),
      );
      if (!run) return null;
      await writeListRunFiles(ctx, run, {});
      recordListSizes(run.counts);
      return String(run.id);
    },
    work: async () => {
      const r = await listgenNow(ctx, { asOf: day });
      recordListSizes(r.run.counts);
      return { ref: String(r.run.id), detail: r.dir };
    },
  });
  const path = join(ctx.dataDir, 'snapshots', SNAPSHOT_FILE);
  const p = ctx.config.server.policy;
  await runStep(env, ps, day, 'snapshot', {
    mark: async () => null,
    landed: async () => {
      if (!existsSync(path)) return null;
      const s = await readSnapshot(path).catch(() => undefined);
      return s && s.version.listRun === Number(listRef) ? s.version.id : null;
    },
    work: async () => {
      mkdirSync(dirname(path), { recursive: true });
      const b = await buildSnapshot(store, path, {
        listRun: Number(listRef),
        policy: {
          malformedImei: p.malformed_imei,
          unknownTac: p.unknown_tac,
          unknownDevice: p.unknown_device,
          grey: p.grey,
        },
      });
      return { ref: b.snapshot.version.id, detail: path };
    },
  });
  if (ctx.config.pipeline.prune)
    await runStep(env, ps, day, 'prune', {
      mark: async () => null,
      // Pruning again is harmless (it only removes what is past retention): always run it.
      landed: async () => null,
      work: async () => {
        const r = await pruneNow(retentionStoreOf(store), ctx.config.retention, env.now(), false);
        return { ref: 'pruned', detail: JSON.stringify(r.tables) };
      },
    });
}
