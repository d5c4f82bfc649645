/**
 * Prometheus text for the `ceir serve` primary's observation work: the spill of observations
 * and clone flags to the store (ObservationSink: rows buffered, written, dropped when the store
 * is slower than the checks, failed writes) and the real-time clone detector (IMEIs tracked,
 * evicted by its memory bound, alerts). Without them, observations lost to a slow store were seen
 * only in the log line at the end of `ceir serve`.
 */
import type { CloneDetectorStats } from '../../eir/clone-detector.js';
import type { ObservationSinkStats } from '../../eir/observation-sink.js';

/** One metric, its help and type lines, and samples (`labels` pre-rendered). */
function metric(
  name: string,
  type: 'counter' | 'gauge',
  help: string,
  samples: readonly [labels: string, value: number][],
): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    ...samples.map(([l, v]) => `${name}${l} ${v}`),
  ];
}

/** The metrics text (ending in a newline) of the observation and clone-flag sinks and the detector. */
export function observationMetricsText(
  observations: ObservationSinkStats,
  flags: ObservationSinkStats,
  detector: CloneDetectorStats,
): string {
  const kinds = (f: (s: ObservationSinkStats) => number): [string, number][] => [
    ['{kind="observation"}', f(observations)],
    ['{kind="clone_flag"}', f(flags)],
  ];
  return [
    ...metric(
      'ceir_spill_buffered_rows',
      'gauge',
      'Rows waiting in the primary for the store.',
      kinds((s) => s.buffered),
    ),
    ...metric(
      'ceir_spill_written_rows_total',
      'counter',
      'Rows written to the store.',
      kinds((s) => s.flushed),
    ),
    ...metric(
      'ceir_spill_dropped_rows_total',
      'counter',
      'Rows dropped, oldest first, while the store was slower than the checks (the clone detector saw them).',
      kinds((s) => s.dropped),
    ),
    ...metric(
      'ceir_spill_write_failures_total',
      'counter',
      'Failed store writes (their rows are kept for the next try, as room allows).',
      kinds((s) => s.failures),
    ),
    ...metric(
      'ceir_clone_detector_tracked_imeis',
      'gauge',
      'IMEIs in the real-time clone detector window.',
      [['', detector.tracked]],
    ),
    ...metric(
      'ceir_clone_detector_evicted_total',
      'counter',
      'IMEIs evicted by the detector memory bound before their window ended.',
      [['', detector.evicted]],
    ),
    ...metric('ceir_clone_alerts_total', 'counter', 'Real-time clone alerts raised.', [
      ['', detector.flags],
    ]),
    '',
  ].join('\n');
}
