/** What a pipeline pass runs with: the CLI context (config, data dir, store), clock, log, ports. */
import type { Notifier } from '../../core/ports/notifier.js';
import type { PipelineStepName } from '../../core/ports/pipeline-store.js';
import type { CliContext } from '../cli/cli-context.js';
import type { Logger } from '../observability/logger.js';
import type { PipelineMetrics } from './pipeline-metrics.js';

/** Where a step is: about to do its work, or done with it but not yet recorded as done. */
export type StepPhase = 'begin' | 'landed';

export interface PipelineEnv {
  readonly ctx: CliContext;
  readonly now: () => Date;
  readonly log: Logger;
  readonly notifier: Notifier;
  readonly metrics: PipelineMetrics;
  /** Called at each step's phases (tests hold the process there to kill it). */
  readonly onStep?: (day: string, step: PipelineStepName, phase: StepPhase) => void | Promise<void>;
}
