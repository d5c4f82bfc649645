/**
 * Prometheus metrics of the daily pipeline, appended to `ceir serve`'s /metrics when serve runs
 * the pipeline (docs/operations.md "Observability"). Counters count from the process start;
 * gauges hold the figures of the last run.
 */
import { MetricFamily, labelKey } from '../observability/metric-family.js';

export class PipelineMetrics {
  readonly rowsImported = new MetricFamily(
    'ceir_pipeline_rows_imported_total',
    'counter',
    'Rows of inbox files imported, by source and operator.',
  );
  readonly files = new MetricFamily(
    'ceir_pipeline_files_total',
    'counter',
    'Inbox files taken, by source and outcome (imported, duplicate, rejected).',
  );
  readonly gateFailures = new MetricFamily(
    'ceir_pipeline_gate_failures_total',
    'counter',
    'Quality gates failed by inbox files, by gate.',
  );
  readonly matched = new MetricFamily(
    'ceir_pipeline_classification_matched',
    'gauge',
    'IMEIs matching each condition in the last classification run.',
  );
  readonly listSize = new MetricFamily(
    'ceir_pipeline_list_size',
    'gauge',
    'Entries of the last generated lists, by kind and operator.',
  );
  /** Seconds spent in pipeline steps, by step and outcome (a Prometheus summary: sum, count). */
  readonly stepSeconds = new Map<string, { sum: number; count: number }>();
  readonly lastDay = new MetricFamily(
    'ceir_pipeline_last_day_done_timestamp_seconds',
    'gauge',
    'Start (UTC) of the last data day whose run finished.',
  );

  step(step: string, outcome: 'done' | 'failed', seconds: number): void {
    const k = labelKey({ step, outcome });
    const v = this.stepSeconds.get(k) ?? { sum: 0, count: 0 };
    this.stepSeconds.set(k, { sum: v.sum + seconds, count: v.count + 1 });
  }

  private durations(): string[] {
    const n = 'ceir_pipeline_step_duration_seconds';
    const out = [
      `# HELP ${n} Seconds spent in pipeline steps (import, classify, listgen, snapshot, prune), by outcome.`,
      `# TYPE ${n} summary`,
    ];
    for (const [k, v] of [...this.stepSeconds].sort(([a], [b]) => a.localeCompare(b)))
      out.push(`${n}_sum{${k}} ${v.sum}`, `${n}_count{${k}} ${v.count}`);
    return out;
  }

  text(): string {
    return `${[
      this.rowsImported,
      this.files,
      this.gateFailures,
      this.matched,
      this.listSize,
      this.lastDay,
    ]
      .flatMap((f) => f.text())
      .concat(this.durations())
      .join('\n')}\n`;
  }
}

/** The process's pipeline metrics (what /metrics shows). */
export const pipelineMetrics = new PipelineMetrics();
