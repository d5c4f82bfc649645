/**
 * The daily pipeline's own records (docs/operations.md "Daily pipeline"): every file taken from
 * the inbox, every data day's run and each of its steps, so that a pipeline restarted after a
 * crash resumes where it stopped, never redoing a finished step nor doing one twice.
 * Adapter: store/duckdb/pipeline.ts (schema migration 7).
 */
import type { SourceKind } from './store.js';

/** importing: taken, its import may or may not have landed; the others are final. */
export type PipelineFileState = 'importing' | 'imported' | 'duplicate' | 'rejected';

export interface PipelineFile {
  readonly id: number;
  readonly name: string;
  /** unknown: the name followed no convention (the file is refused). */
  readonly source: SourceKind | 'unknown';
  readonly operator: string | null;
  /** The data day of an operator dump (its period's last day, YYYY-MM-DD). */
  readonly day: string | null;
  readonly state: PipelineFileState;
  readonly importId: string | null;
  readonly rows: number | null;
  /** The error (code: message) of a rejected file. */
  readonly error: string | null;
  /** Where the file was moved once its state was final. */
  readonly movedTo: string | null;
  readonly arrivedAt: string;
  readonly updatedAt: string;
}

export type PipelineDayState = 'running' | 'done' | 'failed' | 'superseded';
export type PipelineTrigger = 'complete' | 'deadline' | 'late';

export interface PipelineDay {
  readonly day: string;
  readonly state: PipelineDayState;
  readonly trigger: PipelineTrigger;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export const PIPELINE_STEPS = ['classify', 'listgen', 'snapshot', 'prune'] as const;
export type PipelineStepName = (typeof PIPELINE_STEPS)[number];
export type PipelineStepState = 'running' | 'done' | 'failed';

export interface PipelineStep {
  readonly day: string;
  readonly step: PipelineStepName;
  readonly state: PipelineStepState;
  /** 1 for the first try; a step found running after a crash or failed is tried again. */
  readonly attempt: number;
  /** The store's mark before the step started (e.g. the last classification run id). */
  readonly beforeRef: string | null;
  /** What the step made (classification run, list run, snapshot version). */
  readonly ref: string | null;
  readonly detail: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface NewPipelineFile {
  readonly name: string;
  readonly source: SourceKind | 'unknown';
  readonly operator: string | null;
  readonly day: string | null;
}

export interface FinishedFile {
  readonly state: Exclude<PipelineFileState, 'importing'>;
  readonly importId?: string;
  readonly rows?: number;
  readonly error?: string;
  readonly movedTo: string;
}

export interface PipelineStore {
  /** The latest record of a file name (a name may come again after a rejection). */
  latestFile(name: string): Promise<PipelineFile | undefined>;
  /** Records a file taken from the inbox (state importing). */
  beginFile(f: NewPipelineFile, at: string): Promise<PipelineFile>;
  finishFile(id: number, r: FinishedFile, at: string): Promise<void>;
  /** Every file record, newest first (at most `limit`). */
  files(limit?: number): Promise<PipelineFile[]>;
  /** Data days with an imported operator dump, with the operators that delivered. */
  arrivals(): Promise<{ day: string; operators: string[] }[]>;
  days(): Promise<PipelineDay[]>;
  beginDay(day: string, trigger: PipelineTrigger, at: string): Promise<void>;
  finishDay(day: string, state: Exclude<PipelineDayState, 'running'>, at: string): Promise<void>;
  steps(day?: string): Promise<PipelineStep[]>;
  /** Marks a step running (attempt + 1), with the store's mark before it. */
  beginStep(
    day: string,
    step: PipelineStepName,
    beforeRef: string | null,
    at: string,
  ): Promise<PipelineStep>;
  finishStep(
    day: string,
    step: PipelineStepName,
    r: { state: Exclude<PipelineStepState, 'running'>; ref?: string; detail?: string },
    at: string,
  ): Promise<void>;
}
