/**
 * Prometheus text for the `ceir serve` primary's observation work: the spill of observations
 * and clone flags to the store (ObservationSink: rows buffered, written, dropped when the store
 * is slower than the checks, failed writes) and the real-time clone detector (IMEIs tracked,
 * evicted by its memory bound, alerts). Without them, observations lost to a slow store were seen
 * only in the log line at the end of `ceir serve`.
 */
import type { CloneDetectorStats } from '../../eir/clone-detector.js';
import type { ObservationSinkStats } from '../../eir/observation-sink.js';
import { MetricFamily } from '../observability/metric-family.js';

/** Spill figures, one per sink kind. */
const SPILL: readonly [MetricFamily, (s: ObservationSinkStats) => number][] = [
  [
    new MetricFamily(
      'ceir_spill_buffered_rows',
      'gauge',
      'Rows waiting in the primary for the store.',
    ),
    (s) => s.buffered,
  ],
  [
    new MetricFamily('ceir_spill_written_rows_total', 'counter', 'Rows written to the store.'),
    (s) => s.flushed,
  ],
  [
    new MetricFamily(
      'ceir_spill_dropped_rows_total',
      'counter',
      'Rows dropped, oldest first, while the store was slower than the checks (the clone detector saw them).',
    ),
    (s) => s.dropped,
  ],
  [
    new MetricFamily(
      'ceir_spill_write_failures_total',
      'counter',
      'Failed store writes (their rows are kept for the next try, as room allows).',
    ),
    (s) => s.failures,
  ],
];

/** Detector figures. */
const DETECTOR: readonly [MetricFamily, (d: CloneDetectorStats) => number][] = [
  [
    new MetricFamily(
      'ceir_clone_detector_tracked_imeis',
      'gauge',
      'IMEIs in the real-time clone detector window.',
    ),
    (d) => d.tracked,
  ],
  [
    new MetricFamily(
      'ceir_clone_detector_evicted_total',
      'counter',
      'IMEIs evicted by the detector memory bound before their window ended.',
    ),
    (d) => d.evicted,
  ],
  [
    new MetricFamily('ceir_clone_alerts_total', 'counter', 'Real-time clone alerts raised.'),
    (d) => d.flags,
  ],
];

/** The metrics text (ending in a newline) of the observation and clone-flag sinks and the detector. */
export function observationMetricsText(
  observations: ObservationSinkStats,
  flags: ObservationSinkStats,
  detector: CloneDetectorStats,
): string {
  const lines: string[] = [];
  for (const [family, value] of SPILL) {
    family.set({ kind: 'observation' }, value(observations));
    family.set({ kind: 'clone_flag' }, value(flags));
    lines.push(...family.text());
  }
  for (const [family, value] of DETECTOR) {
    family.set({}, value(detector));
    lines.push(...family.text());
  }
  return lines.join('\n') + '\n';
}
