/**
 * `ceir pipeline run [--once]`: takes complete inbox files, imports them, and runs each data day
 * (classify, listgen, snapshot, prune) when its files are in or its deadline passed; resumes
 * where a stopped run left off. Without --once it repeats every `pipeline.interval_seconds`
 * until Ctrl-C, opening the store only for each pass. `ceir pipeline status`: days, steps, files.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CeirFailure, ErrorCatalogue, type ErrorCode } from '../../../core/errors.js';
import { pass, pipelineEnv } from '../../pipeline/pipeline-runner.js';
import { pipelineStatus } from '../../pipeline/pipeline-status.js';
import { pipelineStoreOf } from '../../pipeline/stores.js';
import type { PassSummary } from '../../pipeline/pipeline-pass.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

function passLines(s: PassSummary): string[] {
  return [
    ...s.files.map((f) => `file ${f.name}: ${f.outcome}`),
    ...s.daysDone.map((d) => `day ${d}: done (classified, lists, snapshot)`),
    ...(s.failed ? [`day ${s.failed.day}: FAILED at ${s.failed.step}: ${s.failed.error}`] : []),
    ...(s.waiting
      ? [
          `day ${s.waiting.day}: waiting for ${s.waiting.missing.join(', ')} until ${s.waiting.deadline}`,
        ]
      : []),
    ...(s.incomplete.length ? [`still being written: ${s.incomplete.join(', ')}`] : []),
  ];
}

export async function runPipeline(
  ctx: CliContext,
  sub: string | undefined,
  o: { once: boolean },
): Promise<number> {
  if (sub === 'status') {
    const env = pipelineEnv(ctx);
    const s = await pipelineStatus(env, pipelineStoreOf(await ctx.openStore()));
    ctx.print(s, () => [
      `inbox ${s.inbox.dir}: ${s.inbox.ready.length} ready, ${s.inbox.incomplete.length} being written`,
      ...s.days.map(
        (d) =>
          `day ${d.day}: ${d.state} (${d.trigger})  ${d.steps.map((x) => `${x.step} ${x.state}${x.attempt > 1 ? ` (attempt ${x.attempt})` : ''}`).join(', ')}`,
      ),
      ...s.pending.map(
        (p) =>
          `day ${p.day}: pending, has ${p.operators.join(', ')}${p.missing.length ? `; waits for ${p.missing.join(', ')} until ${p.deadline}` : ''}`,
      ),
      'recent files:',
      ...s.files
        .slice(0, 20)
        .map((f) => `  ${f.name.padEnd(40)} ${f.state.padEnd(9)} ${f.error ?? f.importId ?? ''}`),
    ]);
    return 0;
  }
  if (sub !== 'run') throw new UsageError('ceir pipeline run [--once] | ceir pipeline status');
  const env = pipelineEnv(ctx);
  let failed: ErrorCode | undefined;
  for (;;) {
    try {
      const s = await pass(env);
      ctx.print(s, () => passLines(s));
      failed = s.failed?.code;
    } catch (e) {
      if (o.once || !(e instanceof CeirFailure && e.error.code === 'CEIR_ERR_BUSY')) throw e;
      env.log.warn({ err: e }, 'store busy: pass skipped');
    } finally {
      await ctx.close();
    }
    if (o.once) return failed ? ErrorCatalogue[failed].exit : 0;
    await sleep(ctx.config.pipeline.interval_seconds * 1000);
  }
}
