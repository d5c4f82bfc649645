/**
 * The pipeline's state as one JSON value (`ceir pipeline status --json`; the API serves the same
 * value): each data day with its steps, the latest files with their states, and what the next
 * day waits for.
 */
import type {
  PipelineDay,
  PipelineFile,
  PipelineStep,
  PipelineStore,
} from '../../core/ports/pipeline-store.js';
import { scanInbox } from './inbox.js';
import { deadlineOf, expectedOperators, inboxDir } from './pipeline-pass.js';
import type { PipelineEnv } from './pipeline-env.js';

export interface PipelineStatus {
  readonly inbox: { readonly dir: string; readonly ready: string[]; readonly incomplete: string[] };
  readonly days: (PipelineDay & { readonly steps: PipelineStep[] })[];
  /** Days with data that have not run yet, with the operators they still wait for. */
  readonly pending: { day: string; operators: string[]; missing: string[]; deadline: string }[];
  readonly files: PipelineFile[];
}

export async function pipelineStatus(
  env: Pick<PipelineEnv, 'ctx' | 'now'>,
  ps: PipelineStore,
  fileLimit = 50,
): Promise<PipelineStatus> {
  const cfg = env.ctx.config.pipeline;
  const dir = inboxDir(env);
  const scan = scanInbox(dir, env.now().getTime(), cfg.stable_seconds);
  const steps = await ps.steps();
  const days = await ps.days();
  const ran = new Set(days.map((d) => d.day));
  const expected = expectedOperators(env);
  return {
    inbox: { dir, ready: scan.ready.map((f) => f.name), incomplete: scan.waiting },
    days: days.map((d) => ({ ...d, steps: steps.filter((s) => s.day === d.day) })),
    pending: (await ps.arrivals())
      .filter((a) => !ran.has(a.day))
      .map((a) => ({
        day: a.day,
        operators: a.operators,
        missing: expected.filter((o) => !a.operators.includes(o)),
        deadline: deadlineOf(a.day, cfg.deadline_hours).toISOString(),
      })),
    files: await ps.files(fileLimit),
  };
}
