/**
 * One pass of the daily pipeline (docs/operations.md "Daily pipeline"):
 * 1. every complete inbox file is imported (lists first, then dumps by day), recorded and moved;
 * 2. data days are run in order, one at a time: a day whose expected operators have all
 *    delivered, or whose deadline passed, is classified as of that day, its lists generated and
 *    its snapshot published (then retention runs). A day found running or failed is resumed
 *    where it stopped. A later day waits for an earlier one; a day that arrives only after a later
 *    day ran is marked superseded (its data counts in the next run).
 * The caller holds the store for the whole pass (one writer: one pass at a time).
 */
import { join } from 'node:path';
import type { PipelineDay } from '../../core/ports/pipeline-store.js';
import { addDays } from '../../core/rules/dates.js';
import { CeirFailure, type ErrorCode } from '../../core/errors.js';
import { runDaySteps, StepFailure } from './day-steps.js';
import { scanInbox } from './inbox.js';
import type { PipelineEnv } from './pipeline-env.js';
import { pipelineStoreOf } from './stores.js';
import { takeFile } from './take-file.js';

export interface PassSummary {
  readonly files: { name: string; outcome: string }[];
  /** Days run to the end in this pass. */
  readonly daysDone: string[];
  /** The day that failed in this pass (a later pass tries it again). */
  readonly failed?: { day: string; step: string; code: ErrorCode; error: string };
  /** The next day with data that is not yet due, with the operators it still waits for. */
  readonly waiting?: { day: string; missing: string[]; deadline: string };
  /** Inbox files still being written. */
  readonly incomplete: string[];
}

/** The inbox folder of a configuration and data directory. */
export function inboxDir(env: Pick<PipelineEnv, 'ctx'>): string {
  return env.ctx.config.pipeline.inbox ?? join(env.ctx.dataDir, 'inbox');
}

export function expectedOperators(env: Pick<PipelineEnv, 'ctx'>): string[] {
  const c = env.ctx.config;
  return [...(c.pipeline.expected_operators ?? c.operators.map((o) => o.id))];
}

/** The instant after which a day runs with what it has. */
export function deadlineOf(day: string, deadlineHours: number): Date {
  return new Date(Date.parse(`${addDays(day, 1)}T00:00:00Z`) + deadlineHours * 3_600_000);
}

export async function runPipelinePass(env: PipelineEnv): Promise<PassSummary> {
  const { ctx } = env;
  const store = await ctx.openStore();
  const ps = pipelineStoreOf(store);
  const cfg = ctx.config.pipeline;

  const scan = scanInbox(inboxDir(env), env.now().getTime(), cfg.stable_seconds);
  const files: PassSummary['files'] = [];
  for (const f of scan.ready) {
    const t = await takeFile(env, store, ps, f);
    if (t) files.push({ name: f.name, outcome: t.outcome });
  }

  const expected = expectedOperators(env);
  const known = new Map<string, PipelineDay>((await ps.days()).map((d) => [d.day, d]));
  let lastDone = [...known.values()]
    .filter((d) => d.state === 'done')
    .map((d) => d.day)
    .sort()
    .at(-1);
  const daysDone: string[] = [];
  let waiting: PassSummary['waiting'];
  let failed: PassSummary['failed'];
  for (const a of await ps.arrivals()) {
    const day = known.get(a.day);
    if (day?.state === 'done' || day?.state === 'superseded') continue;
    const at = env.now().toISOString();
    if (!day && lastDone !== undefined && a.day <= lastDone) {
      await ps.finishDay(a.day, 'superseded', at);
      env.log.warn(
        { day: a.day, last_done: lastDone },
        'day arrived after a later day ran: superseded',
      );
      continue;
    }
    if (!day) {
      const missing = expected.filter((o) => !a.operators.includes(o));
      const deadline = deadlineOf(a.day, cfg.deadline_hours);
      const due = env.now().getTime() >= deadline.getTime();
      if (missing.length > 0 && !due) {
        waiting = { day: a.day, missing, deadline: deadline.toISOString() };
        break;
      }
      await ps.beginDay(a.day, missing.length === 0 ? 'complete' : 'deadline', at);
      env.log.info({ day: a.day, missing, job_id: `day-${a.day}` }, 'day run started');
    } else
      env.log.info({ day: a.day, state: day.state, job_id: `day-${a.day}` }, 'day run resumed');
    try {
      await runDaySteps(env, store, ps, a.day);
    } catch (e) {
      if (!(e instanceof StepFailure)) throw e;
      const error = (e.cause as Error)?.message ?? String(e.cause);
      await ps.finishDay(a.day, 'failed', env.now().toISOString());
      const attempt = (await ps.steps(a.day)).find((s) => s.step === e.step)?.attempt ?? 1;
      if (attempt === 1)
        await env.notifier.notify({
          kind: 'run_failed',
          day: a.day,
          step: e.step,
          error,
          at: env.now().toISOString(),
        });
      const code = e.cause instanceof CeirFailure ? e.cause.error.code : 'CEIR_ERR_INTERNAL';
      failed = { day: a.day, step: e.step, code, error };
      break;
    }
    await ps.finishDay(a.day, 'done', env.now().toISOString());
    env.metrics.lastDay.set({}, Date.parse(`${a.day}T00:00:00Z`) / 1000);
    env.log.info({ day: a.day, job_id: `day-${a.day}` }, 'day run done');
    daysDone.push(a.day);
    lastDone = a.day;
  }
  return {
    files,
    daysDone,
    ...(failed ? { failed } : {}),
    ...(waiting ? { waiting } : {}),
    incomplete: scan.waiting,
  };
}
