/**
 * How the pipeline tells people what happened (docs/operations.md "Notifications"): an operator
 * whose file was refused, the regulator when a day's run fails. Default adapter: a log line plus
 * one JSON line in `<data>/outbox/notifications.jsonl` (apps/pipeline/outbox-notifier.ts); a
 * mail or SMS gateway is another adapter of the same port.
 */
export type PipelineNotification =
  | {
      readonly kind: 'file_rejected';
      /** The operator the file came from (null when the name did not say). */
      readonly operator: string | null;
      readonly file: string;
      readonly error: string;
      /** Where the file and its report were moved. */
      readonly movedTo: string;
      readonly report: string;
      readonly at: string;
    }
  | {
      readonly kind: 'run_failed';
      readonly day: string;
      readonly step: string;
      readonly error: string;
      readonly at: string;
    };

export interface Notifier {
  notify(n: PipelineNotification): Promise<void>;
}
