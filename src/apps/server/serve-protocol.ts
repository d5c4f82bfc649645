/** Messages between the `ceir serve` primary and its check workers (node:cluster IPC). */
import type { EquipmentCheckResult } from '../../core/check/equipment-check.js';
import type { AnswerDelayDelta } from './answer-delay.js';

export {
  INTERFACES,
  type CheckInterface,
  type CheckObservation,
} from '../../core/observations/observation-batch.js';

/**
 * Upper bounds (seconds) of the `ceir_check_duration_seconds` buckets: the time the check engine
 * takes to decide (from 1 µs; a decision is one hash probe).
 */
export const DURATION_BUCKETS = [
  1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 1e-2, 0.1,
] as const;

/** The `status` label of a check: its equipment status, or UNKNOWN_EQUIPMENT. */
export function statusLabel(r: EquipmentCheckResult): string {
  return r.kind === 'status' ? r.status : 'UNKNOWN_EQUIPMENT';
}

/** Counter increments since the previous delta (histogram buckets not cumulative). */
export interface MetricsDelta {
  /** `<interface>|<status>` -> checks. */
  readonly checks: Readonly<Record<string, number>>;
  /** One per INTERFACES entry: DURATION_BUCKETS.length + 1 buckets (the last is +Inf). */
  readonly histograms: readonly {
    readonly buckets: readonly number[];
    readonly sum: number;
    readonly count: number;
  }[];
  readonly droppedObservations: number;
  /** S13 read-to-answer delays (answer-delay.ts). */
  readonly answerDelay: AnswerDelayDelta;
}

export type WorkerMessage =
  | {
      readonly type: 'ready';
      readonly s13Port: number;
      readonly n5gPort: number;
      readonly version: string;
    }
  | { readonly type: 'loaded'; readonly version: string }
  | { readonly type: 'load-failed'; readonly error: string }
  | { readonly type: 'metrics'; readonly delta: MetricsDelta }
  /** A batch of checks in `observation-batch.ts` bytes. */
  | { readonly type: 'observations'; readonly batch: Uint8Array }
  | { readonly type: 'closed' };

export type PrimaryMessage =
  | { readonly type: 'reload'; readonly path: string }
  | { readonly type: 'shutdown' }
  /** Apply a snapshot delta (base64) to the served snapshot, whose content digest is `digest`. */
  | { readonly type: 'delta'; readonly digest: string; readonly delta: string };
